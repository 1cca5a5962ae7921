"""Exercises of notebook 06 · Keras equivalence."""

from __future__ import annotations

import math

import numpy as np

from .. import initializers
from .engine import Exercise, Mistake, register


def drawn_std(initializer: initializers.Initializer, shape: tuple[int, ...]) -> float:
    """The std of one draw of ``initializer`` (Keras's float32) of ``shape``."""
    return float(np.std(initializer(shape)))


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
        question="Run: draw a Keras GlorotUniform(seed=0) kernel for a Conv2D with a 3×3 window "
        "from 64 channels to 128, shape (3, 3, 64, 128). What is the std of its entries?",
        solution=lambda: drawn_std(initializers.GlorotUniform(seed=0), (3, 3, 64, 128)),
        explanation="Each output sums over the window and the input channels: fan_in = 3·3·64 = "
        "576 and fan_out = 3·3·128 = 1152, so Var(W) = 2/(576 + 1152) and the std is "
        "sqrt(2/1728) ≈ 0.0340; 73,728 draws measure it to about 0.3%.",
        hint="call the initializer on the shape, as a Keras layer would, and take the std of the "
        "array; to predict it, count what one output value sums over.",
        mistakes=(
            Mistake(
                lambda: math.sqrt(2 / (64 + 128)),
                "That uses the channel counts as the fans; a convolution's fans include the "
                "3·3 window: fan_in = 3·3·64.",
            ),
            Mistake(
                lambda: math.sqrt(6 / (576 + 1152)),
                "That is the uniform limit a = sqrt(6/(fan_in + fan_out)); the std of U(±a) is "
                "a/sqrt(3).",
            ),
        ),
    )
)

register(
    Exercise(
        key="06.3",
        question="Predict, then run: draw TruncatedNormal(mean=0.0, stddev=0.05, seed=0) of shape "
        "(1000, 100). Keras truncates at ±2·stddev and does not rescale. What is the std of the "
        "draw?",
        solution=lambda: drawn_std(
            initializers.TruncatedNormal(mean=0.0, stddev=0.05, seed=0), (1000, 100)
        ),
        explanation="Cutting the tails beyond ±2σ leaves a std of 0.8796 σ (section 5's factor), "
        "so 0.05 · 0.8796 ≈ 0.0440, and 100,000 draws measure it to about 0.2%. The stddev "
        "argument names the normal before truncation, not the result.",
        hint="predict with the truncated normal's std factor, then call the initializer on the "
        "shape and take the std.",
        mistakes=(
            Mistake(
                lambda: 0.05,
                "That is the stddev argument; truncating the tails at ±2σ makes the draws' std "
                "smaller. Run it and see.",
            ),
            Mistake(
                lambda: 0.05 / initializers.truncated_normal_std(2.0),
                "That divides by the factor 0.8796, as VarianceScaling does to correct for the "
                "truncation; the plain TruncatedNormal does not correct, so its std is smaller "
                "than 0.05, not larger.",
            ),
        ),
    )
)

register(
    Exercise(
        key="06.4",
        question="Keras's glorot_normal draws from a normal truncated at ±2σ whose σ is "
        "sqrt(2/(n_in + n_out)) / 0.8796. Why divide by 0.8796? (a) truncation shrinks the std "
        "by 0.8796, so σ is widened first and the draws land on Glorot's variance; (b) to make "
        "the largest weight exactly 2·sqrt(2/(n_in + n_out)); (c) to match PyTorch's "
        "nn.Linear default; (d) 0.8796 converts a uniform limit into a normal std.",
        solution=lambda: "a",
        explanation="(a). A normal cut at ±2σ has std 0.8796 σ. Dividing σ by 0.8796 first gives "
        "draws whose std is exactly sqrt(2/(n_in + n_out)), so glorot_normal keeps the "
        "variance the rule asks for; the largest |w| is then 2σ, a little more than twice the "
        "target std.",
        hint="what is the std of a normal with its tails beyond ±2σ cut off, compared with σ?",
        mistakes=(
            Mistake(
                lambda: "b",
                "The largest |w| is 2σ = 2·sqrt(2/(n_in + n_out))/0.8796, larger than twice the "
                "target std; the division serves the variance, not the bound.",
            ),
            Mistake(
                lambda: "c",
                "PyTorch's nn.Linear default is uniform U[±1/sqrt(n_in)], a different law with a "
                "third of LeCun's variance; 0.8796 comes from the truncation.",
            ),
            Mistake(
                lambda: "d",
                "A uniform limit a and its std are related by sqrt(3) (std = a/sqrt(3)); 0.8796 "
                "is the std of a standard normal truncated at ±2.",
            ),
        ),
    )
)
