"""The book (make book) in a real browser: every page of build/book/, served on 127.0.0.1.

Run with ``make test-book``, which builds the book first and installs Playwright for Python and,
when missing, Debian's Chromium. For every page: it has a title, every image has loaded, the
math is typeset by the bundled MathJax (no raw ``\\(`` or ``$…$`` left, no TeX error), the console
shows no error, no request leaves 127.0.0.1 and every link inside the book resolves (file and
anchor). Each chapter links to Colab and Binder, the search page finds "Glorot", and the explorer's
chapter shows a loaded picture of the explorer where the live widget's output was. Screenshots of
the landing page, three chapters, two API pages, the explorer's picture and the search results go
to ``test-artifacts/``.
"""

from __future__ import annotations

import functools
import http.server
import importlib.util
import re
import threading
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest
from playwright.sync_api import Page, sync_playwright
from test_explorer_in_a_browser import CHROMIUM, CHROMIUM_ARGS, free_port

ROOT = Path(__file__).resolve().parents[2]
BOOK = ROOT / "build" / "book"
ARTIFACTS = ROOT / "test-artifacts"
SPEC = importlib.util.spec_from_file_location("links", ROOT / "book" / "links.py")
assert SPEC is not None and SPEC.loader is not None
links = importlib.util.module_from_spec(SPEC)
SPEC.loader.exec_module(links)

PAGES = sorted(
    path.relative_to(BOOK).as_posix()
    for path in BOOK.rglob("*.html")
    if not path.relative_to(BOOK).parts[0].startswith("_")
)
CHAPTERS = [name for name in PAGES if re.fullmatch(r"notebooks/\d\d_\w+\.html", name)]
SCREENSHOT_CHAPTERS = CHAPTERS[:1] + CHAPTERS[len(CHAPTERS) // 2 : len(CHAPTERS) // 2 + 1]
SCREENSHOT_CHAPTERS += CHAPTERS[-1:]
SCREENSHOT_PAGES = (
    "index.html",
    "api/weight_init.theory.html",
    "api/weight_init.initializers.html",
)
# Where a screenshot starts, when not at the top: the initializers' formulas.
SCREENSHOT_ANCHORS = {
    "api/weight_init.initializers.html": "weight_init.initializers.VarianceScaling",
}
EXPLORER_CHAPTER = "notebooks/08_explorer.html"
LOAD_MS = 30_000

# Text left raw by a failed typesetting: \( \) \[ \] or $…$ outside code and typeset math.
RAW_MATH = re.compile(r"\\\(|\\\)|\\\[|\\\]|\$[^$\s][^$\n]*\$")
VISIBLE_TEXT = """() => {
    const article = document.querySelector('article') || document.body;
    const copy = article.cloneNode(true);
    copy.querySelectorAll('pre, code, script, style, mjx-container, .math, textarea')
        .forEach(element => element.remove());
    return copy.textContent;
}"""
IMAGES_LOADED = """async () => {
    const images = [...document.images];
    images.forEach(image => { image.loading = 'eager'; });
    await Promise.all(images.map(image => image.decode().catch(() => null)));
    return images.filter(image => !(image.complete && image.naturalWidth > 0))
        .map(image => image.getAttribute('src'));
}"""
MATH_TYPESET = """async () => {
    const maths = [...document.querySelectorAll('.math')];
    if (!maths.length) return {count: 0, raw: 0, errors: [], backslashes: []};
    await window.MathJax.startup.promise;
    return {
        count: maths.length,
        raw: maths.filter(m => !m.querySelector('mjx-container')).length,
        errors: [...document.querySelectorAll('mjx-merror')]
            .map(e => e.getAttribute('data-mjx-error') || e.textContent),
        // a backslash drawn in typeset math is a TeX command MathJax printed as text
        backslashes: [...document.querySelectorAll('mjx-container')]
            .filter(m => m.querySelector('mjx-c.mjx-c5C'))
            .map(m => m.parentElement.textContent.trim().slice(0, 80)),
    };
}"""


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


@pytest.fixture(scope="module")
def book_url():
    if not (BOOK / "index.html").is_file():
        pytest.fail("build/book/index.html is missing: run `make book` first")
    port = free_port()
    handler = functools.partial(QuietHandler, directory=str(BOOK))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def browser():
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield browser
        finally:
            browser.close()


class Visit:
    """One page opened in a fresh context, with its console errors and outside requests."""

    def __init__(self, browser, url: str):
        self.context = browser.new_context(viewport={"width": 1280, "height": 1000})
        self.errors: list[str] = []
        self.outside: list[str] = []
        self.context.route("**/*", self._route)
        self.page: Page = self.context.new_page()
        self.page.on(
            "console",
            lambda message: message.type == "error" and self.errors.append(message.text),
        )
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.goto(url, wait_until="load", timeout=LOAD_MS)

    def _route(self, route):
        if urlparse(route.request.url).hostname == "127.0.0.1":
            route.continue_()
        else:
            self.outside.append(route.request.url)
            route.abort()

    def close(self) -> None:
        self.context.close()


def target_resolves(page_name: str, href: str, base: str) -> bool:
    """Whether a link inside the book names an existing file and, if given, an existing anchor."""
    parts = urlparse(href)
    path = unquote(parts.path)[len(urlparse(base).path) :]
    target = BOOK / (path or "index.html")
    if target.is_dir():
        target = target / "index.html"
    if not target.is_file():
        return False
    if parts.fragment and target.suffix == ".html":
        html = target.read_text(encoding="utf-8")
        return f'id="{unquote(parts.fragment)}"' in html
    return True


def test_the_book_has_every_chapter():
    expected = [f"notebooks/{p.stem}.html" for p in links.numbered_notebooks()]
    assert CHAPTERS == expected
    assert {"index.html", "README.html", "api.html", "search.html"} <= set(PAGES)


@pytest.mark.parametrize("name", PAGES)
def test_page(browser, book_url, name):
    visit = Visit(browser, book_url + name)
    page = visit.page
    try:
        assert page.title().strip(), "no title"
        assert page.locator("h1").count() >= 1, "no heading"
        assert page.evaluate(IMAGES_LOADED) == [], "images that did not load"
        math = page.evaluate(MATH_TYPESET)
        assert math["raw"] == 0, f"{math['raw']} of {math['count']} math elements not typeset"
        assert math["errors"] == [], f"TeX that MathJax could not read: {math['errors'][:5]}"
        assert math["backslashes"] == [], f"TeX printed as text: {math['backslashes'][:5]}"
        raw = RAW_MATH.findall(page.evaluate(VISIBLE_TEXT))
        assert raw == [], f"raw math left: {raw[:5]}"
        hrefs = page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)")
        inside = [h for h in hrefs if urlparse(h).hostname == "127.0.0.1"]
        broken = sorted({h for h in inside if not target_resolves(name, h, book_url)})
        assert broken == [], f"links that do not resolve: {broken}"
        if name in CHAPTERS:
            notebook = f"notebooks/{Path(name).stem}.ipynb"
            assert links.colab_url(notebook) in hrefs, "no Colab link"
            assert any(
                h.startswith(f"{links.BINDER}/v2/gh/{links.github_slug()}/")
                and h.endswith(notebook)
                for h in hrefs
            ), "no Binder link"
        if name in SCREENSHOT_CHAPTERS or name in SCREENSHOT_PAGES:
            shot = "book-" + name.replace("/", "-").removesuffix(".html") + ".png"
            if name in SCREENSHOT_ANCHORS:
                anchor = SCREENSHOT_ANCHORS[name]
                page.evaluate("id => document.getElementById(id).scrollIntoView()", anchor)
            page.screenshot(path=str(ARTIFACTS / shot), full_page=False)
        assert visit.errors == [], f"console errors: {visit.errors}"
        assert visit.outside == [], f"requests leaving 127.0.0.1: {visit.outside}"
    finally:
        visit.close()


def test_search_finds_glorot(browser, book_url):
    visit = Visit(browser, book_url + "search.html?q=Glorot")
    try:
        results = visit.page.locator("#search-results ul.search li")
        results.first.wait_for(timeout=LOAD_MS)
        found = results.all_inner_texts()
        assert any("Glorot" in text for text in found), found[:5]
        visit.page.screenshot(path=str(ARTIFACTS / "book-search-glorot.png"))
        assert visit.errors == [], f"console errors: {visit.errors}"
        assert visit.outside == []
    finally:
        visit.close()


EXPLORER_STILL = """async () => {
    const cells = [...document.querySelectorAll('div.cell')]
        .filter(cell => (cell.querySelector('.cell_input') || {}).textContent
            ?.includes('widgets.explorer()'));
    return cells.map(cell => {
        const image = cell.querySelector('.cell_output figure img');
        const caption = cell.querySelector('.cell_output figure figcaption');
        const links = caption ? [...caption.querySelectorAll('a.reference')] : [];
        return {
            loaded: !!image && image.complete && image.naturalWidth > 0,
            width: image ? image.naturalWidth : 0,
            alt: image ? image.getAttribute('alt') : '',
            links: links.map(a => a.textContent),
        };
    });
}"""


def test_the_explorer_chapter_shows_the_explorer_where_the_widget_was(browser, book_url):
    visit = Visit(browser, book_url + EXPLORER_CHAPTER)
    page = visit.page
    try:
        assert page.evaluate(IMAGES_LOADED) == [], "images that did not load"
        stills = page.evaluate(EXPLORER_STILL)
        assert len(stills) == 1, f"cells that show the explorer: {stills}"
        still = stills[0]
        assert still["loaded"] and still["width"] >= 1000, still
        assert still["alt"].startswith("The explorer as it opens"), still["alt"]
        assert still["links"] == ["Colab", "Binder"], still["links"]
        widget_views = page.locator('script[type="application/vnd.jupyter.widget-view+json"]')
        assert widget_views.count() == 0, "a widget view the book cannot show is left"
        figure = page.locator("div.cell_output figure.widget-still")
        figure.scroll_into_view_if_needed()
        figure.screenshot(path=str(ARTIFACTS / "book-explorer-still.png"))
        assert visit.errors == [], f"console errors: {visit.errors}"
        assert visit.outside == []
    finally:
        visit.close()
