"""Exercises of notebook 04 · Xavier/Glorot initialization."""

from __future__ import annotations

import math

import numpy as np

from .. import experiment, init_fns, initializers
from .engine import Exercise, Mistake, register

SEED = 0


def _catalogue_uniform_limit(rule: str, fan_in: int, fan_out: int) -> float:
    """The limit ``a`` of the catalogue's uniform rule ``rule`` for a ``(fan_in, fan_out)`` kernel:
    ``U(±a)`` has variance ``a²/3``, so ``a = sqrt(3 · Var(W))``."""
    return math.sqrt(3.0 * initializers.get_variance_scaling(rule).variance((fan_in, fan_out)))


def one_layer_factors(fan_in: int, fan_out: int) -> dict[str, tuple[float, float]]:
    """Notebook 04's section 1 cell for a ``(fan_in, fan_out)`` layer, seed 0: for each candidate
    variance (1/n_in, 1/n_out, Glorot's, drawn in that order), the measured forward factor
    Var(z)/E[x²] and backward factor Var(dL/dx)/E[δ²]."""
    rng = np.random.default_rng(SEED)
    x = rng.standard_normal((2000, fan_in))
    delta = rng.standard_normal((2000, fan_out))
    factors = {}
    for name, variance in (
        ("forward", 1 / fan_in),
        ("backward", 1 / fan_out),
        ("glorot", 2 / (fan_in + fan_out)),
    ):
        weights = math.sqrt(variance) * rng.standard_normal((fan_in, fan_out))
        forward = float((x @ weights).var() / np.mean(x**2))
        backward = float((delta @ weights.T).var() / np.mean(delta**2))
        factors[name] = (forward, backward)
    return factors


def standard_init_last_std(layers: int = 5) -> float:
    """Notebook 04's standard init U[±1/sqrt(n_in)] in tanh layers of 500 with inputs of std 0.3
    (seed 1) and weights from seed 0: the std of the last layer's activations."""
    inputs = 0.3 * np.random.default_rng(SEED + 1).standard_normal((1000, 500))
    standard = init_fns.catalogue_init(
        "variance_scaling", scale=1 / 3, mode="fan_in", distribution="uniform"
    )
    run = experiment.propagate(
        [500] * layers,
        standard,
        activation="tanh",
        inputs=inputs,
        seed=SEED,
    )
    return experiment.layer_stats(run.activations)[1][-1]


register(
    Exercise(
        key="04.1",
        question="Predict, then run: section 1's cell with a layer from 100 inputs to 300 units, "
        "FAN_IN, FAN_OUT = 100, 300 (seed 0). With Glorot's Var(W) = 2/(n_in + n_out), what is "
        "the measured backward factor Var(dL/dx)/E[δ²]?",
        solution=lambda: one_layer_factors(100, 300)["glorot"][1],
        explanation="Backward, the gradient dL/dx = δ Wᵀ sums n_out = 300 terms, so the factor "
        "is n_out · Var(W) = 300 · 2/400 = 1.5, and one draw measures about 1.49. Forward it is "
        "100 · 2/400 = 0.5: the wider side gains, the narrower side loses. Glorot's rule "
        "splits the difference between the two conditions; it satisfies neither unless the "
        "fans are equal.",
        hint="which fan does the backward pass sum over? Predict with it, then change the two "
        "fans in section 1's cell and read the Glorot row.",
        mistakes=(
            Mistake(
                lambda: one_layer_factors(100, 300)["glorot"][0],
                "That is the forward factor Var(z)/E[x²] of the new layer; the question asks "
                "for the backward one.",
            ),
            Mistake(
                lambda: one_layer_factors(400, 100)["glorot"][1],
                "That is the backward factor of section 1's layer (400 → 100); change the fans "
                "to 100 and 300.",
            ),
        ),
    )
)

register(
    Exercise(
        key="04.2",
        question="Run: in section 5's net (tanh layers of 500, inputs of std 0.3) with the "
        "standard init U[±1/sqrt(n_in)], what is the std of layer 5's activations?",
        solution=standard_init_last_std,
        explanation="Each standard layer multiplies the std by about 1/sqrt(3) ≈ 0.577, so the "
        "prediction is 0.3 · 0.577^5 ≈ 0.0192; the measured std is about 0.0186, a little "
        "lower because tanh squashes the first layer's larger inputs a little. The signal "
        "loses 94% of its size in five layers.",
        hint="the runs of section 5 are kept in a dictionary; read the std of the last layer's "
        "activations of the standard run.",
        mistakes=(
            Mistake(
                lambda: 0.3 * (1 / math.sqrt(3)) ** 5,
                "That is the prediction 0.3 · (1/sqrt(3))^5; measure it in the run.",
            ),
            Mistake(
                lambda: 0.3 * (1 / math.sqrt(3)) ** 4,
                "That is four factors of 1/sqrt(3): layer 1 already multiplies the 0.3 of the "
                "inputs by one factor.",
            ),
        ),
    )
)

register(
    Exercise(
        key="04.3",
        question="What is the limit a of glorot_uniform, U(-a, a), for a Dense kernel from 300 "
        "inputs to 100 units?",
        solution=lambda: _catalogue_uniform_limit("glorot_uniform", 300, 100),
        explanation="Var(W) = 2 / (300 + 100) = 0.005 and U(±a) has variance a²/3, so "
        "a = sqrt(3 · 0.005) = sqrt(6 / 400) ≈ 0.1225.",
        hint="first the variance 2 / (fan_in + fan_out), then the uniform limit with the same "
        "variance.",
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
        key="04.4",
        question="For a layer with n_in ≠ n_out, what does Glorot's Var(W) = 2/(n_in + n_out) "
        "achieve? (a) neither condition exactly: the forward factor 2n_in/(n_in + n_out) and "
        "the backward factor 2n_out/(n_in + n_out) sit on either side of 1; (b) both "
        "conditions exactly; (c) the forward condition exactly, n_in · Var(W) = 1; (d) the "
        "backward condition exactly, n_out · Var(W) = 1.",
        solution=lambda: "a",
        explanation="(a). n_in · 2/(n_in + n_out) = 1 only if n_in = n_out, and likewise "
        "backward. One factor is above 1 and the other below, and their product "
        "4 n_in n_out/(n_in + n_out)² is at most 1 (the arithmetic-geometric mean "
        "inequality): a compromise that is exact only for square layers.",
        hint="put Glorot's variance into n_in · Var(W) and n_out · Var(W); when is either 1?",
        mistakes=(
            Mistake(
                lambda: "b",
                "One variance cannot make both n_in · Var(W) and n_out · Var(W) equal 1 "
                "unless n_in = n_out: section 1's table shows each candidate fixing at most one.",
            ),
            Mistake(
                lambda: "c",
                "The forward condition is LeCun's Var(W) = 1/n_in; Glorot's 2/(n_in + n_out) "
                "equals it only for a square layer.",
            ),
            Mistake(
                lambda: "d",
                "The backward condition is Var(W) = 1/n_out (He's fan_out mode uses it); "
                "Glorot's rule averages the fans instead.",
            ),
        ),
    )
)
