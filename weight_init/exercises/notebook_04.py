"""Exercises of notebook 04 · Xavier/Glorot initialization."""

from __future__ import annotations

import math

from .. import (
    initializers,
    theory,
)
from .engine import Exercise, Mistake, register


def _catalogue_uniform_limit(rule: str, fan_in: int, fan_out: int) -> float:
    """The limit ``a`` of the catalogue's uniform rule ``rule`` for a ``(fan_in, fan_out)`` kernel:
    ``U(±a)`` has variance ``a²/3``, so ``a = sqrt(3 · Var(W))``."""
    return math.sqrt(3.0 * initializers.get_variance_scaling(rule).variance((fan_in, fan_out)))


def _linear_layer_std_factor(fan_in: int, fan_out: int, weight_variance: float) -> float:
    """By how much one linear layer multiplies the std of its N(0, 1) inputs (the variance rule)."""
    prediction = theory.predict_signal("linear", [fan_in, fan_out], [weight_variance])
    return math.sqrt(prediction.activation_second_moments[0])


register(
    Exercise(
        key="04.1",
        question="What is the limit a of glorot_uniform, U(-a, a), for a Dense kernel from 300 "
        "inputs to 100 units?",
        solution=lambda: _catalogue_uniform_limit("glorot_uniform", 300, 100),
        explanation="Var(W) = 2 / (300 + 100) = 0.005 and U(±a) has variance a²/3, so "
        "a = sqrt(3 · 0.005) = sqrt(6 / 400) ≈ 0.1225.",
        hint="first the variance 2 / (fan_in + fan_out), then the uniform limit with the same "
        "variance.",
        rel_tol=1e-3,
        mistakes=(
            Mistake(
                lambda: math.sqrt(2 / 400),
                "That is the std of glorot_normal; the uniform limit is sqrt(3) times larger.",
            ),
            Mistake(
                lambda: _catalogue_uniform_limit("he_uniform", 300, 100),
                "That is he_uniform's limit sqrt(6 / fan_in).",
            ),
            Mistake(
                lambda: _catalogue_uniform_limit("lecun_uniform", 300, 100),
                "That is lecun_uniform's limit sqrt(3 / fan_in): fan_out is missing.",
            ),
        ),
    )
)

register(
    Exercise(
        key="04.2",
        question="Glorot and Bengio's 'standard' init draws W from U[-1/sqrt(n), 1/sqrt(n)] with "
        "n = fan_in. In a square linear layer, by what factor does it multiply the std of "
        "the signal?",
        solution=lambda: _linear_layer_std_factor(500, 500, (1 / math.sqrt(500)) ** 2 / 3),
        explanation="Var U(±a) = a²/3 = 1/(3n), so n · Var(W) = 1/3 and the std is multiplied by "
        "1/sqrt(3) ≈ 0.577 at every layer, forward and backward.",
        hint="the variance of U(-a, a) is a²/3; then apply the variance rule.",
        rel_tol=1e-3,
        mistakes=(
            Mistake(
                lambda: 1 / 3,
                "1/3 is the factor on the variance; the std changes by its square root.",
            ),
            Mistake(
                lambda: 1.0,
                "That would hold for weights of variance 1/n; U[±1/sqrt(n)] has variance 1/(3n).",
            ),
        ),
    )
)

register(
    Exercise(
        key="04.3",
        question="A linear layer from 1000 inputs to 500 units uses Glorot's Var(W) = 2/(fan_in "
        "+ fan_out). By what factor does it multiply the std of N(0, 1) inputs?",
        solution=lambda: _linear_layer_std_factor(1000, 500, 2 / 1500),
        explanation="fan_in · Var(W) = 1000 · 2/1500 = 4/3, so the std grows by sqrt(4/3) ≈ 1.155: "
        "Glorot's compromise is exact only when fan_in = fan_out.",
        hint="compute fan_in · Var(W) and take the square root.",
        rel_tol=1e-3,
        mistakes=(
            Mistake(
                lambda: 4 / 3,
                "4/3 is the factor on the variance; the std changes by its square root.",
            ),
            Mistake(
                lambda: _linear_layer_std_factor(1000, 500, 1 / 1000),
                "1.0 is what LeCun's 1/fan_in gives; Glorot's rule is 2/(fan_in + fan_out).",
            ),
        ),
    )
)
