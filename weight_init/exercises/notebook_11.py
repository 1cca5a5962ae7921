"""Exercises of notebook 11 · SELU, LSUV and Fixup."""

from __future__ import annotations

import math

import numpy as np

from .. import (
    residual,
    self_normalizing,
)
from .engine import Exercise, Mistake, register


def _layers_until_below(factor: float, start: float = 1.0, target: float = 0.01) -> int:
    """The first ``k`` with ``start · factor^k < target`` (an error shrinking geometrically)."""
    return math.floor(math.log(target / start) / math.log(factor)) + 1


def _selu_variance_contraction() -> float:
    """The (ν, ν) entry of the SELU moment map's Jacobian at the fixed point (0, 1)."""
    return float(self_normalizing.moment_map_jacobian()[1, 1])


register(
    Exercise(
        key="11.1",
        question="Near SELU's fixed point each layer multiplies a small variance error by the "
        "(ν, ν) entry of the moment map's Jacobian. From an error of 1, after how many "
        "layers is it first below 0.01 (linear approximation)?",
        solution=lambda: _layers_until_below(_selu_variance_contraction()),
        explanation="The entry is about 0.7826 (self_normalizing.moment_map_jacobian()[1, 1]); "
        "0.7826^k < 0.01 needs k > ln(0.01)/ln(0.7826) ≈ 18.85, so k = 19.",
        hint="solve 0.7826^k < 0.01 with logarithms and round up.",
        abs_tol=0.1,
        mistakes=(
            Mistake(
                lambda: _layers_until_below(_selu_variance_contraction()) - 1,
                "After that many layers the error is still just above 0.01: round up, not down.",
            ),
            Mistake(
                lambda: _layers_until_below(
                    float(np.linalg.norm(self_normalizing.moment_map_jacobian(), 2))
                ),
                "That uses the spectral norm 0.788, a bound over all directions; the variance "
                "error alone shrinks by the (ν, ν) entry, 0.783.",
            ),
        ),
    )
)

register(
    Exercise(
        key="11.2",
        question="On the batch, a layer's output has variance 0.04. By what factor does LSUV "
        "multiply its kernel (no biases)?",
        solution=lambda: 1 / math.sqrt(0.04),
        explanation="Var(z) scales with the square of the kernel, so W ← W / sqrt(0.04) = 5 W "
        "gives variance 25 · 0.04 = 1.",
        hint="multiplying W by c multiplies Var(x @ W) by c².",
        rel_tol=1e-6,
        mistakes=(
            Mistake(
                lambda: 1 / 0.04,
                "Dividing by the variance overshoots: the output variance would be 625 · 0.04 = "
                "25.",
            ),
            Mistake(
                lambda: math.sqrt(0.04),
                "That multiplies by the std and shrinks the layer further; LSUV divides by it.",
            ),
        ),
    )
)

register(
    Exercise(
        key="11.3",
        question="A residual net has 16 blocks whose branches have three layers each. By what "
        "factor does Fixup scale the branch layers that are not zero-initialized?",
        solution=lambda: residual.fixup_scale(16, 3),
        explanation="Fixup's factor is L^(-1/(2m-2)) with L = 16 blocks and m = 3 layers per "
        "branch: 16^(-1/4) = 0.5.",
        hint="the exponent is -1/(2m - 2), with m the number of layers in a branch.",
        rel_tol=1e-6,
        mistakes=(
            Mistake(
                lambda: residual.fixup_scale(16, 2),
                "That is the factor for two-layer branches, L^(-1/2); with m = 3 the exponent is "
                "-1/4.",
            ),
            Mistake(
                lambda: 1 / 16, "Fixup does not divide by L itself: the exponent is -1/(2m-2)."
            ),
        ),
    )
)
