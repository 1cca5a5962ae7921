"""Exercises of notebook 03 · Random initialization from scratch."""

from __future__ import annotations

import itertools
import math

import numpy as np

from .. import experiment
from .engine import Exercise, Mistake, register

SEED = 0


def big_weights_preactivation_std(width: int, layer: int) -> float:
    """The std of layer ``layer``'s pre-activations (counted from 1) in five tanh layers of
    ``width`` units with N(0, 1) weights, ``width``-dimensional N(0, 1) inputs, seed 0."""
    run = experiment.propagate(
        [width] * 5, experiment.big_random_init, activation="tanh", input_dim=width, seed=SEED
    )
    return float(run.pre_activations[layer - 1].std())


def saturated_fraction(width: int, layer: int) -> float:
    """The fraction of layer ``layer``'s tanh outputs beyond ±0.99 in the net of
    :func:`big_weights_preactivation_std`."""
    run = experiment.propagate(
        [width] * 5, experiment.big_random_init, activation="tanh", input_dim=width, seed=SEED
    )
    return float(np.mean(np.abs(run.activations[layer - 1]) > 0.99))


def parameter_count(layer_sizes: list[int], weights: bool = True, biases: bool = True) -> int:
    """Weights (an (out, in) matrix per layer) and biases (one per unit of every layer but the
    inputs) of a fully connected net with ``layer_sizes``."""
    pairs = list(itertools.pairwise(layer_sizes))
    return sum(
        (fan_in * fan_out if weights else 0) + (fan_out if biases else 0)
        for fan_in, fan_out in pairs
    )


register(
    Exercise(
        key="03.1",
        question="Predict, then run: section 6's saturation experiment with layers of 200 units "
        "instead of 500 (five tanh layers, N(0, 1) weights, 200-dimensional N(0, 1) inputs, "
        "seed 0). What is the std of layer 3's pre-activations z?",
        solution=lambda: big_weights_preactivation_std(200, 3),
        explanation="Var(z) = n · Var(W) · E[a²] = 200 · 1 · E[a²]. Past layer 1 the inputs are "
        "tanh outputs, mostly near ±1, so E[a²] is a little below 1 (0.94 at layer 2 here): "
        "the rule predicts sqrt(200 · 0.94) ≈ 13.7, against sqrt(200) ≈ 14.1 for E[a²] = 1, and "
        "this draw of the weights measures 13.8. Either way tanh sits on its flat arms: the "
        "scale must shrink with the fan.",
        hint="in section 6's cell, change the widths and the input dimension to 200, and take "
        "the std of the third array of pre-activations.",
        mistakes=(
            Mistake(
                lambda: math.sqrt(200),
                "That is sqrt(n), the prediction for inputs with E[a²] = 1. Layer 3's inputs "
                "are tanh outputs, whose mean square is a little below 1: run it and see.",
            ),
            Mistake(
                lambda: big_weights_preactivation_std(500, 3),
                "That is layer 3 of the 500-unit net of section 6; use 200 units.",
            ),
        ),
    )
)

register(
    Exercise(
        key="03.2",
        question="Run: in the same net as 03.1 (five tanh layers of 200, N(0, 1) weights, seed 0), "
        "what fraction of layer 3's tanh outputs are saturated, |a| > 0.99? Give a fraction, "
        "such as 0.5.",
        solution=lambda: saturated_fraction(200, 3),
        explanation="|tanh(z)| > 0.99 means |z| > 2.65. With z of std about 13.8, the share of a "
        "normal within ±2.65 is about 2·0.4·2.65/13.8 ≈ 0.15, so about 0.85 of the outputs are "
        "saturated: a little fewer than the 90% of the 500-wide net, whose z has std 22.",
        hint="compare the absolute values of the layer's activations with 0.99 and average the "
        "result.",
        mistakes=(
            Mistake(
                lambda: saturated_fraction(500, 3),
                "That is the 500-wide net of section 6; use layers of 200.",
            ),
            Mistake(
                lambda: 100 * saturated_fraction(200, 3),
                "That is a percentage; give the fraction, between 0 and 1.",
            ),
        ),
    )
)

register(
    Exercise(
        key="03.3",
        question="Seed 000's weight_initializer([3, 5, 2]) builds W1, b1, W2, b2. How many "
        "numbers does the net learn?",
        solution=lambda: parameter_count([3, 5, 2]),
        explanation="W1 is (5, 3) and W2 is (2, 5): 15 + 10 = 25 weights; b1 (5, 1) and b2 "
        "(2, 1): 7 biases; 32 numbers in all.",
        hint="each layer has an (out, in) weight matrix and one bias per unit it outputs.",
        abs_tol=0.5,
        mistakes=(
            Mistake(
                lambda: parameter_count([3, 5, 2], biases=False),
                "Those are the weights only; add one bias per unit of each layer.",
            ),
            Mistake(
                lambda: parameter_count([3, 5, 2]) + 3,
                "The inputs have no biases: only the units of layers 1 and 2 do.",
            ),
        ),
    )
)

register(
    Exercise(
        key="03.4",
        question="Section 6 found about 90% of the tanh outputs beyond ±0.99 with N(0, 1) "
        "weights. What does a saturated output do to learning? (a) on that sample, the gradient "
        "reaching the unit's incoming weights is multiplied by tanh'(z) < 0.02, so the sample "
        "barely moves them; (b) the unit outputs 0, so the next layer ignores it; (c) the "
        "weights into the unit grow until the saturation ends; (d) nothing: the loss gradient "
        "is the same whatever the unit outputs.",
        solution=lambda: "a",
        explanation="(a). Back-propagation multiplies the error arriving at a unit by the local "
        "slope tanh'(z) = 1 - tanh(z)², which is below 1 - 0.99² ≈ 0.02 once |tanh(z)| > 0.99. "
        "The unit still learns from the samples on which it is not saturated, about one in "
        "ten here, which is why the gradients of section 6 do not vanish; but most of the "
        "data is wasted on it.",
        hint="write the derivative of tanh in terms of tanh itself and evaluate it at 0.99.",
        mistakes=(
            Mistake(
                lambda: "b",
                "A saturated tanh unit outputs about +1 or -1, not 0; the next layer sees a "
                "large, nearly constant input.",
            ),
            Mistake(
                lambda: "c",
                "Nothing pulls saturated weights back by itself; the small slope makes every "
                "update small, in either direction.",
            ),
            Mistake(
                lambda: "d",
                "The chain rule multiplies by the unit's local slope tanh'(z); on the flat arms "
                "that slope is close to 0, so the gradient that gets through is small.",
            ),
        ),
    )
)
