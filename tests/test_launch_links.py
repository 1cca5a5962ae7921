"""The launch links stay in step with the notebooks and with the one repository address.

``book/links.py`` holds ``REPOSITORY_URL``; ``make launch-links`` writes the README's Colab and
Binder badges and every notebook's install cell from it. These tests fail when a notebook is
added, renamed or retitled, or the address changed, without re-running it.
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SPEC = importlib.util.spec_from_file_location("links", ROOT / "book" / "links.py")
assert SPEC is not None and SPEC.loader is not None
links = importlib.util.module_from_spec(SPEC)
SPEC.loader.exec_module(links)

NOTEBOOKS = links.numbered_notebooks()


def test_the_series_is_found():
    assert NOTEBOOKS == sorted(ROOT.glob("notebooks/[0-9][0-9]_*.ipynb"))
    assert NOTEBOOKS


def test_readme_badges_are_the_generated_ones():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert links.with_badges(readme) == readme, "run `make launch-links`"


def test_readme_has_one_colab_badge_per_notebook_in_order():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    colab = [line for line in readme.splitlines() if "colab-badge.svg" in line]
    expected = [links.colab_url(p.relative_to(ROOT).as_posix()) for p in NOTEBOOKS]
    assert [url for line, url in zip(colab, expected) if f"({url})" in line] == expected
    assert len(colab) == len(NOTEBOOKS)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_first_code_cell_is_the_install_guard(path):
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    first = next(c for c in cells if c["cell_type"] == "code")
    assert "".join(first["source"]) == links.install_cell_source(), "run `make launch-links`"
    assert first["outputs"] == []


def test_links_point_at_the_repository():
    slug = links.github_slug()
    assert links.REPOSITORY_URL.endswith(slug)
    assert links.colab_url("notebooks/x.ipynb") == (
        f"https://colab.research.google.com/github/{slug}/blob/{links.BRANCH}/notebooks/x.ipynb"
    )
    assert links.binder_lab_url().endswith("urlpath=lab%2Ftree%2Fnotebooks")
    assert "urlpath=voila%2Frender%2Fnotebooks%2Fexplorer_app.ipynb" in links.binder_app_url()
    assert f"git+{links.REPOSITORY_URL}@{links.BRANCH}" in links.install_command()


def test_a_non_github_address_is_refused(monkeypatch):
    monkeypatch.setattr(links, "REPOSITORY_URL", "https://example.org/series")
    with pytest.raises(ValueError, match="REPOSITORY_URL"):
        links.github_slug()


def test_the_address_is_written_by_hand_in_one_file_only():
    tracked = subprocess.run(
        ["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    generated = {"README.md", *(p.relative_to(ROOT).as_posix() for p in NOTEBOOKS)}
    holders = [
        name
        for name in tracked
        if name not in generated
        and (ROOT / name).is_file()
        and links.REPOSITORY_URL in (ROOT / name).read_text(encoding="utf-8", errors="ignore")
    ]
    assert holders == ["book/links.py"]
