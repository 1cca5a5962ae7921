"""Exercises of notebook 07 · Does initialization change learning?."""

from __future__ import annotations

from .. import datasets, init_fns, training
from .engine import Exercise, Mistake, register

CIRCLES_NET = [2, 10, 5, 1]


def circles_net(stddev: float, seed: int = 2) -> training.MLP:
    """Notebook 07's circles net [2, 10, 5, 1] (ReLU, ReLU, sigmoid) with N(0, stddev²) weights
    and zero biases, built with ``seed``."""
    init_fn = init_fns.catalogue_init("random_normal", stddev=stddev)
    return training.build_mlp(CIRCLES_NET, init_fn, activation="relu", seed=seed)


def first_cost(stddev: float, seed: int = 2) -> float:
    """The cross-entropy cost of :func:`circles_net` on notebook 07's training circles, before
    any training."""
    x, y = datasets.make_circles(300, noise=0.05, seed=1)
    return circles_net(stddev, seed).loss_and_gradients(x, y).loss


register(
    Exercise(
        key="07.1",
        question="Predict, then run: section 1's too-large net with 100·randn instead of "
        "10·randn (seed 2). What is its first cost, before any training?",
        solution=lambda: first_cost(100.0),
        explanation="The catalogue draws 100·randn as ten times the 10·randn numbers of the same "
        "seed, and the biases are zero. ReLU is positively homogeneous, so each of the three "
        "layers multiplies the logits by 10: 1000 times larger logits. For logits this large "
        "the cross-entropy is the size of the wrong-side logit, so the cost is 1000 times "
        "section 1's, about 1.05e6.",
        hint="how do a ReLU net's logits change when every weight is multiplied by 10 and the "
        "biases are zero? Count the layers.",
        mistakes=(
            Mistake(
                lambda: 10 * first_cost(10.0),
                "That scales the cost by 10, once; every one of the three layers multiplies "
                "the signal by 10.",
            ),
            Mistake(
                lambda: first_cost(10.0),
                "That is the 10·randn net of section 1; change the stddev to 100.",
            ),
        ),
    )
)

register(
    Exercise(
        key="07.2",
        question="Run: section 1's too-large net (10·randn) built with seed 3 instead of 2. What "
        "is its first cost, before any training?",
        solution=lambda: first_cost(10.0, seed=3),
        explanation="Another seed draws other weights, and the first cost of a net with huge "
        "logits is the average size of its wrong-side logits: it depends on the draw, but it "
        "is in the hundreds or thousands for every seed, against ln 2 ≈ 0.69 for a sensible "
        "start. That cost is not a measure of how wrong the net is; it measures how large "
        "its logits are.",
        hint="build the net with the too-large initializer and the other seed, and ask it for "
        "its loss on the training set before any step.",
        mistakes=(
            Mistake(
                lambda: first_cost(10.0, seed=2),
                "That is section 1's net, built with seed 2; build it with seed 3.",
            ),
        ),
    )
)

register(
    Exercise(
        key="07.3",
        question="In section 2, the 30-layer ReLU net with Xavier (Glorot) init stays at ln 4 "
        "while He's learns. Why? (a) each ReLU layer halves the signal's second moment under "
        "Xavier, so after 30 layers the first layer's gradient is about 2^-15 of He's and the "
        "updates are too small to matter; (b) Xavier's weights are too large and saturate "
        "ReLU; (c) Xavier is meant for sigmoid, and ReLU units cannot learn from it at all; "
        "(d) the learning rate is tuned for Xavier, not for He.",
        solution=lambda: "a",
        explanation="(a). In a square layer Xavier's variance 2/(64 + 64) is 1/64, half of He's "
        "2/64, and ReLU halves the second moment, so the signal loses a factor 2 per layer in "
        "both directions: 29 layers give a first-layer gradient about 2^(-29/2) ≈ 2^-15 of "
        "He's. With such tiny gradients, the net stays at the cost of guessing.",
        hint="compare Xavier's and He's variance in a 64 × 64 layer, and what ReLU does to the "
        "second moment.",
        mistakes=(
            Mistake(
                lambda: "b",
                "Xavier's weights are the smaller ones (half He's variance), and ReLU does not "
                "saturate for large inputs: its slope stays 1 for every positive input.",
            ),
            Mistake(
                lambda: "c",
                "ReLU units learn from any start that keeps the signal alive; the problem is "
                "the size of the signal, which shrinks by 2 per layer, not the activation.",
            ),
            Mistake(
                lambda: "d",
                "Both nets use the same learning rate, 0.01; the difference is the size of the "
                "gradients, about 2^15 apart at the first layer.",
            ),
        ),
    )
)
