"""The explorer in the book: a still of its starting view where the live widget would be.

A live ipywidget needs a kernel, and its JavaScript would come from a CDN, so the book loads no
widget script and a stored widget view would show nothing. This Sphinx extension replaces every
output that is a widget view (notebook 08's ``widgets.explorer()``) by the picture the explorer
shows when it opens: its "Layer by layer" tab at the default settings, computed by
``weight_init.explorer_views.signal_view`` and drawn by ``weight_init.widgets.draw_signal`` while
the book is built, so the picture is the package's own. The caption gives the explorer's summary
line and says where it runs live (JupyterLab, Colab, Binder).
"""

from __future__ import annotations

from pathlib import Path

import links
from docutils import nodes
from sphinx.application import Sphinx

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
STILL = "_generated/explorer-start.png"


def draw_still(app: Sphinx) -> None:
    """Write the explorer's starting picture into the sources and keep its words for captions."""
    from weight_init import explorer_views, plots, widgets

    plots.use_classroom_style()  # as notebook 08 does before it shows the explorer
    view = explorer_views.signal_view(explorer_views.SignalSettings())
    figure = plots.explorer_figure()
    widgets.draw_signal(figure, view)
    path = Path(app.srcdir) / STILL
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(widgets.figure_png(figure))
    app.config.widget_still = {
        "title": explorer_views.signal_title(view),
        "summary": explorer_views.signal_summary(view),
    }


def still_figure(app: Sphinx, docname: str) -> nodes.figure:
    """The still, its alt text and a caption that links to the live explorer."""
    words = app.config.widget_still
    alt = f"The explorer as it opens, tab Layer by layer: {words['title']}"
    figure = nodes.figure(classes=["widget-still"])
    figure += nodes.image(uri="/" + STILL, alt=alt)
    caption = nodes.caption()
    caption += nodes.Text("The explorer is a live widget: it runs in JupyterLab (make lab), in ")
    caption += nodes.reference("", "Colab", refuri=links.colab_url(f"{docname}.ipynb"))
    caption += nodes.Text(" or on ")
    caption += nodes.reference("", "Binder", refuri=links.binder_app_url())
    caption += nodes.Text(
        ". Here is the picture it shows when it opens (tab Layer by layer, default "
        f"settings), drawn by the package when this page was built. {words['summary']}"
    )
    figure += caption
    return figure


def replace_widget_views(app: Sphinx, doctree: nodes.document) -> None:
    """Put the still where a stored output is a widget view and nothing else."""
    docname = app.env.docname
    views = [raw for raw in doctree.findall(nodes.raw) if WIDGET_VIEW in raw.astext()]
    for number, raw in enumerate(views, start=1):
        figure = still_figure(app, docname)
        figure["ids"].append(f"explorer-still-{number}")
        raw.replace_self(figure)


def setup(app: Sphinx) -> dict:
    app.add_config_value("widget_still", {}, "env")
    app.connect("builder-inited", draw_still)
    # Before Sphinx collects the page's images (priority 500), so the still is copied like any.
    app.connect("doctree-read", replace_widget_views, priority=400)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
