"""How long does the explorer take to answer a control change, and does its memory stay flat?

Builds the signal tab at its default settings (tanh, lecun_init, 10 layers of 256, 500
samples) in the classroom style, as notebook 08 does, then changes a control the way a
learner does and times each change from the new value to the new picture in the ``Output``
widget (experiment, histograms, theory, redraw, PNG). Prints the median per control
(target: at most 150 ms for the gain slider at the default settings), wall-clock and CPU
time, and the memory over 200 updates after a warm-up (target: flat; no figure is created per
update).

Run: ``OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 python benchmarks/explorer_latency.py``
"""

from __future__ import annotations

import gc
import statistics
import time
import tracemalloc

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import psutil

from weight_init import plots, widgets

TARGET_MS = 150.0
UPDATES = 200
WARM_UP = 50


def timed_changes(control, values, repeats: int) -> tuple[list[float], list[float]]:
    """Set ``control.value`` to each of ``values`` in turn, ``repeats`` times.

    Returns the wall-clock and the CPU seconds of each change. On a shared machine the CPU
    time is what an idle machine's wall clock would show (the work is one thread).
    """
    wall, cpu = [], []
    for i in range(repeats):
        start_wall, start_cpu = time.perf_counter(), time.process_time()
        control.value = values[i % len(values)]
        wall.append(time.perf_counter() - start_wall)
        cpu.append(time.process_time() - start_cpu)
    return wall, cpu


def megabytes() -> float:
    gc.collect()
    return psutil.Process().memory_info().rss / 2**20


def ms(seconds: list[float]) -> str:
    return f"{statistics.median(seconds) * 1e3:7.1f} ms"


def main() -> None:
    plots.use_classroom_style()
    tab = widgets.signal_tab()
    gains = [1.05, 1.0, 0.95, 1.0]
    timed_changes(tab.gain, gains, WARM_UP)  # caches, first draws, the allocator's high-water mark

    rss_before = megabytes()
    gain_wall, gain_cpu = timed_changes(tab.gain, gains, UPDATES)
    rss_after = megabytes()
    tracemalloc.start()
    timed_changes(tab.gain, gains, 20)  # replace what was made before tracing began
    gc.collect()
    traced_before = tracemalloc.get_traced_memory()[0]
    timed_changes(tab.gain, gains, UPDATES)
    gc.collect()
    traced_after = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()

    others = {
        "activation (tanh <-> relu)": timed_changes(tab.activation, ["relu", "tanh"], 20),
        "initializer (lecun_init <-> he_normal)": timed_changes(
            tab.initializer, ["he_normal", "lecun_init"], 20
        ),
        "view (forward <-> backward)": timed_changes(tab.direction, ["backward", "forward"], 20),
    }
    print(
        f"default settings: {widgets.views.signal_title(tab.view)}, {tab.view.settings.samples} "
        "samples"
    )
    print(f"{'control':40s}  median wall   median CPU   (of n updates)")
    print(f"{'gain slider':40s}  {ms(gain_wall)}   {ms(gain_cpu)}   ({UPDATES})")
    for name, (wall, cpu) in others.items():
        print(f"{name:40s}  {ms(wall)}   {ms(cpu)}   ({len(wall)})")
    median_ms = statistics.median(gain_wall) * 1e3
    print(f"gain slider median wall / target ({TARGET_MS:.0f} ms): {median_ms / TARGET_MS:.3f}")
    print(
        f"process memory over {UPDATES} updates: {rss_before:.1f} MB -> {rss_after:.1f} MB "
        f"({rss_after - rss_before:+.1f} MB)"
    )
    print(
        f"Python heap over {UPDATES} more updates (tracemalloc): {traced_before / 2**20:.2f} MB -> "
        f"{traced_after / 2**20:.2f} MB ({(traced_after - traced_before) / 2**10:+.1f} KB)"
    )
    print(f"pyplot figures open: {len(plt.get_fignums())}")


if __name__ == "__main__":
    main()
