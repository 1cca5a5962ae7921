"""The explorer in a real browser: Voilà serves notebook 08, headless Chromium uses it.

Run with ``make test-browser`` (it installs Voilà, Playwright for Python and, when missing,
Debian's Chromium). The test waits for the widgets, changes the activation and the view, and
checks that the summary line and the picture both change; a screenshot of each state is saved
under ``test-artifacts/`` (ignored by git).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import Page, sync_playwright

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOK = ROOT / "notebooks" / "08_explorer.ipynb"
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SERVER_START_SECONDS = 60
NOTEBOOK_RUN_MS = 180_000  # Voilà executes the whole notebook before showing it
UPDATE_MS = 30_000

SIGNAL, TRAINING = ".explorer-signal", ".explorer-training"  # the two tabs' boxes
SUMMARY = f"{SIGNAL} .widget-html-content:has-text('σ_w²')"
PICTURE = ".widget-output img"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def voila_url():
    port = free_port()
    log = open(ARTIFACTS / "voila.log", "w")
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "voila",
            str(NOTEBOOK),
            "--no-browser",
            f"--port={port}",
            "--Voila.ip=127.0.0.1",
        ],
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
        env={
            **os.environ,
            "OMP_NUM_THREADS": "1",
            "OPENBLAS_NUM_THREADS": "1",
            "MKL_NUM_THREADS": "1",
        },
    )
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + SERVER_START_SECONDS
        while True:
            if server.poll() is not None:
                raise RuntimeError(f"Voilà exited with code {server.returncode}; see {log.name}")
            try:
                # Any HTTP answer means the server is up (the root would run the notebook).
                urllib.request.urlopen(url + "voila/static/", timeout=2).close()
                break
            except urllib.error.HTTPError:
                break
            except (urllib.error.URLError, ConnectionError, TimeoutError) as error:
                if time.monotonic() > deadline:
                    raise RuntimeError(
                        f"Voilà did not answer on {url} within {SERVER_START_SECONDS} s"
                    ) from error
                time.sleep(0.5)
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()


@pytest.fixture(scope="module")
def page(voila_url):
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 1000})
            page.goto(voila_url, timeout=NOTEBOOK_RUN_MS)
            yield page
        finally:
            browser.close()


def shown(page: Page) -> tuple[str, str]:
    """The summary line's text and the picture's data URL of the first tab, as shown."""
    return (
        page.locator(SUMMARY).inner_text(),
        page.locator(f"{SIGNAL} {PICTURE}").get_attribute("src") or "",
    )


def wait_for_change(page: Page, before: tuple[str, str]) -> tuple[str, str]:
    """Wait until both the summary line and the picture differ from ``before``."""
    page.wait_for_function(
        """([oldText, oldSrc]) => {
            const text = [...document.querySelectorAll('.explorer-signal .widget-html-content')]
                .find(element => element.innerText.includes('σ_w²'));
            const image = document.querySelector('.explorer-signal .widget-output img');
            return text && image && text.innerText !== oldText && image.src !== oldSrc;
        }""",
        arg=list(before),
        timeout=UPDATE_MS,
    )
    return shown(page)


def control(page: Page, kind: str, label: str):
    """The signal tab's control of ``kind`` labelled ``label``."""
    return page.locator(f"{SIGNAL} .widget-{kind}:has(label:text-is('{label}'))")


def test_the_explorer_appears_with_its_picture_and_numbers(page):
    page.locator(f"{SIGNAL} {PICTURE}").wait_for(timeout=NOTEBOOK_RUN_MS)
    page.locator(SUMMARY).wait_for(timeout=NOTEBOOK_RUN_MS)
    summary, picture = shown(page)
    assert summary.startswith("forward: tanh, lecun_init × 1.00, 10 layers of 256")
    assert "χ₁ = 1.000 at the fixed point q* ≈ 0 (edge of chaos)" in summary
    assert "gradients still shrink" in summary
    assert picture.startswith("data:image/png;base64,")
    page.locator(".widget-tab").first.scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "explorer-start.png"))


def test_changing_controls_changes_what_is_shown(page):
    before = shown(page)
    control(page, "dropdown", "activation").locator("select").select_option("relu")
    after_activation = wait_for_change(page, before)
    assert after_activation[0].startswith("forward: relu, lecun_init")
    assert "of the entries are exactly 0" in after_activation[0]  # the ReLU zeros

    control(page, "toggle-buttons", "view").get_by_role("button", name="backward").click()
    after_view = wait_for_change(page, after_activation)
    assert after_view[0].startswith("backward: relu, lecun_init") and "E[(∂L/∂z)²]" in after_view[0]

    handle = control(page, "hslider", "gain (σ_w)").locator(".noUi-handle")
    handle.focus()
    for _ in range(8):  # each arrow key moves the slider one step of 0.05 and updates the view
        handle.press("ArrowRight")
    page.locator(SUMMARY).filter(has_text="× 1.40").wait_for(timeout=UPDATE_MS)
    after_gain = shown(page)
    assert after_gain[0].startswith("backward: relu, lecun_init × 1.40")
    assert after_gain[1] != after_view[1]
    page.locator(".widget-tab").first.scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "explorer-changed.png"))


def test_the_training_tab_trains_on_the_button(page):
    page.get_by_role("tab", name="Training").click()
    training = page.locator(TRAINING)
    training.locator(".widget-dropdown:has(label:text-is('initializer')) select").select_option(
        label="zeros (Keras)"
    )
    training.locator(".widget-html-content").filter(has_text="press train").wait_for(
        timeout=UPDATE_MS
    )
    picture = training.locator(PICTURE).get_attribute("src")
    training.get_by_role("button", name="train").click()
    result = (
        training.locator(".widget-html-content")
        .filter(has_text="zeros × 1.00")
        .filter(has_text="after 2000 steps")
    )
    result.wait_for(timeout=UPDATE_MS)
    assert (
        "cost 0.6931 → 0.6931" in result.inner_text()
        and "train accuracy 0.50" in result.inner_text()
    )
    assert training.locator(PICTURE).get_attribute("src") != picture
    training.scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "explorer-training.png"))
