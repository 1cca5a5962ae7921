"""Exercises of notebook 05 · He/Kaiming initialization (05.1-05.3) and of its going-further
part (05.4-05.6)."""

from __future__ import annotations

from typing import Callable

import numpy as np

from .. import experiment, theory
from ..init_fns import InitFn, catalogue_init, glorot_init, he_init, lecun_init
from .engine import Exercise, Mistake, register

SEED = 0


def first_layer_gradient_norm(init_fn: InitFn, depth: int) -> float:
    """``|dL/dW_1|`` of a ReLU net of ``depth`` layers of 64 (200 samples, seed 0), as in notebook
    05's section 4."""
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
        question="Predict, then run: section 4's comparison of |dL/dW_1| under Xavier (Glorot) "
        "and He, in a ReLU net of 20 layers of 64 instead of 30 (200 samples, seed 0). What is "
        "the ratio Xavier / He?",
        solution=lambda: glorot_over_he(20),
        explanation="In a square net the Glorot weights are He's divided by sqrt(2). ReLU is "
        "positively homogeneous, so each of the 19 layers above the first scales the backward "
        "signal by 1/sqrt(2) and the input to layer 1 is the same: the ratio is "
        "2^(-19/2) ≈ 0.00138, for any seed. Depth L gives 2^(-(L-1)/2).",
        hint="count the layers whose weights lie between the loss and W_1, and what each "
        "contributes as a factor; then change the depth in section 4's cell.",
        mistakes=(
            Mistake(
                lambda: glorot_over_he(30),
                "That is the 30-layer ratio of section 4; change the depth to 20.",
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


# -- 05 (going further) -------------------------------------------------------------------------


def leaky_relu(slope: float) -> Callable[[np.ndarray], np.ndarray]:
    """A leaky ReLU of negative slope ``slope``: z for z > 0, slope · z otherwise."""
    return lambda z: np.where(z > 0, z, slope * z)


def second_moment_gain(slope: float) -> float:
    """1/sqrt(E[φ(z)²]) for z ~ N(0, 1) and φ a leaky ReLU of negative slope ``slope``."""
    return 1 / np.sqrt(theory.activation_second_moment(leaky_relu(slope), 1.0))


def widening_last_second_moment(mode: str) -> float:
    """E[a²] of the last layer of the ReLU net 100 → 200 → 400 → 800 under He's rule in ``mode``
    (untruncated normal, 400 samples, seed 0)."""
    init_fn = catalogue_init(
        "variance_scaling", scale=2.0, mode=mode, distribution="untruncated_normal"
    )
    net = experiment.propagate(
        [200, 400, 800],
        init_fn,
        activation="relu",
        n_samples=400,
        input_dim=100,
        seed=SEED,
        backward=False,
    )
    return experiment.second_moments(net.activations)[-1]


def predicted_widening_last_second_moment() -> float:
    """theory.predict_signal's E[a²] after the widening net with Var(W) = 2/n_out."""
    sizes = [100, 200, 400, 800]
    prediction = theory.predict_signal("relu", sizes, [2 / n for n in sizes[1:]])
    return prediction.activation_second_moments[-1]


register(
    Exercise(
        key="05.4",
        question="Hands-on: write a leaky ReLU of negative slope 0.3 and compute, from its second "
        "moment, the gain 1/sqrt(E[φ(z)²]) for z ~ N(0, 1). What is the gain?",
        solution=lambda: second_moment_gain(0.3),
        explanation="E[φ(z)²] keeps the positive half (1/2) and slope² of the negative half "
        "(0.09/2): 1.09/2 = 0.545, so the gain is sqrt(2/1.09) ≈ 1.3546, below ReLU's sqrt(2). "
        "Because φ(cz) = c φ(z), the same gain holds at every scale.",
        hint="E[φ(z)²] is half of E[z²] from the positive side plus slope² times half from the "
        "negative side; the gain is one over its square root.",
        mistakes=(
            Mistake(
                lambda: float(np.sqrt(2.0)),
                "That is ReLU's gain (slope 0); the negative side adds slope² of its energy.",
            ),
            Mistake(
                lambda: float(theory.activation_second_moment(leaky_relu(0.3), 1.0)),
                "That is E[φ(z)²] itself; the gain is one over its square root.",
            ),
            Mistake(
                lambda: 2 / 1.09,
                "That is the gain squared, the factor on the variance; take its square root.",
            ),
        ),
    )
)

register(
    Exercise(
        key="05.5",
        question="Predict, then run: He's rule in fan_out mode in the widening ReLU net 100 → 200 "
        "→ 400 → 800 (propagate([200, 400, 800], ...), input_dim=100, n_samples=400, seed=0). "
        "What is E[a²] of the last layer?",
        solution=lambda: widening_last_second_moment("fan_out"),
        explanation="Each layer multiplies E[a²] by n_in · Var(W)/2 = n_in/n_out with "
        "Var(W) = 2/n_out, so the prediction is 100/800 = 0.125: the mirror image of section "
        "2's funnel, where fan_out let the activations grow tenfold. One seed's net lands near "
        "it; fan_in mode would keep E[a²] at 1 and let the gradient shrink instead.",
        hint="pass catalogue_init('variance_scaling', scale=2.0, mode='fan_out', "
        "distribution='untruncated_normal') and backward=False, and take the mean square of the "
        "last layer's activations.",
        rel_tol=5e-3,
        mistakes=(
            Mistake(
                predicted_widening_last_second_moment,
                "That is the prediction 100/800; run the net and enter what it measures.",
            ),
            Mistake(
                lambda: widening_last_second_moment("fan_in"),
                "That is fan_in mode, which keeps E[a²] at 1; use mode='fan_out'.",
            ),
        ),
    )
)

register(
    Exercise(
        key="05.6",
        question="Section 4's table: sigmoid with LeCun's rule keeps a forward ratio of about "
        "1/3, but its input-dependent ratio is of order 1e-14. What does the forward ratio "
        "measure there? (a) the information about the input that reaches layer 12; (b) an "
        "offset that every input shares: sigmoid's mean of 1/2, pushed through the weights; "
        "(c) float64 round-off, which piles up over 12 layers; (d) the backward gradient, which "
        "sigmoid keeps at 1/4 per layer.",
        solution=lambda: "b",
        explanation="(b). E[z²] counts every entry, and sigmoid's outputs have mean 1/2: pushed "
        "through random weights this gives every unit an offset that is the same for every "
        "input. The part that changes with the input shrinks by σ'(z) ≤ 1/4 per layer, as the "
        "gradient does, so after 12 layers only the shared offset is left.",
        hint="compare the two columns: one counts every entry, the other only what changes from "
        "one input to the next. What does sigmoid output on average?",
        mistakes=(
            Mistake(
                lambda: "a",
                "The information is what the input-dependent column measures, and it is "
                "1e-14 of its start: every unit outputs the same number for every input.",
            ),
            Mistake(
                lambda: "c",
                "Round-off is of order 1e-16 relative; a ratio of 1/3 is a real, deterministic "
                "offset, the same for every input.",
            ),
            Mistake(
                lambda: "d",
                "The forward ratio compares pre-activations of layers 12 and 1; the backward "
                "column is a separate measurement, and it vanishes too.",
            ),
        ),
    )
)
