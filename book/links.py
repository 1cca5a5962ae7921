"""Where the series lives online: the one place its repository's address is written.

``REPOSITORY_URL`` is a placeholder until the series is published: set it (and ``BRANCH``) here
and run ``make launch-links``, which rewrites the README's "Open in Colab" badges and the
install line of every notebook's first code cell; the book reads this file when it is built.
"""

from __future__ import annotations

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
    return f'%pip install --quiet "weight_init @ git+{REPOSITORY_URL}@{BRANCH}"'
