"""The classroom app leaks no kernel: every page's kernel goes away when the page does.

Starts the app as ``make app`` does (app/voila.py's settings) with a pool of two preheated
kernels and a short idle timeout, then drives student pages in headless Chromium: a page that
reloads, a tab that closes, and a browser that vanishes without closing its page (its kernel is
left to the culler). Each time, the page's own kernel must be shut down and, at the end, only
the preheated pool is left. Nothing here asserts a time: the waits are generous upper bounds
for a busy machine.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import time
from pathlib import Path

import psutil
import pytest
from playwright.sync_api import Page, sync_playwright

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-sync"]
POOL = 2
IDLE_SECONDS = 6  # the culler's timeout for a kernel without a page (checked every second)
READY_S = 300  # generous bounds for a shared machine; never asserted as speeds
PAGE_MS = 180_000
GONE_S = 120
PICTURE = ".explorer-signal .widget-output img"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class App:
    """``make app`` in its own process group; its kernels are the ipykernel processes under it."""

    def __init__(self) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        self.log = ARTIFACTS / "classroom-app.log"
        command = [
            "make",
            "--no-print-directory",
            "app",
            f"APP_PORT={self.port}",
            f"APP_POOL={POOL}",
            f"APP_CULL={IDLE_SECONDS}",
        ]
        with open(self.log, "w") as log:
            self.make = subprocess.Popen(
                command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )

    def kernel_ids(self) -> set[str]:
        """The ids of the running kernels (from their connection files' names)."""
        ids = set()
        for process in psutil.Process(self.make.pid).children(recursive=True):
            try:
                command = " ".join(process.cmdline())
            except psutil.NoSuchProcess:
                continue
            if "ipykernel_launcher" in command:
                ids.add(command.split("kernel-")[-1].removesuffix(".json"))
        return ids

    def wait_for(self, condition, what: str, seconds: float = GONE_S) -> set[str]:
        deadline = time.monotonic() + seconds
        while True:
            if self.make.poll() is not None:
                raise RuntimeError(f"make app exited; see {self.log}")
            kernels = self.kernel_ids()
            if condition(kernels):
                return kernels
            if time.monotonic() > deadline:
                raise AssertionError(f"{what}: still running {sorted(kernels)}; see {self.log}")
            time.sleep(0.5)

    def stop(self) -> None:
        if self.make.poll() is None:
            os.killpg(self.make.pid, signal.SIGTERM)
            try:
                self.make.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.make.pid, signal.SIGKILL)
                self.make.wait()


@pytest.fixture(scope="module")
def app():
    ARTIFACTS.mkdir(exist_ok=True)
    served = App()
    try:
        deadline = time.monotonic() + READY_S
        while "is filled with" not in served.log.read_text():
            if served.make.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the app's kernel pool did not fill; see {served.log}")
            time.sleep(0.5)
        yield served
    finally:
        served.stop()


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield chromium
        finally:
            chromium.close()


def open_app(page: Page, url: str) -> str:
    """Open the app, wait for its picture, and return the id of the page's kernel."""
    page.goto(url, timeout=PAGE_MS)
    page.locator(PICTURE).wait_for(timeout=PAGE_MS)
    config = page.locator("#jupyter-config-data").text_content()
    return json.loads(config)["kernelId"]


def test_the_app_starts_with_its_preheated_pool_only(app):
    assert len(app.wait_for(lambda kernels: len(kernels) == POOL, "the pool")) == POOL


def test_a_reloaded_page_and_a_closed_tab_leave_no_kernel(app, browser):
    pool = app.kernel_ids()
    context = browser.new_context()
    page = context.new_page()
    first = open_app(page, app.url)
    assert first in pool  # the page was served from a preheated kernel
    page.reload()
    page.locator(PICTURE).wait_for(timeout=PAGE_MS)
    second = json.loads(page.locator("#jupyter-config-data").text_content())["kernelId"]
    assert second != first
    app.wait_for(lambda kernels: first not in kernels, "the kernel of the page before its reload")
    page.close(run_before_unload=True)  # as a browser closes a tab
    app.wait_for(lambda kernels: second not in kernels, "the kernel of a closed tab")
    context.close()


def test_a_vanished_browser_leaves_no_kernel(app, browser):
    context = browser.new_context()
    kernel = open_app(context.new_page(), app.url)
    assert kernel in app.kernel_ids()
    context.close()  # no page-close request: the culler has to find the kernel
    app.wait_for(lambda kernels: kernel not in kernels, "the kernel of a vanished browser")


def test_after_the_students_leave_only_the_pool_is_left(app):
    # The pool refills once per page served; what remains is a full pool, no student kernel.
    app.wait_for(lambda kernels: len(kernels) == POOL, "kernels beyond the pool")
