"""Every picture the notebooks and the README show exists in images/ and is drawn by code."""

import importlib.util
import json
import re
from pathlib import Path

import matplotlib.pyplot as plt
import pytest
from matplotlib.figure import Figure

ROOT = Path(__file__).resolve().parents[1]
IMAGE_LINK = re.compile(r"!\[[^\]]*\]\(([^)\s]+)[^)]*\)|<img[^>]*\bsrc=[\"']([^\"']+)[\"']")


def load_make_images():
    spec = importlib.util.spec_from_file_location("make_images", ROOT / "images" / "make_images.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def image_links(markdown):
    return [first or second for first, second in IMAGE_LINK.findall(markdown)]


def referenced_images():
    """(document, link, resolved path) for every local image in README.md and notebook markdown."""
    documents = [(ROOT / "README.md", (ROOT / "README.md").read_text(encoding="utf-8"))]
    for notebook in sorted((ROOT / "notebooks").glob("*.ipynb")):
        cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
        documents.append(
            (
                notebook,
                "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown"),
            )
        )
    found = []
    for document, markdown in documents:
        for link in image_links(markdown):
            if not re.match(r"[a-z]+:", link):  # skip http:, attachment:, data: links
                found.append((document.relative_to(ROOT), link, (document.parent / link).resolve()))
    return found


def test_the_link_pattern_finds_markdown_and_html_images():
    text = (
        '![net](../images/a.png) and ![x](b.png "title") and <img src="../images/c.png" width=300>'
    )
    assert image_links(text) == ["../images/a.png", "b.png", "../images/c.png"]


def test_every_referenced_image_exists_in_images():
    references = referenced_images()
    assert references, "no notebook or README shows an image; the test would check nothing"
    for document, link, path in references:
        assert path.parent == ROOT / "images", f"{document} links {link}, outside images/"
        assert path.is_file(), f"{document} shows {link}, which does not exist: run `make images`"


def test_every_referenced_image_is_generated_by_code():
    registry = load_make_images().IMAGES
    for document, link, path in referenced_images():
        assert path.name in registry, (
            f"{document} shows {link}, which images/make_images.py does not draw"
        )


def test_every_registry_entry_has_its_file_and_draws_a_figure():
    registry = load_make_images().IMAGES
    assert registry
    for name, draw in registry.items():
        assert name.endswith(".png") and (ROOT / "images" / name).is_file(), (
            f"images/{name} is missing"
        )
        figure = draw()
        assert isinstance(figure, Figure) and figure.axes and figure.axes[0].get_title()
        plt.close(figure)


def test_make_images_rejects_unknown_names():
    with pytest.raises(ValueError, match=r"nope\.png"):
        load_make_images().make_images(["nope.png"])
