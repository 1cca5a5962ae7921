"""Exercises of notebook 05 · He/Kaiming initialization."""

from __future__ import annotations

import math
from typing import Callable

import numpy as np

from .. import (
    initializers,
    theory,
)
from .engine import Exercise, Mistake, register


def _leaky_relu_with_slope(slope: float) -> Callable[[np.ndarray], np.ndarray]:
    """Leaky ReLU / PReLU with negative ``slope``: ``z`` for ``z > 0``, ``slope · z`` otherwise."""
    return lambda z: np.where(z > 0, z, slope * z)


def _second_moment_gain(activation: Callable[[np.ndarray], np.ndarray]) -> float:
    """The gain that keeps ``E[a²]`` at the pre-activation variance: ``1 / sqrt(E[φ(z)²])``.

    ``z ~ N(0, 1)``.
    """
    return 1.0 / math.sqrt(theory.activation_second_moment(activation, 1.0))


def _relu_net_second_moment(depth: int, width: int, weight_variance: float) -> float:
    """Predicted ``E[a²]`` after ``depth`` ReLU layers of ``width`` units for N(0, 1) inputs."""
    prediction = theory.predict_signal("relu", [width] * (depth + 1), [weight_variance] * depth)
    return prediction.activation_second_moments[-1]


register(
    Exercise(
        key="05.1",
        question="What is the standard deviation of he_normal weights for a Dense kernel from "
        "256 inputs to 128 units?",
        solution=lambda: math.sqrt(
            initializers.get_variance_scaling("he_normal").variance((256, 128))
        ),
        explanation="He's rule is Var(W) = 2 / fan_in = 2/256, so the std is sqrt(2/256) ≈ 0.0884 "
        "(fan_out plays no part in the default fan_in mode).",
        hint="Var(W) = 2 / fan_in; the question asks for the square root.",
        rel_tol=1e-3,
        mistakes=(
            Mistake(lambda: 2 / 256, "That is the variance 2/fan_in; the std is its square root."),
            Mistake(
                lambda: math.sqrt(1 / 256),
                "That is LeCun's std sqrt(1/fan_in): ReLU needs twice the variance.",
            ),
            Mistake(
                lambda: math.sqrt(2 / (256 + 128)),
                "That is Glorot's std sqrt(2/(fan_in + fan_out)).",
            ),
        ),
    )
)

register(
    Exercise(
        key="05.2",
        question="PReLU starts with a negative slope of 0.25. Which gain (the factor on the std of "
        "N(0, 1/fan_in) weights) keeps E[a²] equal to the pre-activation variance?",
        solution=lambda: _second_moment_gain(_leaky_relu_with_slope(0.25)),
        explanation="For z ~ N(0, q), E[a²] = q · (1 + α²)/2 with negative slope α, so the gain is "
        "sqrt(2 / (1 + 0.25²)) = sqrt(2 / 1.0625) ≈ 1.372.",
        hint="half of z² survives unchanged, the other half is multiplied by slope².",
        rel_tol=1e-3,
        mistakes=(
            Mistake(
                lambda: _second_moment_gain(_leaky_relu_with_slope(0.0)),
                "sqrt(2) is ReLU's gain; the negative side still passes slope² of its energy.",
            ),
            Mistake(
                lambda: _second_moment_gain(_leaky_relu_with_slope(0.25)) ** 2,
                "That is the gain squared, the factor on the variance.",
            ),
        ),
    )
)

register(
    Exercise(
        key="05.3",
        question="A ReLU net of 10 layers of 500 units uses LeCun's Var(W) = 1/fan_in and gets "
        "N(0, 1) inputs. What is E[a²] after the 10th layer?",
        solution=lambda: _relu_net_second_moment(10, 500, 1 / 500),
        explanation="Each layer gives E[a²] = fan_in · Var(W) · E[a_prev²] / 2 = E[a_prev²] / 2, "
        "so after 10 layers E[a²] = 2^-10 ≈ 0.000977.",
        hint="ReLU keeps half of the pre-activation variance, and 1/fan_in does not give it back.",
        rel_tol=1e-3,
        mistakes=(
            Mistake(
                lambda: math.sqrt(_relu_net_second_moment(10, 500, 1 / 500)),
                "That is sqrt(E[a²]); the question asks for E[a²] itself.",
            ),
            Mistake(
                lambda: _relu_net_second_moment(9, 500, 1 / 500),
                "That is after 9 layers: the first layer already halves the second moment.",
            ),
            Mistake(
                lambda: 1.0, "1 is what He's 2/fan_in gives; LeCun's rule loses half per layer."
            ),
        ),
    )
)
