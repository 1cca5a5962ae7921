"""Every figure the notebooks reuse, in one classroom style.

The style is meant for a projector: large fonts, thick lines, and the Okabe-Ito palette,
which stays distinguishable under the common forms of colour blindness. The functions here
draw results; they compute nothing beyond binning a histogram. Layers are numbered from 1
on every axis, as a learner counts them.
"""

from __future__ import annotations

from typing import Mapping, Optional, Sequence

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

OKABE_ITO = [
    "#0072B2",  # blue
    "#D55E00",  # vermillion
    "#009E73",  # bluish green
    "#E69F00",  # orange
    "#CC79A7",  # reddish purple
    "#56B4E9",  # sky blue
    "#F0E442",  # yellow
    "#000000",  # black
]

CLASSROOM_STYLE = {
    "figure.dpi": 80,
    "savefig.dpi": 100,
    "font.size": 14,
    "axes.titlesize": 16,
    "axes.labelsize": 15,
    "xtick.labelsize": 13,
    "ytick.labelsize": 13,
    "legend.fontsize": 13,
    "lines.linewidth": 2.5,
    "lines.markersize": 8,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.prop_cycle": mpl.cycler(color=OKABE_ITO),
    "figure.constrained_layout.use": True,
}


def use_classroom_style() -> None:
    """Apply the series' plot style (fonts, palette, layout) to matplotlib."""
    mpl.rcParams.update(CLASSROOM_STYLE)


def _layer_numbers(count: int) -> np.ndarray:
    return np.arange(1, count + 1)


def plot_layer_stats(
    means: Sequence[float], stds: Sequence[float], title: str, quantity: str = "activation"
) -> Figure:
    """Seed 002's figure: per-layer mean (left) and standard deviation (right) of ``quantity``."""
    fig, (left, right) = plt.subplots(1, 2, figsize=(12, 4))
    layers = _layer_numbers(len(means))
    left.plot(layers, means, "o-", color=OKABE_ITO[0])
    left.set(title=f"{quantity} mean per layer", xlabel="layer", ylabel=f"mean of {quantity}")
    right.plot(layers, stds, "o-", color=OKABE_ITO[1])
    right.set(title=f"{quantity} std per layer", xlabel="layer", ylabel=f"std of {quantity}")
    for ax in (left, right):
        ax.set_xticks(layers)
    fig.suptitle(title)
    return fig


def plot_layer_histograms(
    arrays: Sequence[np.ndarray],
    title: str,
    value_range: tuple[float, float] = (-1.0, 1.0),
    bins: int = 30,
    quantity: str = "activation",
) -> Figure:
    """Seed 002's strip: one histogram of all entries per layer, on a shared value range.

    The y axis is the fraction of entries per bin, so layers of any size compare.
    """
    count = len(arrays)
    fig, axes = plt.subplots(1, count, figsize=(max(12, 1.8 * count), 3.2), sharey=True)
    axes = np.atleast_1d(axes)
    for index, (ax, values) in enumerate(zip(axes, arrays)):
        flat = np.ravel(values)
        weights = np.full(flat.size, 1.0 / flat.size)
        ax.hist(flat, bins=bins, range=value_range, weights=weights, color=OKABE_ITO[0])
        ax.set_title(f"layer {index + 1}", fontsize=13)
        ax.set_xlim(value_range)
        ax.tick_params(axis="x", labelsize=10)
    axes[0].set_ylabel("fraction")
    fig.supxlabel(quantity)
    fig.suptitle(title)
    return fig


def plot_layer_curves(
    curves: Mapping[str, Sequence[float]],
    title: str,
    ylabel: str,
    log_scale: bool = False,
    reference: Optional[tuple[str, Sequence[float]]] = None,
) -> Figure:
    """Compare one per-layer quantity across settings: one labelled line per entry of ``curves``.

    ``reference`` is an optional ``(label, values)`` drawn dashed in black, for a theory's
    prediction.
    """
    fig, ax = plt.subplots(figsize=(10, 4.5))
    for (label, values), marker in zip(curves.items(), "osD^v<>p"):
        ax.plot(_layer_numbers(len(values)), values, marker=marker, label=label)
    if reference is not None:
        label, values = reference
        ax.plot(_layer_numbers(len(values)), values, "--", color="black", label=label)
    if log_scale:
        ax.set_yscale("log")
    longest = max(len(values) for values in curves.values())
    ax.set_xticks(_layer_numbers(longest))
    ax.set(title=title, xlabel="layer", ylabel=ylabel)
    ax.legend()
    return fig
