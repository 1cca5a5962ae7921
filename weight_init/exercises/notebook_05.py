"""Exercises of notebook 05 · He/Kaiming initialization."""

from __future__ import annotations

import numpy as np

from .. import experiment, theory
from ..init_fns import InitFn, glorot_init, he_init, lecun_init
from .engine import Exercise, Mistake, register

SEED = 0


def first_layer_gradient_norm(init_fn: InitFn, depth: int) -> float:
    """``|dL/dW_1|`` of a ReLU net of ``depth`` layers of 64 (200 samples, seed 0), as in notebook
    05's section 2."""
    net = experiment.propagate(
        [64] * depth, init_fn, activation="relu", n_samples=200, input_dim=64, seed=SEED
    )
    return float(np.linalg.norm(net.weight_grads[0]))


def glorot_over_he(depth: int) -> float:
    """The ratio of the first layer's weight-gradient norms, Glorot over He."""
    return first_layer_gradient_norm(glorot_init, depth) / first_layer_gradient_norm(he_init, depth)


def last_second_moment(depth: int, seed: int = SEED) -> float:
    """E[a²] of the last layer of a ReLU net of ``depth`` layers of 500 with LeCun's rule
    (500 samples of N(0, 1) inputs, seed 0)."""
    net = experiment.propagate(
        [500] * depth, lecun_init, activation="relu", n_samples=500, seed=seed, backward=False
    )
    return experiment.second_moments(net.activations)[-1]


def predicted_last_second_moment(depth: int) -> float:
    """theory.predict_signal's E[a²] after ``depth`` ReLU layers of 500 with Var(W) = 1/500."""
    prediction = theory.predict_signal("relu", [500] * (depth + 1), [1 / 500] * depth)
    return prediction.activation_second_moments[-1]


register(
    Exercise(
        key="05.1",
        question="Predict, then run: section 2's comparison of |dL/dW_1| under Xavier (Glorot) "
        "and He, in a ReLU net of 20 layers of 64 instead of 30 (200 samples, seed 0). What is "
        "the ratio Xavier / He?",
        solution=lambda: glorot_over_he(20),
        explanation="In a square net the Glorot weights are He's divided by sqrt(2). ReLU is "
        "positively homogeneous, so each of the 19 layers above the first scales the backward "
        "signal by 1/sqrt(2) and the input to layer 1 is the same: the ratio is "
        "2^(-19/2) ≈ 0.00138, for any seed. Depth L gives 2^(-(L-1)/2).",
        hint="count the layers whose weights lie between the loss and W_1, and what each "
        "contributes as a factor; then change the depth in section 2's cell.",
        mistakes=(
            Mistake(
                lambda: glorot_over_he(30),
                "That is the 30-layer ratio of section 2; change the depth to 20.",
            ),
            Mistake(
                lambda: 2.0**-10,
                "That counts 20 factors of 1/sqrt(2); W_1's own weights do not scale dL/dW_1, "
                "only the 19 layers above it do.",
            ),
            Mistake(
                lambda: 2.0**-19,
                "That is 1/2 per layer, the factor on the second moment; the norm is its square "
                "root, 1/sqrt(2) per layer.",
            ),
        ),
    )
)

register(
    Exercise(
        key="05.2",
        question="Predict, then run: LeCun's rule in a ReLU net of 20 layers of 500 (500 samples "
        "of N(0, 1) inputs, seed 0, forward pass only). What is E[a²] of layer 20?",
        solution=lambda: last_second_moment(20),
        explanation="The prediction halves E[a²] per layer: 2^-20 ≈ 9.54e-07. Seed 0 measures "
        "about 4.42e-07, less than half the prediction: in a deep net the per-layer factors "
        "are random, and their product spreads (section 3 saw single nets between half and "
        "twice the prediction at layer 10 with He; with twice the depth the spread is wider). "
        "The prediction is right on average over seeds, not for one net.",
        hint="pass n_samples=500 and backward=False to propagate, and take the mean square of "
        "the last layer's activations.",
        mistakes=(
            Mistake(
                lambda: predicted_last_second_moment(20),
                "That is the prediction 2^-20. Run the net: one seed's product of 20 random "
                "factors lands elsewhere.",
            ),
            Mistake(
                lambda: last_second_moment(10),
                "That is E[a²] at layer 10 of the same net; read the last of 20 layers.",
            ),
        ),
    )
)

register(
    Exercise(
        key="05.3",
        question="Section 2's ReLU net is square: 500 inputs and ten layers of 500. What does "
        "Glorot's rule, Var(W) = 2/(fan_in + fan_out), do in it? (a) the same as LeCun's rule: "
        "E[a²] halves at every layer; (b) the same as He's rule: E[a²] stays near 1; (c) "
        "something between the two: E[a²] shrinks by 3/4 per layer; (d) it doubles E[a²] at "
        "every layer.",
        solution=lambda: "a",
        explanation="(a). With fan_in = fan_out = 500, 2/(500 + 500) = 1/500, which is LeCun's "
        "1/fan_in: the same weights, so ReLU halves E[a²] at every layer. Glorot's rule was "
        "derived for activations that are linear near 0 (tanh), not for ReLU.",
        hint="put fan_in = fan_out = n into the formula and compare with 1/n and 2/n.",
        mistakes=(
            Mistake(
                lambda: "b",
                "He's rule is 2/fan_in; Glorot's 2/(fan_in + fan_out) is half of that when the "
                "fans are equal, so it lacks the factor 2 that ReLU's halving needs.",
            ),
            Mistake(
                lambda: "c",
                "Glorot's rule averages the two fans, not LeCun's and He's variances; with equal "
                "fans the average is fan_in itself.",
            ),
            Mistake(
                lambda: "d",
                "A rule doubles E[a²] through ReLU only with Var(W) = 4/fan_in; Glorot's is "
                "1/fan_in here.",
            ),
        ),
    )
)
