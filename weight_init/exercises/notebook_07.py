"""Exercises of notebook 07 · Does initialization change learning?."""

from __future__ import annotations

import math

import numpy as np

from .. import (
    experiment,
    theory,
)
from .engine import Exercise, Mistake, register


def _square_kernel_factor(width: int = 64) -> float:
    """Xavier's std over He's for a square (width × width) kernel, from the package's two rules."""
    rng_seed = 0
    xavier = experiment.glorot_init(width, width, rng=np.random.default_rng(rng_seed))
    he = experiment.he_init(width, width, rng=np.random.default_rng(rng_seed))
    return float(xavier[0, 0] / he[0, 0])


register(
    Exercise(
        key="07.1",
        question="The 30-layer Xavier and He nets share their random numbers. By what factor is "
        "each square (64 × 64) Xavier kernel smaller than the He kernel?",
        solution=_square_kernel_factor,
        explanation="Xavier's std is sqrt(2 / (64 + 64)) = sqrt(1/64), He's sqrt(2/64); the "
        "ratio is 1/sqrt(2) ≈ 0.7071, and (1/sqrt(2))^29 ≈ 2^-14.5 over 29 square "
        "layers.",
        hint="divide sqrt(2 / (fan_in + fan_out)) by sqrt(2 / fan_in) with fan_in = fan_out = 64.",
        rel_tol=1e-3,
        mistakes=(
            Mistake(
                lambda: 0.5,
                "That is the ratio of the variances; the weights scale with the std, its square "
                "root.",
            ),
            Mistake(
                lambda: 2**-15,
                "That is the effect on the first layer's gradient after 30 layers, not one "
                "kernel's factor.",
            ),
        ),
    )
)

register(
    Exercise(
        key="07.2",
        question="W ~ U[-1/sqrt(n), 1/sqrt(n)] with fan_in = n, tanh in its linear region: by "
        "what factor does one layer scale the standard deviation of the signal?",
        solution=lambda: math.sqrt(theory.preactivation_variance(300, 1 / (3 * 300), 1.0)),
        explanation="Var(U[-a, a]) = a²/3 = 1/(3n), so Var(z) = n · 1/(3n) · Var(x) = Var(x)/3 "
        "and the std shrinks by 1/sqrt(3) ≈ 0.577 per layer (Glorot and Bengio's "
        "observation).",
        hint="the variance of U[-a, a] is a²/3; then use Var(z) = fan_in · Var(W) · Var(x).",
        rel_tol=1e-3,
        mistakes=(
            Mistake(
                lambda: 1 / 3,
                "That is the factor on the variance; the std scales by its square root.",
            ),
            Mistake(
                lambda: 1.0,
                "That would need Var(W) = 1/n; the uniform's variance is a²/3 = 1/(3n), not a² = "
                "1/n.",
            ),
        ),
    )
)
