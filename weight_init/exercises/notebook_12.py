"""Exercises of notebook 12 · Normalization layers and residual streams."""

from __future__ import annotations

from typing import Any

import numpy as np

from .. import (
    normalization,
)
from .engine import Exercise, Mistake, register


def _notebook_12_probe() -> np.ndarray:
    """Notebook 12's probe batch: 500 standard normal inputs of width 64, seed 0."""
    return np.random.default_rng(0).standard_normal((500, 64))


def _branch_normalized_stream(blocks: int = 30, **options: Any) -> float:
    net = normalization.build_normalized_residual_net(64, blocks, seed=0, **options)
    return float(np.mean(net.forward(_notebook_12_probe())[0][-1] ** 2))


def _last_block_gradient(placement: str, depth: int = 64) -> float:
    """Notebook 12, section 6: ‖∂L/∂B‖ of the last block for a LayerNorm residual net."""
    x_batch = np.random.default_rng(0).standard_normal((256, 64))
    upstream = np.random.default_rng(1).standard_normal((256, 64))
    net = normalization.build_normalized_residual_net(
        64, depth, placement=placement, norm="layer", seed=0
    )
    return net.kernel_gradients(x_batch, upstream)[-1][1]


register(
    Exercise(
        key="12.1",
        question="Residual blocks whose branches end in BatchNorm (γ = 1), net seed 0: E[h²] "
        "after 30 blocks on notebook 12's probe (E[h_0²] ≈ 1)?",
        solution=lambda: _branch_normalized_stream(placement="branch", norm="batch"),
        explanation="Each normalized branch adds a unit-variance signal, uncorrelated with the "
        "stream at initialization, so E[h_30²] ≈ E[h_0²] + 30 ≈ 31; the measurement lands within "
        "a few percent of it (finite width and batch).",
        hint="predict first: what does one normalized branch with γ = 1 add to E[h²]? Then "
        "measure the last stream on the probe batch and compare.",
        # The net's seed (0) is named; the prediction E[h_0²] + 30 lies 1.6% above it.
        rel_tol=0.02,
        mistakes=(
            Mistake(
                lambda: 3.0**30,
                "That is the geometric growth of notebook 11 (going further) without "
                "normalization (3 per block); a normalized branch adds a constant instead of "
                "multiplying.",
            ),
            Mistake(
                lambda: _branch_normalized_stream(
                    placement="branch", norm="batch", zero_gamma=True
                ),
                "That is the zero-γ stream, which never grows; here γ starts at 1.",
            ),
        ),
    )
)

register(
    Exercise(
        key="12.2",
        question="A linear layer followed by BatchNorm has its kernel multiplied by 4. By what "
        "factor does the relative change ‖ΔW‖/‖W‖ of one SGD step change?",
        solution=lambda: 1 / 4**2,
        explanation="The gradient scales like 1/c = 1/4 and ‖W‖ like c = 4, so "
        "η‖∇‖/‖W‖ changes by 1/c² = 1/16 = 0.0625: the effective learning rate η/‖W‖².",
        hint="combine two factors: how the gradient scales with c, and how ‖W‖ does.",
        rel_tol=5e-3,
        mistakes=(
            Mistake(
                lambda: 1 / 4,
                "That is the gradient's factor alone; the step is measured relative to ‖W‖, "
                "which grew by 4 as well.",
            ),
            Mistake(
                lambda: 1.0,
                "The output is invariant, but training is not: the relative step depends on c.",
            ),
            Mistake(
                lambda: 4.0, "Larger weights get smaller gradients under normalization, not larger."
            ),
        ),
    )
)

register(
    Exercise(
        key="12.3",
        question="Why does the initial scale of a layer followed by BatchNorm still matter? "
        "(a) the output changes with the scale; (b) the gradient scales like 1/c, so the scale "
        "sets the effective learning rate; (c) γ absorbs the scale; (d) it does not matter.",
        solution=lambda: "b",
        explanation="(b): the output is invariant to c, but ∂L/∂(cW) = (1/c) ∂L/∂W, so the "
        "relative step η‖∇‖/‖W‖ scales like 1/c²; a larger init is a smaller effective learning "
        "rate.",
        hint="section 2's table: which columns change with c, and which do not?",
        mistakes=(
            Mistake(
                lambda: "a",
                "The first column of section 2's table says otherwise: the output is the same "
                "for every c (up to ε).",
            ),
            Mistake(
                lambda: "c",
                "γ multiplies the normalized output, which no longer carries c at all; nothing "
                "needs absorbing, and γ starts at 1 whatever the init.",
            ),
            Mistake(
                lambda: "d",
                "It still sets the size of every gradient step relative to the weights (and below "
                "Var(xW) ≈ ε even the output feels it).",
            ),
        ),
    )
)

register(
    Exercise(
        key="12.4",
        question="Pre-LN LayerNorm residual net of depth 64 (notebook 12, section 6): the gradient "
        "norm ‖∂L/∂B‖ of its last block?",
        solution=lambda: _last_block_gradient("pre"),
        explanation="Build the net with placement='pre', norm='layer', seed=0 and take "
        "kernel_gradients(x_batch, upstream_top)[-1][1]; it lies between the depth-48 and depth-96 "
        "values of the table, on the 1/sqrt(L) trend.",
        hint="section 6 measures this norm at other depths; repeat its measurement at depth 64 "
        "with the pre-LN placement and read the last block.",
        rel_tol=5e-3,
        mistakes=(
            Mistake(
                lambda: _last_block_gradient("post"),
                "That is the post-LN net's gradient; the exercise asks for pre-LN.",
            ),
        ),
    )
)
