"""Exercises of notebook 06 · Keras equivalence."""

from __future__ import annotations

import math

from .. import (
    initializers,
)
from .engine import Exercise, Mistake, register


def _variance_scaling_limit(
    initializer: initializers.VarianceScaling, shape: tuple[int, ...]
) -> float:
    """``sqrt(3 · Var)``: the bound of a uniform VarianceScaling draw."""
    return math.sqrt(3 * initializer.variance(shape))


register(
    Exercise(
        key="06.1",
        question="Seed 001's output layer is Dense(2) on 4 inputs with he_uniform, kernel shape "
        "(4, 2). What is the limit of its uniform distribution?",
        solution=lambda: _variance_scaling_limit(initializers.HeUniform(seed=0), (4, 2)),
        explanation="He uniform draws from U[-limit, limit) with limit = sqrt(6 / fan_in); "
        "fan_in = 4 (the kernel's first axis), so limit = sqrt(6/4) ≈ 1.2247.",
        hint="he_uniform uses fan_in only: the number of inputs of the layer.",
        mistakes=(
            Mistake(
                lambda: _variance_scaling_limit(initializers.GlorotUniform(seed=0), (4, 2)),
                "That is glorot_uniform's limit sqrt(6 / (fan_in + fan_out)); He's rule uses "
                "fan_in only.",
            ),
            Mistake(
                lambda: _variance_scaling_limit(initializers.HeUniform(seed=0), (2, 4)),
                "You used fan_out = 2: a Keras kernel is (fan_in, fan_out), so fan_in is 4.",
            ),
            Mistake(
                lambda: math.sqrt(initializers.HeNormal(seed=0).variance((4, 2))),
                "That is the std sqrt(2 / fan_in); the uniform limit is sqrt(3) times the std.",
            ),
            Mistake(
                lambda: _variance_scaling_limit(initializers.LecunUniform(seed=0), (4, 2)),
                "That is lecun_uniform's limit sqrt(3 / fan_in); He doubles the variance for ReLU.",
            ),
        ),
    )
)

register(
    Exercise(
        key="06.2",
        question="A Keras Conv2D layer with a 3×3 kernel maps 64 channels to 128; its kernel has "
        "shape (3, 3, 64, 128). What is its fan_in?",
        solution=lambda: initializers.compute_fans((3, 3, 64, 128))[0],
        explanation="fan_in = in_channels × receptive field = 64 × 3 × 3 = 576: each output "
        "value sums over 576 inputs.",
        hint="each output pixel sums over every input channel at every position of the kernel "
        "window.",
        rel_tol=0.0,
        mistakes=(
            Mistake(lambda: 64, "That ignores the 3×3 window: every channel contributes 9 inputs."),
            Mistake(
                lambda: initializers.compute_fans((3, 3, 64, 128))[1],
                "That is fan_out (128 × 9); fan_in counts the input channels.",
            ),
            Mistake(lambda: 3 * 64, "The window is 3×3 = 9 positions, not 3."),
        ),
    )
)

register(
    Exercise(
        key="06.3",
        question="TruncatedNormal(mean=0.0, stddev=0.05) keeps draws within ±2·stddev and does not "
        "rescale them. What is the standard deviation of the values it returns?",
        solution=lambda: 0.05 * initializers.truncated_normal_std(2.0),
        explanation="Cutting N(0, σ²) at ±2σ removes the tails and leaves std 0.8796·σ = 0.04398; "
        "only VarianceScaling divides σ by 0.8796 first to undo this.",
        hint="cutting off the tails makes the spread smaller; by what factor?",
        rel_tol=2e-3,
        mistakes=(
            Mistake(
                lambda: 0.05, "stddev is the std before the cut; removing the tails shrinks it."
            ),
            Mistake(
                lambda: 0.05 / initializers.truncated_normal_std(2.0),
                "That is the pre-correction VarianceScaling applies; TruncatedNormal applies none.",
            ),
        ),
    )
)
