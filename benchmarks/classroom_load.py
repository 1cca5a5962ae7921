"""Does the classroom app hold a class? N students open the explorer at once.

Starts the app exactly as ``make app`` does (``make app APP_PORT=…``, so with app/voila.py's
preheated kernels and culling), waits until its kernel pool is full, then opens N student pages
at once in headless Chromium, each in its own browser context (its own cookies, like its own
laptop). For each N (1, 10 and 30 by default) it prints:

* the time from opening a page to its first picture (median and p95);
* the update latency: every student changes the activation a few times, each at a random
  moment, and the time from the change to the new summary line is taken (median and p95);
* failures: pages without a picture after 300 s, changes not shown after 60 s;
* the kernels and the server's memory (Voilà and its kernels, unique set size) before the class,
  during it, and after every page has closed (tabs closed as a browser closes them), until the
  count is back to the pool's size or 90 s have passed.

The students' browsers run on the same two cores as the server, where a class's laptops would
not: each page costs its browser 1.5 to 3 CPU-seconds to load (more when 30 load at once), so
30 pages alone keep both cores busy for half a minute to three quarters of one. To stand in
for the students' own machines, Chromium runs at a lower priority (``--browser-nice 10``, the
default): the server and its kernels come first and the browsers get the rest of the CPU.
``--browser-nice 0`` shares the cores equally. This benchmark takes several minutes and is not
part of ``make benchmarks``:

    .venv/bin/python benchmarks/classroom_load.py            # N = 1, 10, 30
    .venv/bin/python benchmarks/classroom_load.py --students 5 --pool 5
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import re
import signal
import socket
import statistics
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import psutil
from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Page, async_playwright

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PICTURE = ".explorer-signal .widget-output img"
FIRST_PICTURE_S = 300
UPDATE_S = 60
POOL_FILL_S = 600
AFTER_CLOSE_S = 90
ACTIVATIONS = ("relu", "sigmoid", "tanh")


@dataclass
class Student:
    """One student's measurements."""

    first_picture: float | None = None
    updates: list[float] = field(default_factory=list)
    failed_updates: int = 0
    error: str = ""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def percentile(values: list[float], share: float) -> float:
    """The ``share`` quantile by linear interpolation (numpy's default method)."""
    ordered = sorted(values)
    position = share * (len(ordered) - 1)
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def summary(values: list[float]) -> str:
    if not values:
        return "–"
    return f"{statistics.median(values):.2f} / {percentile(values, 0.95):.2f} s"


class App:
    """``make app`` in its own process group, with its log and its processes."""

    def __init__(self, pool: int | None, idle_seconds: int | None) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        self.log = Path(tempfile.mkdtemp(prefix="classroom-app-")) / "voila.log"
        command = ["make", "--no-print-directory", "app", f"APP_PORT={self.port}"]
        if pool is not None:
            command.append(f"APP_POOL={pool}")
        if idle_seconds is not None:
            command.append(f"APP_CULL={idle_seconds}")
        with open(self.log, "w") as log:  # the child keeps its own copy of the file
            self.make = subprocess.Popen(
                command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )

    def text(self) -> str:
        return self.log.read_text()

    def processes(self) -> tuple[psutil.Process | None, list[psutil.Process]]:
        """Voilà's server process and its kernels."""
        server, kernels = None, []
        try:
            descendants = psutil.Process(self.make.pid).children(recursive=True)
        except psutil.NoSuchProcess:
            return None, []
        for process in descendants:
            try:
                command = " ".join(process.cmdline())
            except psutil.NoSuchProcess:
                continue
            if "ipykernel_launcher" in command:
                kernels.append(process)
            elif "voila" in command and server is None:
                server = process
        return server, kernels

    def cpu_seconds(self) -> float:
        """CPU time used so far by Voilà and its running kernels."""
        server, kernels = self.processes()
        return cpu_seconds(([server] if server else []) + kernels)

    def kernels_and_megabytes(self) -> tuple[int, float, float]:
        """How many kernels run, the unique memory (USS) of Voilà and its kernels together and
        the median kernel's, in MB."""
        server, kernels = self.processes()
        server_mb, kernel_mb = 0.0, []
        for process in ([server] if server else []) + kernels:
            try:
                megabytes = process.memory_full_info().uss / 2**20
            except psutil.NoSuchProcess:
                continue
            if process is server:
                server_mb = megabytes
            else:
                kernel_mb.append(megabytes)
        median = statistics.median(kernel_mb) if kernel_mb else 0.0
        return len(kernels), server_mb + sum(kernel_mb), median

    def wait_until_ready(self, pool_expected: bool) -> float:
        """Wait for the server to answer and, with a pool, for the pool to be full."""
        start = time.monotonic()
        while time.monotonic() - start < POOL_FILL_S:
            if self.make.poll() is not None:
                raise RuntimeError(f"make app exited:\n{self.text()[-3000:]}")
            log = self.text()
            if "is running at" in log and (not pool_expected or "is filled with" in log):
                try:
                    urllib.request.urlopen(self.url + "voila/static/", timeout=2).close()
                except urllib.error.HTTPError:
                    pass
                except (urllib.error.URLError, ConnectionError, TimeoutError):
                    time.sleep(0.5)
                    continue
                return time.monotonic() - start
            time.sleep(0.5)
        raise RuntimeError(f"the app was not ready within {POOL_FILL_S} s")

    def stop(self) -> None:
        if self.make.poll() is None:
            os.killpg(self.make.pid, signal.SIGTERM)
            try:
                self.make.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.make.pid, signal.SIGKILL)
                self.make.wait()


async def change_activation(page: Page, activation: str) -> float:
    """Choose ``activation`` and return the seconds until the summary line shows it."""
    select = page.locator(
        ".explorer-signal .widget-dropdown:has(label:text-is('activation')) select"
    )
    start = time.perf_counter()
    await select.select_option(activation)
    await page.wait_for_function(
        """activation => [...document.querySelectorAll('.explorer-signal .widget-html-content')]
            .some(element => element.innerText.startsWith(`forward: ${activation},`))""",
        arg=activation,
        timeout=UPDATE_S * 1000,
    )
    return time.perf_counter() - start


async def arrive(page: Page, url: str, record: Student, start_gun: asyncio.Event) -> None:
    """Open the app when the start gun fires; note the time to the first picture."""
    await start_gun.wait()
    opened = time.perf_counter()
    try:
        await page.goto(url, timeout=FIRST_PICTURE_S * 1000)
        await page.locator(PICTURE).wait_for(timeout=FIRST_PICTURE_S * 1000)
        record.first_picture = time.perf_counter() - opened
    except PlaywrightError as error:  # a page that never shows its picture is a failure
        record.error = type(error).__name__


async def act(page: Page, record: Student, plan: list[float], rng: random.Random) -> None:
    """Change the activation at the planned moments (seconds after the class has its pictures)."""
    start = time.perf_counter()
    current = "tanh"
    for moment in plan:
        await asyncio.sleep(max(0.0, moment - (time.perf_counter() - start)))
        current = rng.choice([name for name in ACTIVATIONS if name != current])
        try:
            record.updates.append(await change_activation(page, current))
        except PlaywrightError:
            record.failed_updates += 1


def cpu_seconds(processes: list[psutil.Process]) -> float:
    total = 0.0
    for process in processes:
        try:
            times = process.cpu_times()
        except psutil.NoSuchProcess:
            continue
        total += times.user + times.system
    return total


def chromium_processes() -> list[psutil.Process]:
    return [p for p in psutil.Process().children(recursive=True) if "chrom" in p.name()]


def lower_priority_of_chromium(nice: int) -> None:
    """Give this process's Chromium processes the niceness ``nice`` (renderers started later
    inherit it from the zygote); the measuring code keeps its own priority."""
    for process in psutil.Process().children(recursive=True):
        try:
            if "chrom" in process.name():
                process.nice(max(nice, process.nice()))
        except psutil.NoSuchProcess:
            pass


async def run_class(
    url: str, students: int, actions: int, spread: float, app: App, seed: int, nice: int
) -> tuple[list[Student], list[tuple[float, int, float]]]:
    rng = random.Random(seed)
    records = [Student() for _ in range(students)]
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        lower_priority_of_chromium(nice)
        contexts = [await browser.new_context() for _ in range(students)]
        pages = [await context.new_page() for context in contexts]
        plans = [sorted(rng.uniform(0, spread) for _ in range(actions)) for _ in range(students)]
        start_gun = asyncio.Event()
        arrivals = [
            asyncio.create_task(arrive(page, url, record, start_gun))
            for page, record in zip(pages, records)
        ]
        server_before, browsers_before = app.cpu_seconds(), cpu_seconds(chromium_processes())
        arrived = time.perf_counter()
        start_gun.set()
        await asyncio.gather(*arrivals)
        cpu = (
            app.cpu_seconds() - server_before,
            cpu_seconds(chromium_processes()) - browsers_before,
            time.perf_counter() - arrived,
        )
        during = app.kernels_and_megabytes()
        await asyncio.gather(
            *(
                act(page, record, plan, random.Random(rng.random()))
                for page, record, plan in zip(pages, records, plans)
                if record.first_picture is not None
            )
        )
        for page in pages:  # as a browser closes a tab: Voilà's page asks to shut its kernel
            await page.close(run_before_unload=True)
        closed = time.monotonic()
        for context in contexts:
            await context.close()
        await browser.close()
    return records, cpu, [(-1.0, *during), *await watch_after_close(app, closed)]


async def watch_after_close(app: App, closed: float) -> list[tuple[float, int, float, float]]:
    """(seconds since the pages closed, kernels, MB) every 5 s until the pool alone is left."""
    filled = re.search(r"filled with (\d+) kernel", app.text())
    pool = int(filled.group(1)) if filled else 0
    samples = []
    while True:
        await asyncio.sleep(5)
        elapsed = time.monotonic() - closed
        kernels, megabytes, kernel_mb = app.kernels_and_megabytes()
        samples.append((elapsed, kernels, megabytes, kernel_mb))
        if (kernels <= pool and elapsed > 15) or elapsed > AFTER_CLOSE_S:
            return samples


def report(
    students: int, records: list[Student], cpu: tuple, idle: tuple, samples: list[tuple]
) -> str:
    pictures = [r.first_picture for r in records if r.first_picture is not None]
    updates = [u for r in records for u in r.updates]
    failures = sum(r.first_picture is None for r in records)
    failed_updates = sum(r.failed_updates for r in records)
    (_, during_kernels, during_mb, kernel_mb), *after = samples
    last_elapsed, last_kernels, last_mb, _ = after[-1]
    row = (
        f"| {students} | {summary(pictures)} | {summary(updates)} ({len(updates)} changes) | "
        f"{failures} pages, {failed_updates} changes | {idle[0]} → {during_kernels} → "
        f"{last_kernels} after {last_elapsed:.0f} s | {idle[1]:.0f} → {during_mb:.0f} → "
        f"{last_mb:.0f} MB |"
    )
    machine = cpu[2] * (os.cpu_count() or 1)
    closing = ", ".join(f"{t:.0f}: {k}, {m:.0f}" for t, k, m, _ in after)
    cpu_line = (
        f"    CPU until the last picture ({cpu[2]:.0f} s): Voilà and its kernels {cpu[0]:.0f} s, "
        f"the students' browsers {cpu[1]:.0f} s, of the {machine:.0f} CPU-seconds the machine had"
    )
    lines = [
        row,
        f"    after the pages closed (s: kernels, MB): {closing}",
        cpu_line,
        f"    one kernel (one student) while the class is in: {kernel_mb:.0f} MB of its own (USS)",
    ]
    errors = sorted({r.error for r in records if r.error})
    if errors:
        lines.append(f"    page errors: {', '.join(errors)}")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, nargs="+", default=[1, 10, 30])
    parser.add_argument("--pool", type=int, default=None, help="APP_POOL (default: make's)")
    parser.add_argument("--cull", type=int, default=None, help="APP_CULL (default: make's)")
    parser.add_argument("--actions", type=int, default=3, help="changes per student")
    parser.add_argument("--spread", type=float, default=30.0, help="seconds the changes span")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--browser-nice", type=int, default=10, help="Chromium's niceness (0: the server's)"
    )
    options = parser.parse_args()
    print(
        f"machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f} at start; "
        f"browsers at niceness {options.browser_nice}"
    )
    print(
        "| students at once | first picture, median / p95 | one control change, median / p95"
        " | failures | kernels: idle → class → after closing | server memory (USS) |"
    )
    print("|---|---|---|---|---|---|")
    for students in options.students:
        app = App(options.pool, options.cull)
        try:
            app.wait_until_ready(pool_expected=options.pool != 0)
            time.sleep(3)  # let the last preheated kernel settle
            idle = app.kernels_and_megabytes()
            records, cpu, samples = asyncio.run(
                run_class(
                    app.url,
                    students,
                    options.actions,
                    options.spread,
                    app,
                    options.seed,
                    options.browser_nice,
                )
            )
            print(report(students, records, cpu, idle, samples), flush=True)
        finally:
            app.stop()
    print(f"load average at the end: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
