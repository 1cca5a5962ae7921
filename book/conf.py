"""The series as a static site (make book): Sphinx, myst-nb and sphinx-book-theme.

``make book`` gathers the sources in build/book-src/ (this folder, images/, the numbered
notebooks, the README) with the repository's layout, so every link between them resolves. The
chapters are the stored notebooks, shown with the outputs nbval checks: nothing is executed.
MathJax is served from the site itself (sphinx-mathjax-offline), so the book reads offline.
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import links  # noqa: E402

project = "Weight initialization"
author = "the weight_init authors"
copyright = "the weight_init authors"

extensions = [
    "myst_nb",
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.napoleon",
    "sphinx.ext.mathjax",
    "sphinx-mathjax-offline",
    "widget_stills",
]

root_doc = "index"
# The landing page, the README, the API pages and the numbered notebooks.
include_patterns = ["index.md", "README.md", "api.md", "api/**", "notebooks/[0-9][0-9]_*.ipynb"]
exclude_patterns = ["_build", "**.ipynb_checkpoints"]
templates_path = ["_templates"]

# Built from the stored outputs, never re-executed.
nb_execution_mode = "off"
nb_merge_streams = True
# The explorer of notebook 08 is a live widget: it needs a kernel, so the book loads no widget
# script (which would come from a CDN). widget_stills.py shows, in its place, the picture the
# explorer opens with, drawn by the package at build time, and links to Colab and Binder.
nb_ipywidgets_js: dict[str, dict[str, str]] = {}
myst_enable_extensions = ["dollarmath", "amsmath"]
# The docstrings write names in math as PyTorch's do, \text{fan\_in}: MathJax reads the \_ inside
# \text{} only with its textmacros extension, loaded from the bundled copy like the rest.
mathjax3_config = {
    "loader": {"load": ["[tex]/textmacros"]},
    "tex": {"packages": {"[+]": ["textmacros"]}},
}
myst_heading_anchors = 3
suppress_warnings = ["myst.header"]

# The API, one page per module, from the docstrings.
autosummary_generate = True
autodoc_default_options = {"members": True, "show-inheritance": True}
autodoc_member_order = "bysource"
autodoc_typehints = "description"
napoleon_numpy_docstring = True
napoleon_google_docstring = False

html_theme = "sphinx_book_theme"
html_title = project
html_static_path = ["_static"]
html_css_files = ["book.css"]
html_theme_options = {
    "repository_url": links.REPOSITORY_URL,
    "repository_branch": links.BRANCH,
    "path_to_docs": "",
    "use_repository_button": True,
    "launch_buttons": {
        "colab_url": links.COLAB,
        "binderhub_url": links.BINDER,
        "notebook_interface": "jupyterlab",
    },
    "show_toc_level": 2,
}
html_context = {"default_mode": "light"}
html_last_updated_fmt = None
