"""Exercises of notebook 02 · Vanishing and exploding."""

from __future__ import annotations

import math

import numpy as np

from .. import experiment, theory
from .engine import Exercise, Mistake, register

HIDDEN_LAYER_SIZES = [500] * 10
SEED = 0


def normal_init(std: float):
    """An init_fn drawing ``W = std · randn(fan_in, fan_out)`` from the model's generator."""

    def init_fn(fan_in: int, fan_out: int, rng: np.random.Generator) -> np.ndarray:
        return std * rng.standard_normal((fan_in, fan_out))

    return init_fn


def last_layer_std(weight_std: float) -> float:
    """Notebook 02's net (ten tanh layers of 500, seed 0) with W = weight_std · randn: the std of
    layer 10's activations."""
    return experiment.forward_prop(HIDDEN_LAYER_SIZES, normal_init(weight_std), seed=SEED)[2][-1]


def linear_prediction(weight_std: float, layers: int = 10) -> float:
    """The variance rule with tanh taken as the identity: (sqrt(500) · std)^layers."""
    return (math.sqrt(500) * weight_std) ** layers


def first_overflow_step(scale: float, dtype: type, steps: int = 100) -> int:
    """Notebook 02's repeated product: x ← A x with A = scale · randn(512, 512) in ``dtype``,
    seed 0; the first step at which x holds an inf or a nan (-1 if it never does)."""
    rng = np.random.default_rng(SEED)
    x: np.ndarray = rng.standard_normal(512).astype(dtype)
    matrix: np.ndarray = (scale * rng.standard_normal((512, 512))).astype(dtype)
    with np.errstate(over="ignore", invalid="ignore"):
        for step in range(1, steps + 1):
            x = matrix @ x
            if not np.isfinite(x).all():
                return step
    return -1


register(
    Exercise(
        key="02.1",
        question="Predict, then run: W = 0.03 · randn in notebook 02's net (ten tanh layers of "
        "500, seed 0). What is the std of layer 10's activations?",
        solution=lambda: last_layer_std(0.03),
        explanation="The variance rule with tanh taken as the identity predicts a factor "
        "sqrt(500) · 0.03 ≈ 0.671 per layer, 0.671^10 ≈ 0.0185 after ten layers. The measured "
        "std is lower, about 0.0116: the first layers still see large inputs (layer 1's "
        "pre-activations have std 0.67), where tanh squashes; only once the signal is small "
        "does tanh act as the identity and the factor settle at 0.671.",
        hint="write an init_fn(fan_in, fan_out, rng) that scales the generator's standard "
        "normal draws, pass it to forward_prop with seed 0, and read the last std.",
        mistakes=(
            Mistake(
                lambda: linear_prediction(0.03),
                "That is the prediction with tanh as the identity, (sqrt(500) · 0.03)^10. Run "
                "the net: tanh squashes the first layers, so the measured std is lower.",
            ),
            Mistake(
                lambda: math.sqrt(500) * 0.03,
                "That is the predicted factor of one layer; the question asks for the std after "
                "ten layers.",
            ),
            Mistake(
                lambda: last_layer_std(0.01),
                "That is the std of section 2's net, W = 0.01 · randn; use 0.03.",
            ),
        ),
    )
)

register(
    Exercise(
        key="02.2",
        question="Predict, then run: section 8's repeated product in float32, with the matrix "
        "scaled by 0.5 instead of 1 (A = 0.5 · randn(512, 512), seed 0). At which step does x "
        "first hold an inf or a nan?",
        solution=lambda: first_overflow_step(0.5, np.float32),
        explanation="Each step multiplies the size of x by about 0.5 · sqrt(512) ≈ 11.3 instead "
        "of 22.6. float32 stops near 3.4e38, so the number of steps grows like "
        "log(3.4e38) / log(11.3) ≈ 36.6 against log(3.4e38) / log(22.6) ≈ 28.3: overflow "
        "comes at step 37 instead of 29. Halving the scale does not double the steps; it "
        "changes the base of a logarithm.",
        hint="predict with logarithms: how many factors of 0.5 · sqrt(512) fit below float32's "
        "largest number? Then change the scale in section 8's cell and read the first step.",
        mistakes=(
            Mistake(
                lambda: first_overflow_step(1.0, np.float32),
                "That is the step with scale 1, section 8's run; change the scale to 0.5.",
            ),
            Mistake(
                lambda: 2 * first_overflow_step(1.0, np.float32),
                "Halving the scale does not double the number of steps: each step still "
                "multiplies by 11.3, and log(3.4e38) / log(11.3) ≈ 36.6.",
            ),
        ),
    )
)

register(
    Exercise(
        key="02.3",
        question="One layer has fan_in = 300, weight variance 0.004 and inputs with E[x²] = 2.5. "
        "What is the variance of its pre-activations?",
        solution=lambda: theory.preactivation_variance(300, 0.004, 2.5),
        explanation="Var(z) = fan_in · Var(W) · E[x²] = 300 · 0.004 · 2.5 = 3.0.",
        hint="each of the fan_in terms W_ij x_i contributes Var(W) · E[x²].",
        mistakes=(
            Mistake(
                lambda: 0.004 * 2.5,
                "You left out the fan_in: the pre-activation is a sum of fan_in terms.",
            ),
            Mistake(
                lambda: math.sqrt(300 * 0.004 * 2.5),
                "That is the std; the question asks for the variance.",
            ),
        ),
    )
)

register(
    Exercise(
        key="02.4",
        question="With W = 0.01 · randn, section 2 measured the same shrink factor, about 0.22, "
        "at every layer. Why the same at every layer? (a) while the signal is small, tanh is "
        "almost the identity, so every layer multiplies the std by sqrt(500) · 0.01; (b) tanh "
        "saturates, so every layer outputs about the same values; (c) the weights of every "
        "layer are the same matrix; (d) the biases hold the signal at a fixed fraction.",
        solution=lambda: "a",
        explanation="(a). For small z, tanh(z) ≈ z, so a layer is linear and Var(z) = "
        "n · Var(W) · E[x²] multiplies the variance by 500 · 0.01² = 0.05, the std by "
        "sqrt(0.05) ≈ 0.224, whatever the layer.",
        hint="what does tanh(z) look like for z close to 0, and what does the variance rule say "
        "a linear layer does?",
        mistakes=(
            Mistake(
                lambda: "b",
                "Saturation needs large inputs (|z| above about 2.6); with 0.01 · randn the "
                "inputs are small and tanh is in its linear region. Saturation is the 1 · randn "
                "case, where the std stays at 0.98 instead of shrinking.",
            ),
            Mistake(
                lambda: "c",
                "Each layer draws its own weights from the generator; they are different "
                "matrices with the same statistics, and the statistics are what set the factor.",
            ),
            Mistake(
                lambda: "d",
                "This net has no biases: z = x W. The factor comes from the weights' variance "
                "and the fan-in alone.",
            ),
        ),
    )
)
