"""Every figure the notebooks reuse, in one classroom style.

The style is meant for a projector: large fonts, thick lines, and the Okabe-Ito palette,
which stays distinguishable under the common forms of colour blindness. The functions here
draw results; they compute nothing beyond binning a histogram. Layers are numbered from 1
on every axis, as a learner counts them.
"""

from __future__ import annotations

from typing import Any, Mapping, Optional, Sequence, Union

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
from cycler import cycler
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

CLASSROOM_STYLE: dict[str, Any] = {
    "figure.dpi": 100,
    "savefig.dpi": 100,
    "font.size": 14,
    "axes.titlesize": 16,
    "axes.labelsize": 15,
    "xtick.labelsize": 14,
    "ytick.labelsize": 14,
    "legend.fontsize": 13,
    "lines.linewidth": 2.5,
    "lines.markersize": 8,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.prop_cycle": cycler(color=OKABE_ITO),
    "figure.constrained_layout.use": True,
}


def use_classroom_style() -> None:
    """Apply the series' plot style (fonts, palette, layout) to matplotlib.

    Figures are stored at 100 dpi. Tick labels are 14 pt, so that a figure up to about 15 in
    wide, shrunk to a notebook's width, still shows them at 12 pt or more on a projector.
    """
    mpl.style.use(CLASSROOM_STYLE)


def _layer_numbers(count: int) -> np.ndarray:
    return np.arange(1, count + 1)


def plot_layer_stats(
    means: Sequence[float],
    stds: Sequence[float],
    title: str,
    quantity: str = "activation",
    mean_limits: tuple[float, float] = (-0.05, 0.05),
    std_limits: tuple[float, float] = (0.0, 1.05),
) -> Figure:
    """Per-layer mean (left) and standard deviation (right) of ``quantity``.

    Both axes are fixed (``mean_limits``, ``std_limits``) so that runs compare panel for panel
    and sampling noise of order 1e-4 is not blown up to the full height of an axis.
    """
    fig, (left, right) = plt.subplots(1, 2, figsize=(12, 4))
    layers = _layer_numbers(len(means))
    left.plot(layers, means, "o-", color=OKABE_ITO[0])
    left.set(title=f"{quantity} mean per layer", xlabel="layer", ylabel=f"mean of {quantity}")
    left.set_ylim(mean_limits)
    right.plot(layers, stds, "o-", color=OKABE_ITO[1])
    right.set(title=f"{quantity} std per layer", xlabel="layer", ylabel=f"std of {quantity}")
    right.set_ylim(std_limits)
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
    columns: int = 5,
) -> Figure:
    """One histogram of all entries per layer, on a shared value range, ``columns`` a row.

    The y axis is the fraction of entries per bin, so layers of any size compare. Ten layers
    make two rows of five, so that the tick labels stay readable on a projector.
    """
    count = len(arrays)
    columns = min(columns, count)
    rows = -(-count // columns)
    fig, axes = plt.subplots(
        rows,
        columns,
        figsize=(2.6 * columns, 2.9 * rows + 0.6),
        sharex=True,
        sharey=True,
        squeeze=False,
    )
    flat_axes = axes.ravel()
    for index, (ax, values) in enumerate(zip(flat_axes, arrays)):
        flat = np.ravel(values)
        weights = np.full(flat.size, 1.0 / flat.size)
        ax.hist(flat, bins=bins, range=value_range, weights=weights, color=OKABE_ITO[0])
        ax.set_title(f"layer {index + 1}", fontsize=13)
        ax.set_xlim(value_range)
        ax.set_xticks([value_range[0], 0.5 * (value_range[0] + value_range[1]), value_range[1]])
        ax.tick_params(labelsize=12)
    for ax in flat_axes[count:]:
        ax.set_visible(False)
    for ax in axes[:, 0]:
        ax.set_ylabel("fraction")
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


# --------------------------------------------------------------------------------------
# Diagrams (drawn from code for images/, see images/make_images.py)
# --------------------------------------------------------------------------------------
def draw_network(layer_sizes: Sequence[int], title: str, max_units_drawn: int = 12) -> Figure:
    """A fully connected net as circles and lines, one column per layer ``layer_sizes[i]``.

    Column 0 is the input; a layer wider than ``max_units_drawn`` is drawn with that many
    circles and a "⋮" gap, its true width written underneath. Each layer's label gives the
    shape of the weight matrix that feeds it, ``(l[i], l[i-1])`` (out, in).
    """
    fig, ax = plt.subplots(figsize=(2.6 * len(layer_sizes) + 1, 5.5))
    truncated = [int(n) > max_units_drawn for n in layer_sizes]
    drawn = [min(int(n), max_units_drawn) for n in layer_sizes]
    tallest = max(count + cut for count, cut in zip(drawn, truncated))
    centre = (tallest - 1) / 2
    columns = []
    for count, cut in zip(drawn, truncated):
        slots = centre - (
            np.arange(count + cut) - (count + cut - 1) / 2
        )  # top to bottom, spacing 1
        columns.append(np.delete(slots, len(slots) // 2) if cut else slots)
    for column in range(len(drawn) - 1):
        for y_from in columns[column]:
            for y_to in columns[column + 1]:
                ax.plot([column, column + 1], [y_from, y_to], color="grey", linewidth=0.8, zorder=1)
    last = len(drawn) - 1
    for column, ys in enumerate(columns):
        colour = OKABE_ITO[2] if column == 0 else OKABE_ITO[1] if column == last else OKABE_ITO[0]
        ax.scatter(
            np.full(len(ys), column),
            ys,
            s=900 / max(1, tallest / 6),
            color=colour,
            edgecolor="black",
            zorder=2,
        )
        if truncated[column]:
            ax.text(column, centre, "⋮", ha="center", va="center", fontsize=22, zorder=3)
        name = "input" if column == 0 else "output" if column == last else f"hidden {column}"
        label = f"{name}\n{layer_sizes[column]} unit{'s' if layer_sizes[column] != 1 else ''}"
        if column > 0:
            label += f"\nW{column}: ({layer_sizes[column]}, {layer_sizes[column - 1]})"
        ax.text(column, -1.0, label, ha="center", va="top", fontsize=13)
    ax.set_xlim(-0.6, last + 0.6)
    ax.set_ylim(-3.2, tallest)
    ax.set_title(title)
    ax.axis("off")
    return fig


def draw_weight_layouts(fan_in: int, fan_out: int) -> Figure:
    """The same weights in the two layouts: ``(out, in)`` (the blog on scratch init, PyTorch)
    on the left and ``(in, out)`` (the CS231n-style experiment, Keras) on the right. Entry
    ``w_ji`` connects input ``i`` to unit ``j``; the right matrix is the transpose of the left
    one.
    """
    fig, (left, right) = plt.subplots(1, 2, figsize=(12, 5.5))
    panels = [
        (
            left,
            fan_out,
            fan_in,
            lambda r, c: (r, c),
            "unit",
            "input",
            f"PyTorch: W shape ({fan_out}, {fan_in}) = (out, in)\nz = W @ x,  fan_in = W.shape[1]",
        ),
        (
            right,
            fan_in,
            fan_out,
            lambda r, c: (c, r),
            "input",
            "unit",
            f"Keras: kernel shape ({fan_in}, {fan_out}) = (in, out)\nz = x @ W,  "
            "fan_in = W.shape[0]",
        ),
    ]
    top = max(fan_in, fan_out)  # both matrices hang from the same top line
    for ax, rows, cols, unit_and_input, row_name, col_name, title in panels:
        for r in range(rows):
            for c in range(cols):
                unit, source = unit_and_input(r, c)
                ax.add_patch(
                    mpl.patches.Rectangle(
                        (c, top - 1 - r),
                        1,
                        1,
                        facecolor=OKABE_ITO[5],
                        alpha=0.25 + 0.5 * (source % 2),
                        edgecolor="black",
                    )
                )
                ax.text(
                    c + 0.5,
                    top - 0.5 - r,
                    f"w{unit + 1}{source + 1}",
                    ha="center",
                    va="center",
                    fontsize=15,
                )
        for r in range(rows):
            ax.text(
                -0.15, top - 0.5 - r, f"{row_name} {r + 1}", ha="right", va="center", fontsize=13
            )
        for c in range(cols):
            ax.text(
                c + 0.5,
                top + 0.15,
                f"{col_name} {c + 1}",
                ha="center",
                va="bottom",
                fontsize=13,
                rotation=0 if cols <= 4 else 45,
            )
        ax.set_xlim(-1.6, max(fan_in, fan_out) + 0.2)
        ax.set_ylim(-0.3, max(fan_in, fan_out) + 1.2)
        ax.set_aspect("equal")
        ax.set_title(title, fontsize=14)
        ax.axis("off")
    fig.suptitle("One layer, two layouts: w_ji connects input i to unit j (shading: same input)")
    return fig


def draw_layer_distributions(
    ax: mpl.axes.Axes,
    arrays: Sequence[np.ndarray],
    value_range: tuple[float, float],
    bins: int = 60,
) -> None:
    """Each layer's histogram as one line on ``ax`` (fraction of entries per bin)."""
    for index, values in enumerate(arrays):
        counts, edges = np.histogram(np.ravel(values), bins=bins, range=value_range)
        centres = (edges[:-1] + edges[1:]) / 2
        ax.plot(
            centres,
            counts / np.ravel(values).size,
            label=f"layer {index + 1}",
            color=OKABE_ITO[index % len(OKABE_ITO)],
        )
    ax.set_xlim(value_range)


def plot_layer_distributions(
    arrays: Sequence[np.ndarray],
    title: str,
    value_range: tuple[float, float],
    quantity: str,
    bins: int = 60,
) -> Figure:
    """Glorot & Bengio's figure style: each layer's histogram as one line on a shared axis.

    The y axis is the fraction of entries per bin, so layers of any size compare.
    """
    fig, ax = plt.subplots(figsize=(10, 4.5))
    draw_layer_distributions(ax, arrays, value_range, bins)
    ax.set(title=title, xlabel=quantity, ylabel="fraction per bin")
    ax.legend()
    return fig


def plot_layer_distribution_grid(
    rows: Mapping[str, Sequence[Sequence[np.ndarray]]],
    columns: Sequence[tuple[str, tuple[float, float], int]],
    title: str,
) -> Figure:
    """A grid of :func:`draw_layer_distributions` panels: one row per entry of ``rows``.

    ``rows`` maps a row label (an initializer) to one list of per-layer arrays per column;
    ``columns`` gives each column's ``(quantity, value_range, bins)``. Panels of a column share
    both axes, so the rows compare at a glance.
    """
    fig, axes = plt.subplots(
        len(rows),
        len(columns),
        figsize=(7.0 * len(columns), 3.9 * len(rows)),
        sharex="col",
        sharey="col",
        squeeze=False,
    )
    for row_axes, (label, per_column) in zip(axes, rows.items()):
        for ax, arrays, (quantity, value_range, bins) in zip(row_axes, per_column, columns):
            draw_layer_distributions(ax, arrays, value_range, bins)
            ax.set_title(f"{label}: {quantity}", fontsize=14)
        row_axes[0].set_ylabel("fraction per bin")
    for ax, (quantity, _range, _bins) in zip(axes[-1], columns):
        ax.set_xlabel(quantity)
    axes[0][-1].legend(fontsize=11)
    fig.suptitle(title)
    return fig


# --------------------------------------------------------------------------------------
# The edge of chaos (notebook 10)
# --------------------------------------------------------------------------------------
def plot_phase_diagram(
    sigma_w2_values: Sequence[float],
    sigma_b2_values: Sequence[float],
    chi_1: np.ndarray,
    critical_line: tuple[Sequence[float], Sequence[float]],
    title: str,
) -> Figure:
    r"""Poole et al.'s phase diagram: :math:`\chi_1` over :math:`(\sigma_w^2, \sigma_b^2)` and the
    critical line.

    ``chi_1[i, j]`` belongs to ``sigma_b2_values[i]`` and ``sigma_w2_values[j]``;
    ``critical_line`` = (:math:`\sigma_w^2` values, :math:`\sigma_b^2` values) traces the edge
    :math:`\chi_1 = 1`. The colour scale is logarithmic and centred on :math:`\chi_1 = 1`: ordered
    (:math:`\chi_1 < 1`) is purple, chaotic (:math:`\chi_1 > 1`) orange.
    """
    values = np.asarray(chi_1, dtype=float)
    extreme = max(float(values.max()), 1.0 / float(values.min()))
    fig, ax = plt.subplots(figsize=(10, 5.5))
    mesh = ax.pcolormesh(
        sigma_w2_values,
        sigma_b2_values,
        values,
        cmap="PuOr_r",
        norm=mpl.colors.LogNorm(vmin=1.0 / extreme, vmax=extreme),
        shading="gouraud",
    )
    colour_bar = fig.colorbar(mesh, ax=ax, label="χ₁, log scale  (< 1 ordered, > 1 chaotic)")
    _plain_log_labels(colour_bar.ax.yaxis)
    ax.plot(*critical_line, color="black", linewidth=3, label="edge of chaos, χ₁ = 1")
    low, high = min(sigma_w2_values), max(sigma_w2_values)
    ax.text(low + 0.05 * (high - low), 0.5 * max(sigma_b2_values), "ordered", fontsize=18)
    ax.text(low + 0.75 * (high - low), 0.5 * max(sigma_b2_values), "chaotic", fontsize=18)
    ax.set(
        title=title,
        xlabel="weight variance σ_w²  (Var(W) = σ_w² / fan_in)",
        ylabel="bias variance σ_b²",
    )
    ax.legend(loc="upper left")
    return fig


def plot_trainability(
    sigma_w2_values: Sequence[float],
    depths: Sequence[int],
    accuracy: np.ndarray,
    boundary: tuple[Sequence[float], Sequence[float]],
    critical_sigma_w2: float,
    title: str,
) -> Figure:
    r"""Schoenholz et al.'s trainability figure: the accuracy reached by a net of each depth
    (rows, ``accuracy[i, j]`` for ``depths[i]`` and ``sigma_w2_values[j]``) as coloured
    squares, with the predicted limit ``boundary`` = (:math:`\sigma_w^2` values, depths) (e.g.
    :math:`6 \xi_c`) and the critical :math:`\sigma_w^2` drawn over them. Both axes are logarithmic.
    """
    fig, ax = plt.subplots(figsize=(10, 5.5))
    grid_w, grid_depth = np.meshgrid(sigma_w2_values, depths)
    points = ax.scatter(
        grid_w,
        grid_depth,
        c=accuracy,
        cmap="cividis",
        vmin=0.0,
        vmax=1.0,
        marker="s",
        s=900,
        edgecolor="black",
    )
    fig.colorbar(points, ax=ax, label="training accuracy")
    ax.plot(*boundary, "--", color=OKABE_ITO[1], linewidth=3, label="predicted limit 6 ξ_c")
    ax.axvline(
        critical_sigma_w2,
        color=OKABE_ITO[2],
        linestyle=":",
        linewidth=3,
        label=f"edge of chaos, σ_w² = {critical_sigma_w2:.2f}",
    )
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xticks(list(sigma_w2_values), [f"{w:g}" for w in sigma_w2_values])
    ax.set_yticks(list(depths), [str(d) for d in depths])
    ax.minorticks_off()
    ax.set_ylim(0.7 * min(depths), 1.5 * max(depths))
    ax.set(title=title, xlabel="weight variance σ_w²", ylabel="depth (hidden layers)")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.17), ncol=2)
    return fig


# --------------------------------------------------------------------------------------
# Training (notebooks 01 and 07)
# --------------------------------------------------------------------------------------
def plot_cost_curves(
    curves: Mapping[str, Sequence[float]],
    title: str,
    reference: Optional[tuple[str, float]] = None,
    log_scale: bool = False,
    xlabel: str = "gradient-descent step",
    ylabel: str = "training cost (cross-entropy)",
    smooth: int = 1,
) -> Figure:
    """One cost curve per entry of ``curves`` (label → cost per step), one colour each.

    ``reference`` is an optional ``(label, value)`` drawn as a thin dashed grey line behind the
    curves, for example ``("ln 2", 0.693)``, the cost of a net that guesses. ``smooth > 1``
    draws the raw curve faint and its ``smooth``-step moving average on top (minibatch noise).
    """
    fig, ax = plt.subplots(figsize=(10, 4.5))
    if reference is not None:  # thin and behind, so that a curve lying on it stays visible
        ax.axhline(
            reference[1], linestyle="--", color="gray", linewidth=1.2, zorder=1, label=reference[0]
        )
    for (label, curve), colour in zip(curves.items(), OKABE_ITO):
        values = np.asarray(curve, dtype=float)
        steps = np.arange(len(values))
        if smooth > 1 and len(values) >= smooth:
            ax.plot(steps, values, color=colour, alpha=0.2, linewidth=1, zorder=2)
            window = np.ones(smooth) / smooth
            ax.plot(
                steps[smooth - 1 :],
                np.convolve(values, window, mode="valid"),
                color=colour,
                zorder=3,
                label=f"{label} ({smooth}-step mean)",
            )
        else:
            ax.plot(steps, values, color=colour, zorder=3, label=label)
    if log_scale:
        ax.set_yscale("log")
    ax.set(title=title, xlabel=xlabel, ylabel=ylabel)
    ax.legend()
    return fig


def plot_probability_surfaces(
    surfaces: Mapping[str, tuple[np.ndarray, np.ndarray, np.ndarray]],
    x: np.ndarray,
    y: np.ndarray,
    title: str,
) -> Figure:
    """A grid of panels, two per row, one per entry of ``surfaces`` (label → ``(grid_x, grid_y,
    probability)`` of ``training.probability_surface``): ``p(class 1)`` shaded from 0 to 1 on
    one shared colour bar, the 0.5 contour drawn, the points ``x`` ``(n, 2)`` marked by ``y``."""
    count = len(surfaces)
    rows = (count + 1) // 2
    fig, axes = plt.subplots(
        rows, 2, figsize=(11, 4.6 * rows), squeeze=False, sharex=True, sharey=True
    )
    labels = np.asarray(y).reshape(-1)
    levels = np.linspace(0.0, 1.0, 12)  # eleven bands, 0.5 in the middle of one
    shading = None
    for ax, (name, (grid_x, grid_y, probability)) in zip(axes.flat, surfaces.items()):
        shading = ax.contourf(grid_x, grid_y, probability, levels=levels, cmap="PuOr_r")
        # a boundary only where the net is sure of something (not rounding noise around 0.5)
        if probability.min() < 0.45 and probability.max() > 0.55:
            ax.contour(grid_x, grid_y, probability, levels=[0.5], colors="black", linewidths=1.5)
        for label, marker, face in ((0, "o", "white"), (1, "^", "black")):
            chosen = labels == label
            ax.scatter(
                x[chosen, 0],
                x[chosen, 1],
                s=16,
                marker=marker,
                facecolor=face,
                edgecolor="black",
                linewidth=0.5,
                label=f"class {label}",
            )
        ax.set(title=name, xlabel="x₁", ylabel="x₂")
    for ax in list(axes.flat)[count:]:
        ax.set_visible(False)
    handles, names = axes.flat[0].get_legend_handles_labels()
    fig.legend(handles, names, loc="outside lower center", fontsize=13, ncols=2)
    if shading is not None:
        fig.colorbar(shading, ax=axes, label="p(class 1)", ticks=[0, 0.25, 0.5, 0.75, 1])
    fig.suptitle(title)
    return fig


# --------------------------------------------------------------------------------------
# The explorer: axes-level drawings on one reusable figure
# --------------------------------------------------------------------------------------
def explorer_figure(columns: int = 2, width: float = 13.0, height: float = 4.8) -> Figure:
    """A figure of ``columns`` axes side by side, made to be redrawn many times.

    It is a bare :class:`~matplotlib.figure.Figure`, not a pyplot one: pyplot never lists it,
    so it lives exactly as long as its owner (no figure leak), and its fixed margins (no
    constrained layout) keep a redraw fast.
    """
    fig = Figure(figsize=(width, height), dpi=CLASSROOM_STYLE["figure.dpi"])
    fig.set_layout_engine("none")
    fig.subplots(
        1, columns, gridspec_kw=dict(left=0.08, right=0.98, top=0.84, bottom=0.15, wspace=0.28)
    )
    return fig


def clear_drawing(ax: mpl.axes.Axes) -> None:
    """Remove what was drawn on ``ax`` (lines, patches, images, collections, texts, legend),
    keeping the axes themselves, so a redraw does not rebuild them."""
    for artist in [*ax.lines, *ax.patches, *ax.images, *ax.collections, *ax.texts]:
        artist.remove()
    legend = ax.get_legend()
    if legend is not None:
        legend.remove()
    ax.set_yscale("linear")


def _plain_log_labels(axis: mpl.axis.Axis) -> None:
    # Ticks at 1, 2 and 5 per decade (thinned over wide ranges) with plain labels such as
    # "0.05" or "1e-05": the default mathtext labels cost a third of a redraw.
    axis.set_major_locator(mpl.ticker.LogLocator(subs=(1.0, 2.0, 5.0), numticks=7))
    axis.set_major_formatter(mpl.ticker.FuncFormatter(lambda value, _: f"{value:.2g}"))
    axis.set_minor_locator(mpl.ticker.NullLocator())


def draw_layer_violins(
    ax: mpl.axes.Axes,
    histograms: Sequence[tuple[np.ndarray, np.ndarray]],
    quantity: str,
    title: str,
) -> None:
    """Each layer's histogram ``(fractions, edges)`` drawn sideways at x = its layer number.

    Each is scaled to the same greatest width, so its shape (spread, spike, pile-up at the
    ends) reads at a glance; the y axis carries the values, shared by every layer.
    """
    clear_drawing(ax)
    outlines = []
    for layer, (fractions, edges) in zip(_layer_numbers(len(histograms)), histograms):
        half_width = np.repeat(0.45 * fractions / max(float(fractions.max()), 1e-300), 2)
        heights = np.repeat(edges, 2)[1:-1]  # each bin's bottom and top edge
        outlines.append(
            np.column_stack(
                [
                    np.concatenate([layer + half_width, (layer - half_width)[::-1]]),
                    np.concatenate([heights, heights[::-1]]),
                ]
            )
        )
    # One collection for all layers: far faster to add and draw than a patch per layer.
    ax.add_collection(
        mpl.collections.PolyCollection(outlines, facecolor=OKABE_ITO[0], edgecolor="none"),
        autolim=False,
    )
    ax.set_xlim(0.4, len(histograms) + 0.6)
    ax.set_ylim(histograms[0][1][0], histograms[0][1][-1])
    ax.xaxis.set_major_locator(mpl.ticker.MaxNLocator(integer=True, nbins=10))
    ax.set(title=title, xlabel="layer", ylabel=quantity)


def draw_moment_curve(
    ax: mpl.axes.Axes,
    measured: Sequence[float],
    predicted: Sequence[float],
    ylabel: str,
    title: str,
) -> None:
    """Measured per-layer values (markers) with the theory's prediction (dashed, black);
    a log y axis when every value is positive."""
    clear_drawing(ax)
    layers = _layer_numbers(len(measured))
    ax.plot(layers, measured, "o-", color=OKABE_ITO[1], label="measured")
    ax.plot(layers, predicted, "--", color="black", label="theory")
    values = np.asarray([*measured, *predicted], dtype=float)
    values = values[np.isfinite(values)]
    if values.size and values.min() > 0:
        ax.set_yscale("log")
        _plain_log_labels(ax.yaxis)
    ax.relim()
    ax.autoscale_view()
    ax.xaxis.set_major_locator(mpl.ticker.MaxNLocator(integer=True, nbins=10))
    ax.set(title=title, xlabel="layer", ylabel=ylabel)
    ax.legend(loc="best")


def draw_cost_curve(
    ax: mpl.axes.Axes, loss: Union[Sequence[float], np.ndarray], title: str
) -> None:
    """The training cost per step; a log y axis when every value is positive."""
    clear_drawing(ax)
    values = np.asarray(loss, dtype=float)
    ax.plot(np.arange(len(values)), values, color=OKABE_ITO[0], label="training cost")
    finite = values[np.isfinite(values)]
    if finite.size and finite.min() > 0:
        ax.set_yscale("log")
        _plain_log_labels(ax.yaxis)
    ax.relim()
    ax.autoscale_view()
    ax.set(title=title, xlabel="gradient-descent step", ylabel="cost (cross-entropy)")
    ax.legend(loc="upper right")


def shade_decision_surface(
    ax: mpl.axes.Axes,
    grid_x: np.ndarray,
    grid_y: np.ndarray,
    classes: np.ndarray,
    x: np.ndarray,
    y: np.ndarray,
) -> None:
    """The predicted class over a grid (shaded, one colour per class) and the points ``x``
    ``(n, 2)`` coloured by their labels ``y``, on ``ax``."""
    labels = np.asarray(y).reshape(-1)
    n_classes = int(max(classes.max(), labels.max())) + 1
    ax.contourf(
        grid_x,
        grid_y,
        classes,
        levels=np.arange(n_classes + 1) - 0.5,
        colors=OKABE_ITO[:n_classes],
        alpha=0.3,
    )
    for label in range(n_classes):
        chosen = labels == label
        ax.scatter(
            x[chosen, 0],
            x[chosen, 1],
            s=18,
            color=OKABE_ITO[label],
            edgecolor="black",
            linewidth=0.4,
            label=f"class {label}",
        )


def draw_decision_boundary(
    ax: mpl.axes.Axes,
    grid_x: np.ndarray,
    grid_y: np.ndarray,
    classes: np.ndarray,
    x: np.ndarray,
    y: np.ndarray,
    title: str,
) -> None:
    """Redraw ``ax`` with one decision surface (see :func:`shade_decision_surface`)."""
    clear_drawing(ax)
    shade_decision_surface(ax, grid_x, grid_y, classes, x, y)
    ax.set_xlim(grid_x.min(), grid_x.max())
    ax.set_ylim(grid_y.min(), grid_y.max())
    ax.set(title=title, xlabel="x₁", ylabel="x₂")
    ax.legend(loc="upper right", fontsize=12)


# --------------------------------------------------------------------------------------
# Normalization layers, residual streams and transformers at initialization
# --------------------------------------------------------------------------------------
def plot_against_scale(
    x_values: Sequence[float],
    curves: Mapping[str, Sequence[float]],
    title: str,
    xlabel: str,
    ylabel: str,
    log_y: bool = False,
    reference: tuple[str, Sequence[float]] | None = None,
) -> Figure:
    """One labelled line per entry of ``curves`` over ``x_values`` on a log x axis.

    ``reference`` is an optional ``(label, values)`` drawn dashed in black (a prediction).
    """
    fig, ax = plt.subplots(figsize=(10, 4.5))
    for (label, values), marker in zip(curves.items(), "osD^v<>p"):
        ax.plot(x_values, values, marker=marker, label=label)
    if reference is not None:
        label, values = reference
        ax.plot(x_values, values, "--", color="black", label=label)
    ax.set_xscale("log")
    if log_y:
        ax.set_yscale("log")
    ax.set(title=title, xlabel=xlabel, ylabel=ylabel)
    ax.legend()
    return fig


def plot_depth_profiles(
    curves: Mapping[str, Sequence[float]],
    title: str,
    ylabel: str,
    xlabel: str = "block",
    log_scale: bool = False,
    first: int = 0,
    reference: tuple[str, Sequence[float]] | None = None,
) -> Figure:
    """A quantity against depth, one line per entry of ``curves``; entry ``i`` sits at
    ``first + i``.

    Curves may differ in length (stacks of different depths). ``reference`` as in
    :func:`plot_layer_curves`.
    """
    fig, ax = plt.subplots(figsize=(10, 4.5))
    for (label, values), marker in zip(curves.items(), "osD^v<>p"):
        depth = np.arange(first, first + len(values))
        ax.plot(depth, values, marker=marker, markersize=5, label=label)
    if reference is not None:
        label, values = reference
        ax.plot(np.arange(first, first + len(values)), values, "--", color="black", label=label)
    if log_scale:
        ax.set_yscale("log")
    ax.set(title=title, xlabel=xlabel, ylabel=ylabel)
    ax.legend()
    return fig


# --------------------------------------------------------------------------------------
# Width and parametrizations (notebook 14)
# --------------------------------------------------------------------------------------
def plot_coordinate_check(
    widths: Sequence[int],
    sizes: np.ndarray,
    title: str,
    layer_names: Sequence[str] = ("h₁", "h₂", "logits"),
    ylabel: str = "mean |h(t) − h(0)|",
) -> Figure:
    """The μP authors' coordinate check: one panel per step ``t = 1 .. T``, one line per layer,
    ``sizes[i, t, l]`` against ``widths[i]`` on log-log axes (``sizes`` as in
    ``parametrization.CoordinateCheck``; column ``t = 0`` is not drawn). Flat lines mean a
    width-independent layer."""
    values = np.asarray(sizes, dtype=float)
    steps = values.shape[1] - 1
    fig, axes = plt.subplots(1, steps, figsize=(4.2 * steps, 4.4), sharey=True)
    axes = np.atleast_1d(axes)
    for t, ax in enumerate(axes, start=1):
        for layer, (name, marker) in enumerate(zip(layer_names, "osD^v")):
            ax.plot(widths, values[:, t, layer], marker=marker, label=name)
        ax.set_xscale("log", base=2)
        ax.set_yscale("log")
        ax.set_xticks(list(widths), [str(w) for w in widths], rotation=45)
        ax.minorticks_off()
        ax.set(title=f"after step t = {t}", xlabel="width n (units)")
    axes[0].set_ylabel(ylabel)
    axes[-1].legend()
    fig.suptitle(title)
    return fig


def plot_learning_rate_transfer(
    log2_rates: Sequence[float],
    losses: Mapping[str, Mapping[int, Sequence[float]]],
    title: str,
    ylabel: str = "training loss, last 20 steps",
) -> Figure:
    r"""Loss against :math:`\log_2` learning rate: one panel per parametrization (``losses[name]``),
    one line per width (``losses[name][width]``, darker = wider) and a marker at each
    width's lowest loss. The panels share their y axis."""
    fig, axes = plt.subplots(1, len(losses), figsize=(6.5 * len(losses), 4.8), sharey=True)
    axes = np.atleast_1d(axes)
    for ax, (name, by_width) in zip(axes, losses.items()):
        shades = plt.get_cmap("cividis")(np.linspace(0.85, 0.0, len(by_width)))
        for colour, (width, values) in zip(shades, by_width.items()):
            ax.plot(log2_rates, values, "o-", color=colour, markersize=5, label=f"width {width}")
            best = int(np.argmin(values))
            ax.plot(log2_rates[best], values[best], "*", color=colour, markersize=18)
        ax.set(title=name, xlabel="log₂ learning rate η")
    axes[0].set_ylabel(ylabel)
    axes[-1].legend()
    fig.suptitle(title)
    return fig


# --------------------------------------------------------------------------------------
# Checking a network at init (notebook 15)
# --------------------------------------------------------------------------------------
def plot_value_histograms(
    samples: Mapping[str, np.ndarray],
    title: str,
    xlabel: str,
    value_range: tuple[float, float] = (-1.0, 1.0),
    bins: int = 40,
) -> Figure:
    """One histogram per entry of ``samples`` (label → values), side by side on a shared value
    range; the y axis is the fraction of values per bin."""
    fig, axes = plt.subplots(1, len(samples), figsize=(5 * len(samples), 4), sharey=True)
    axes = np.atleast_1d(axes)
    for ax, (label, values), colour in zip(axes, samples.items(), OKABE_ITO):
        flat = np.ravel(values).astype(np.float64)
        ax.hist(
            flat,
            bins=bins,
            range=value_range,
            weights=np.full(flat.size, 1 / flat.size),
            color=colour,
        )
        ax.set(title=label, xlabel=xlabel)
    axes[0].set_ylabel("fraction of values")
    fig.suptitle(title)
    return fig


def plot_norm_over_time(
    steps: Sequence[int],
    curves: Mapping[str, Sequence[float]],
    title: str,
    ylabel: str = "‖∂h_T/∂h_0‖ (spectral norm)",
) -> Figure:
    """One line per entry of ``curves`` (label → a norm per step of ``steps``), log-scaled y."""
    fig, ax = plt.subplots(figsize=(10, 4.8))
    # Alternate solid and dashed lines, so that curves lying on top of each other both show.
    for (label, values), marker, style in zip(curves.items(), "osD^v<>p", ["-", "--"] * 4):
        ax.plot(steps, values, marker=marker, linestyle=style, label=label)
    ax.set_yscale("log")
    ax.set(title=title, xlabel="time steps T", ylabel=ylabel)
    ax.legend(fontsize=12)
    return fig


def plot_ratio_heatmaps(
    panels: dict[str, np.ndarray],
    row_labels: Sequence[str],
    column_labels: Sequence[str],
    title: str,
    decades: float = 6.0,
) -> Figure:
    r"""One annotated heat map per entry of ``panels`` (title -> rows × columns of ratios).

    Colours show log10 of each ratio on a diverging map centred on 0 (= kept) and saturate
    beyond :math:`\pm` ``decades``; every cell is annotated with its value, so a clipped colour
    still reads right.
    """
    fig, axes = plt.subplots(1, len(panels), figsize=(6.2 * len(panels), 5.0), squeeze=False)
    images = []
    for ax, (panel_title, values) in zip(axes[0], panels.items()):
        values = np.asarray(values, dtype=float)
        logs = np.log10(np.clip(values, 1e-300, None))
        images.append(ax.imshow(logs, cmap="PuOr", vmin=-decades, vmax=decades, aspect="auto"))
        ax.set(
            xticks=range(len(column_labels)),
            xticklabels=list(column_labels),
            yticks=range(len(row_labels)),
            yticklabels=list(row_labels),
            title=panel_title,
            xlabel="initializer",
        )
        ax.grid(False)
        for i in range(values.shape[0]):
            for j in range(values.shape[1]):
                ax.text(
                    j,
                    i,
                    f"{values[i, j]:.1g}",
                    ha="center",
                    va="center",
                    fontsize=13,
                    color="white" if abs(logs[i, j]) > 0.7 * decades else "black",
                )
    axes[0][0].set_ylabel("activation")
    fig.colorbar(images[-1], ax=list(axes[0]), label="log10 of the ratio (0 = kept)")
    fig.suptitle(title)
    return fig


def plot_repeated_product(
    products: Mapping[tuple[str, str], Sequence[float]],
    overflow_step: int,
    float32_max: float,
) -> Figure:
    """Std of ``x`` after each multiplication by one random matrix, two panels.

    ``products`` maps ``(scale name, dtype name)`` to the std after each step (``nan`` or
    ``inf`` once the numbers stopped being numbers). Scale ``"1"`` goes left on a log axis with
    float32's maximum and a cross where float32 stops; the other scale goes right on a linear
    axis. float64 is a thick solid line, float32 a dashed line with markers on top of it.
    """
    fig, (left, right) = plt.subplots(1, 2, figsize=(14, 4.8))
    for (scale_name, dtype_name), stds in products.items():
        values = np.asarray(stds, dtype=float)
        steps = np.arange(1, values.size + 1)
        finite = np.isfinite(values)
        ax = left if scale_name == "1" else right
        is_float32 = dtype_name == "float32"
        ax.plot(
            steps[finite],
            values[finite],
            color=OKABE_ITO[1] if is_float32 else OKABE_ITO[0],
            linestyle="--" if is_float32 else "-",
            linewidth=2 if is_float32 else 5,
            marker="o" if is_float32 else None,
            markevery=5,
            zorder=3 if is_float32 else 2,
            label=dtype_name,
        )
        if is_float32 and not finite.all():
            last = int(np.flatnonzero(finite)[-1])
            ax.plot(
                steps[last] + 1,
                values[last],
                "X",
                markersize=16,
                color="black",
                zorder=4,
                label=f"float32 stops (step {overflow_step})",
            )
    left.axhline(float32_max, color="grey", linewidth=1, label="float32 maximum")
    left.set_yscale("log")
    left.yaxis.set_major_locator(mpl.ticker.LogLocator(base=10, numticks=8))
    left.set(title="scale 1", xlabel="number of multiplications", ylabel="std of x (log)")
    right.set_ylim(0, 2)
    right.set(title="scale 1/sqrt(512)", xlabel="number of multiplications", ylabel="std of x")
    for ax in (left, right):
        ax.legend(fontsize=11)
    fig.suptitle("std of x after repeated multiplication by one random 512 × 512 matrix")
    return fig


# --------------------------------------------------------------------------------------
# Iterated maps (notebook 10)
# --------------------------------------------------------------------------------------
def draw_cobweb(ax: Any, iterates: Sequence[float], colour: str) -> None:
    r"""Draw the cobweb (staircase) of an iterated map :math:`x_{l+1} = f(x_l)` on ``ax``.

    ``iterates`` holds the map's successive values :math:`x_1, x_2, \dots`. From
    :math:`(x_l, x_l)` on the diagonal a vertical step goes to :math:`(x_l, x_{l+1})` on the
    map's curve, and a horizontal one back to the diagonal at :math:`(x_{l+1}, x_{l+1})`; a
    start is marked by an open circle.
    """
    values = np.asarray(iterates, dtype=float)
    if values.ndim != 1 or values.size < 2:
        raise ValueError(f"iterates must be a sequence of at least 2 values, got {iterates!r}")
    doubled = np.repeat(values, 2)
    ax.plot(doubled[:-1], doubled[1:], "-", color=colour, linewidth=1.2)
    ax.plot(values[0], values[0], "o", color=colour, markerfacecolor="white", markersize=9)


# --------------------------------------------------------------------------------------
# Percentile bands per layer (notebook 08's backward view)
# --------------------------------------------------------------------------------------
def draw_layer_bands(
    ax: mpl.axes.Axes, quantiles: Sequence[Sequence[float]], quantity: str, title: str
) -> None:
    """Per-layer percentile bands: ``quantiles[l] = (p5, p25, p50, p75, p95)`` of layer
    ``l + 1``; the outer band spans 5–95 %, the inner one 25–75 %, the line is the median.

    Unlike a violin, a band keeps its width when the distribution has a sharp peak and long
    tails, as back-propagated gradients have.
    """
    values = np.asarray(quantiles, dtype=float)
    if values.ndim != 2 or values.shape[1] != 5:
        raise ValueError(f"quantiles must hold 5 percentiles per layer, got shape {values.shape}")
    clear_drawing(ax)
    layers = _layer_numbers(len(values))
    ax.fill_between(
        layers, values[:, 0], values[:, 4], color=OKABE_ITO[5], alpha=0.5, label="5–95 % of entries"
    )
    ax.fill_between(
        layers, values[:, 1], values[:, 3], color=OKABE_ITO[0], alpha=0.7, label="25–75 %"
    )
    ax.plot(layers, values[:, 2], color="black", linewidth=1.5, label="median")
    ax.set_xlim(0.5, len(values) + 0.5)
    low, high = float(np.nanmin(values[:, 0])), float(np.nanmax(values[:, 4]))
    if np.isfinite(low) and np.isfinite(high) and high > low:  # room for the legend on top
        ax.set_ylim(low - 0.1 * (high - low), high + 0.4 * (high - low))
    ax.xaxis.set_major_locator(mpl.ticker.MaxNLocator(integer=True, nbins=10))
    ax.legend(loc="upper left", fontsize=12, ncol=3)
    ax.set(title=title, xlabel="layer", ylabel=quantity)


def plot_histogram_rows(
    rows: Mapping[str, Sequence[np.ndarray]],
    layer_numbers: Sequence[int],
    title: str,
    value_range: tuple[float, float],
    quantity: str = "activation",
    bins: int = 30,
) -> Figure:
    """One row of per-layer histograms per setting, every panel on the same x and y axes.

    ``rows`` maps a setting's name to its arrays, one per entry of ``layer_numbers``. The y axis
    is the fraction of all entries per bin (so entries outside ``value_range`` are simply not
    drawn), and a shared scale lets a collapse to a spike read as a collapse.
    """
    if not rows:
        raise ValueError(f"rows must name at least one setting, got rows={rows!r}")
    for name, arrays in rows.items():
        if len(arrays) != len(layer_numbers):
            raise ValueError(
                f"rows[{name!r}] has {len(arrays)} arrays for {len(layer_numbers)} layer_numbers"
            )
    fig, axes = plt.subplots(
        len(rows),
        len(layer_numbers),
        figsize=(2.8 * len(layer_numbers), 2.8 * len(rows) + 0.8),
        sharex=True,
        sharey=True,
        squeeze=False,
    )
    for row, (name, arrays) in zip(axes, rows.items()):
        for ax, number, values in zip(row, layer_numbers, arrays):
            flat = np.ravel(values)
            weights = np.full(flat.size, 1.0 / flat.size)
            ax.hist(flat, bins=bins, range=value_range, weights=weights, color=OKABE_ITO[0])
            ax.set_title(f"{name}: layer {number}", fontsize=13)
            ax.set_xlim(value_range)
            ax.tick_params(labelsize=12)
        row[0].set_ylabel("fraction")
    fig.supxlabel(quantity)
    fig.suptitle(title)
    return fig


def plot_measured_and_predicted(
    measured: Mapping[str, Sequence[float]],
    predicted: Mapping[str, Sequence[float]],
    title: str,
    ylabel: str,
    log_scale: bool = False,
) -> Figure:
    """One per-layer quantity for several settings: each setting's measurement as a solid line
    with markers and its prediction dashed in the same colour (layer l at x = l).

    ``predicted`` has the same keys as ``measured``.
    """
    if set(predicted) != set(measured):
        raise ValueError(
            f"predicted must name the settings of measured, got {sorted(predicted)} for "
            f"{sorted(measured)}"
        )
    fig, ax = plt.subplots(figsize=(10, 4.5))
    for (label, values), marker, colour in zip(measured.items(), "osD^v<>p", OKABE_ITO):
        ax.plot(_layer_numbers(len(values)), values, marker=marker, color=colour, label=label)
        expected = predicted[label]
        ax.plot(
            _layer_numbers(len(expected)),
            expected,
            "--",
            color=colour,
            linewidth=2,
            label=f"{label}: predicted",
        )
    if log_scale:
        ax.set_yscale("log")
    longest = max(len(values) for values in measured.values())
    ax.set_xticks(_layer_numbers(longest))
    ax.set(title=title, xlabel="layer", ylabel=ylabel)
    ax.legend(fontsize=12)
    return fig


def plot_layer_bars(
    values: Sequence[float],
    title: str,
    ylabel: str,
    reference: Optional[tuple[str, float]] = None,
) -> Figure:
    """One bar per layer (layer l at x = l) for a per-layer quantity such as a log ratio;
    ``reference`` is an optional ``(label, value)`` drawn as a dashed black line."""
    heights = np.asarray(values, dtype=float)
    if heights.ndim != 1 or heights.size == 0:
        raise ValueError(f"values must be a non-empty sequence of numbers, got {values!r}")
    fig, ax = plt.subplots(figsize=(12, 4.5))
    layers = _layer_numbers(heights.size)
    ax.bar(layers, heights, color=OKABE_ITO[0], label="measured")
    if reference is not None:
        label, level = reference
        ax.axhline(level, color="black", linestyle="--", linewidth=2, label=label)
    ax.axhline(0.0, color="grey", linewidth=1)
    ax.set_xticks(layers if heights.size <= 15 else [1, *range(5, heights.size + 1, 5)])
    ax.set(title=title, xlabel="layer", ylabel=ylabel)
    fig.legend(loc="outside lower center", ncols=2, fontsize=13)
    return fig


def plot_initializer_scales(
    samples: Mapping[str, np.ndarray], title: str, bins: int = 40, columns: int = 4
) -> Figure:
    """The random initializers of ``samples`` (name → drawn array) as histograms on one shared
    value axis, so that their scales compare at a glance; the constant ones (at most two
    distinct values, e.g. Zeros or Identity) are listed as text in the last panel.

    The y axis is the fraction of entries per bin, shared too.
    """
    is_constant = {name: np.unique(values).size <= 2 for name, values in samples.items()}
    random = {name: values for name, values in samples.items() if not is_constant[name]}
    if not random:
        raise ValueError(f"samples must hold at least one random initializer, got {list(samples)}")
    limit = max(float(np.max(np.abs(values))) for values in random.values())
    edges = np.linspace(-limit, limit, bins + 1)
    panels = len(random) + 1
    rows = -(-panels // columns)
    fig, axes = plt.subplots(
        rows, columns, figsize=(14, 1.25 + 2.6 * rows), sharex=True, sharey=True, squeeze=False
    )
    flat_axes = axes.ravel()
    for ax, (name, values) in zip(flat_axes, random.items()):
        flat = np.ravel(values).astype(np.float64)
        ax.hist(flat, bins=edges, weights=np.full(flat.size, 1.0 / flat.size), color=OKABE_ITO[0])
        ax.set_title(name, fontsize=14)
    lines = ["constant:"]
    for name, values in samples.items():
        if is_constant[name]:
            distinct, counts = np.unique(values, return_counts=True)
            lines.append(
                f"{name}: all {distinct[0]:g}"
                if distinct.size == 1
                else f"{name}: {counts[1]:,} × {distinct[1]:g}, rest {distinct[0]:g}"
            )
    text_ax = flat_axes[len(random)]
    text_ax.text(0.02, 0.95, "\n".join(lines), va="top", fontsize=13, transform=text_ax.transAxes)
    text_ax.axis("off")
    for ax in flat_axes[panels:]:
        ax.set_visible(False)
    fig.supxlabel("weight value (one axis for all panels)")
    fig.supylabel("fraction of entries")
    fig.suptitle(title)
    return fig
