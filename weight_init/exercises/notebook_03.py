"""Exercises of notebook 03 · Random initialization from scratch."""

from __future__ import annotations

import math
from typing import Sequence

from .. import (
    experiment,
    theory,
)
from .engine import Exercise, Mistake, register


def _parameter_count(layer_sizes: Sequence[int], with_biases: bool = True) -> int:
    """Weights of seed 000's ``weight_initializer(l)`` plus one bias per unit of each layer."""
    weights = sum(w.size for w in experiment.weight_initializer(layer_sizes, rng=0).values())
    return weights + (sum(layer_sizes[1:]) if with_biases else 0)


def _seed_000_shape(fan_in: int, fan_out: int) -> tuple[int, int]:
    """The shape of seed 000's ``W1`` for one layer from ``fan_in`` inputs to ``fan_out`` units."""
    return experiment.weight_initializer([fan_in, fan_out], rng=0)["W1"].shape


def _linear_net_std(width: int, depth: int, weight_variance: float) -> float:
    """Std of the last layer of a linear net of equal widths, N(0, 1) inputs (the variance rule)."""
    prediction = theory.predict_signal("linear", [width] * (depth + 1), [weight_variance] * depth)
    return math.sqrt(prediction.activation_second_moments[-1])


register(
    Exercise(
        key="03.1",
        question="Seed 000's weight_initializer builds W_i of shape (l[i], l[i-1]); each layer "
        "also has one bias per unit. How many numbers (weights and biases) does l = "
        "[784, 128, 64, 10] hold?",
        solution=lambda: _parameter_count([784, 128, 64, 10]),
        explanation="Weights: 128·784 + 64·128 + 10·64 = 109,184; biases: 128 + 64 + 10 = 202; "
        "total 109,386.",
        hint="add l[i]·l[i-1] for every layer, then one bias per unit of every layer after the "
        "input.",
        rel_tol=0.0,
        mistakes=(
            Mistake(
                lambda: _parameter_count([784, 128, 64, 10], with_biases=False),
                "That counts the weights only; add one bias per unit of each layer.",
            ),
            Mistake(
                lambda: _parameter_count([784, 128, 64, 10]) + 784,
                "The input layer has no biases: it computes nothing.",
            ),
        ),
    )
)

register(
    Exercise(
        key="03.2",
        question="A layer in seed 000's (and PyTorch's) layout has weight matrix W of shape "
        "(128, 784). What is its fan_in?",
        solution=lambda: _seed_000_shape(784, 128)[1],
        explanation="The layout is (out, in): 128 units, each reading 784 inputs, so fan_in = "
        "W.shape[1] = 784. Keras would store the same layer as a (784, 128) kernel.",
        hint="in the (out, in) layout a row holds the weights of one unit.",
        rel_tol=0.0,
        mistakes=(
            Mistake(
                lambda: _seed_000_shape(784, 128)[0],
                "That is W.shape[0], the fan_in only in Keras's (in, out) layout; this matrix is "
                "(out, in).",
            ),
        ),
    )
)

register(
    Exercise(
        key="03.3",
        question="A linear net of 4 layers of 500 units with N(0, 1) weights gets N(0, 1) inputs. "
        "What is the standard deviation of the last layer's outputs?",
        solution=lambda: _linear_net_std(500, 4, 1.0),
        explanation="Each layer multiplies the variance by fan_in · Var(W) = 500, so the std by "
        "sqrt(500) ≈ 22.4; after 4 layers the std is 500² = 250,000.",
        hint="apply Var(z) = fan_in · Var(W) · E[x²] four times, then take the square root.",
        rel_tol=1e-3,
        mistakes=(
            Mistake(
                lambda: _linear_net_std(500, 4, 1.0) ** 2,
                "That is the variance; the question asks for the standard deviation.",
            ),
            Mistake(
                lambda: 4 * math.sqrt(500),
                "The factors multiply from layer to layer, they do not add.",
            ),
        ),
    )
)
