"""Where the series lives online: the one place its repository's address is written.

``REPOSITORY_URL`` is a placeholder until the series is published: set it (and ``BRANCH``) here
and run ``make launch-links``, which rewrites the README's "Open in Colab" badges and the
install line of every notebook's first code cell; the book reads this file when it is built.
"""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import quote, urlparse

REPOSITORY_URL = "https://github.com/weight-init/weight-init-series"
BRANCH = "main"

COLAB = "https://colab.research.google.com"
BINDER = "https://mybinder.org"
COLAB_BADGE = "https://colab.research.google.com/assets/colab-badge.svg"
BINDER_BADGE = "https://mybinder.org/badge_logo.svg"


def github_slug() -> str:
    """``owner/name`` of the repository, from ``REPOSITORY_URL``."""
    parts = urlparse(REPOSITORY_URL)
    if parts.netloc != "github.com":
        raise ValueError(f"REPOSITORY_URL must be a github.com address; got {REPOSITORY_URL!r}")
    return parts.path.strip("/").removesuffix(".git")


def colab_url(notebook: str) -> str:
    """Open ``notebook`` (a path from the repository's root) in Colab."""
    return f"{COLAB}/github/{github_slug()}/blob/{BRANCH}/{notebook}"


def binder_url(urlpath: str) -> str:
    """Start the repository on Binder and open ``urlpath`` (``lab/tree/…``, ``voila/render/…``)."""
    return f"{BINDER}/v2/gh/{github_slug()}/{BRANCH}?urlpath={quote(urlpath, safe='')}"


def binder_lab_url() -> str:
    """JupyterLab on the series' notebooks, on Binder."""
    return binder_url("lab/tree/notebooks")


def binder_app_url() -> str:
    """The explorer alone (Voilà), on Binder."""
    return binder_url("voila/render/notebooks/explorer_app.ipynb")


def install_command() -> str:
    """The ``%pip install`` a notebook runs where ``weight_init`` is missing (Colab, Binder)."""
    return f"%pip install -q git+{REPOSITORY_URL}@{BRANCH}"


# --------------------------------------------------------------------------------------
# What this address is written into: the README's launch badges and every notebook's first code
# cell. `make launch-links` rewrites both; tests/test_launch_links.py keeps them in step.
# --------------------------------------------------------------------------------------
ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK_PATTERN = "notebooks/[0-9][0-9]_*.ipynb"
BADGES_START, BADGES_END = "<!-- launch-badges:start -->", "<!-- launch-badges:end -->"
INSTALL_CELL_TAG = "install-if-missing"


def numbered_notebooks() -> list[Path]:
    """The series' notebooks, in order."""
    return sorted(ROOT.glob(NOTEBOOK_PATTERN))


def notebook_title(notebook: dict) -> str:
    """The text of a notebook's first heading."""
    for cell in notebook["cells"]:
        if cell["cell_type"] == "markdown":
            for line in "".join(cell["source"]).splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    raise ValueError("a notebook of the series has no '# ' title")


def install_cell_source() -> str:
    """The first code cell of every notebook: install the package only where it is missing."""
    return (
        "# On Colab or Binder this installs the series' package; where it is installed already\n"
        "# (make lab, make test) it does nothing and prints nothing.\n"
        "try:\n"
        "    import weight_init  # noqa: F401\n"
        "except ModuleNotFoundError:\n"
        f"    {install_command()}"
    )


def badges_block() -> str:
    """The README's launch section: Binder links, then one Colab badge per notebook."""
    rows = []
    for path in numbered_notebooks():
        title = notebook_title(json.loads(path.read_text(encoding="utf-8")))
        relative = path.relative_to(ROOT).as_posix()
        badge = f"[![Open In Colab]({COLAB_BADGE})]({colab_url(relative)})"
        rows.append(f"| {title} | {badge} |")
    return "\n".join(
        [
            BADGES_START,
            "## Run it online, without installing",
            "",
            "Binder starts the pinned environment of `binder/` in the browser:",
            "",
            f"[![Binder]({BINDER_BADGE})]({binder_lab_url()}) JupyterLab on the series.",
            "",
            f"[![Binder]({BINDER_BADGE})]({binder_app_url()}) The explorer alone (Voilà).",
            "",
            "Each notebook also opens in Colab; its first cell installs the package there.",
            "",
            "| notebook | Colab |",
            "|---|---|",
            *rows,
            "",
            "These links are generated from `REPOSITORY_URL` and `BRANCH` in `book/links.py`, the",
            "one place the repository's address is written: change it there, then run",
            "`make launch-links`.",
            BADGES_END,
        ]
    )


def with_badges(readme: str) -> str:
    """``readme`` with its launch section replaced by :func:`badges_block`."""
    start, end = readme.index(BADGES_START), readme.index(BADGES_END) + len(BADGES_END)
    return readme[:start] + badges_block() + readme[end:]


def with_install_cell(notebook: dict) -> dict:
    """``notebook`` whose first code cell is the install cell (inserted first if missing)."""
    cells = notebook["cells"]
    code = [i for i, c in enumerate(cells) if c["cell_type"] == "code"]
    first = code[0] if code else len(cells)
    source = install_cell_source().splitlines(keepends=True)
    if code and INSTALL_CELL_TAG in cells[first].get("metadata", {}).get("tags", []):
        cells[first]["source"] = source
    else:
        cell = {
            "cell_type": "code",
            "execution_count": None,
            "id": INSTALL_CELL_TAG,
            "metadata": {"tags": [INSTALL_CELL_TAG]},
            "outputs": [],
            "source": source,
        }
        cells.insert(first, cell)
    return notebook


def write() -> None:
    """Rewrite the README's launch section and every notebook's install cell."""
    readme = ROOT / "README.md"
    readme.write_text(with_badges(readme.read_text(encoding="utf-8")), encoding="utf-8")
    for path in numbered_notebooks():
        notebook = json.loads(path.read_text(encoding="utf-8"))
        cells = with_install_cell(notebook)
        text = json.dumps(cells, indent=1, sort_keys=True, ensure_ascii=False) + "\n"
        path.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    write()
