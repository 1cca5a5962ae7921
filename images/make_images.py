"""(Re)generate every picture that the notebooks' and README's text show.

Run ``make images`` (or ``python images/make_images.py [name.png ...]``). Each entry of
:data:`IMAGES` maps a file name in this folder to a function that returns a matplotlib
figure, drawn by :mod:`weight_init.plots`; to add a picture, add one entry.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Callable

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
from matplotlib.figure import Figure

from weight_init import initializers, plots

IMAGES_DIR = Path(__file__).resolve().parent

IMAGES: dict[str, Callable[[], Figure]] = {
    "network_2_4_3_1.png": lambda: plots.draw_network(
        [2, 4, 3, 1], "The blog's network: l = [2, 4, 3, 1]"
    ),
    "network_deep_wide.png": lambda: plots.draw_network(
        [500, 500, 500, 500, 500, 500, 1],
        "A deeper, wider net: 5 hidden layers of 500 units",
        max_units_drawn=8,
    ),
    "weight_layouts.png": lambda: plots.draw_weight_layouts(fan_in=2, fan_out=4),
    "initializer_gallery.png": lambda: plots.plot_initializer_scales(
        initializers.sample_catalogue((200, 100), seed=0),
        "Every Keras initializer of the catalogue on a (200, 100) kernel (fan_in 200, fan_out 100)",
    ),
}


def make_images(names: list[str] | None = None) -> list[Path]:
    """Draw and save the images called ``names`` (all of :data:`IMAGES` by default)."""
    unknown = sorted(set(names or []) - set(IMAGES))
    if unknown:
        raise ValueError(f"Unknown image name(s): {unknown}. Known: {sorted(IMAGES)}.")
    plots.use_classroom_style()
    written = []
    for name in names or list(IMAGES):
        figure = IMAGES[name]()
        path = IMAGES_DIR / name
        # No "Software" stamp, so the same drawing gives the same bytes on every run.
        figure.savefig(path, dpi=100, metadata={"Software": None})
        plt.close(figure)
        written.append(path)
    return written


if __name__ == "__main__":
    for written_path in make_images(sys.argv[1:]):
        print(f"wrote {written_path.relative_to(IMAGES_DIR.parent)}")
