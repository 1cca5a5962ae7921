"""Exercises of notebook 01 · The symmetry problem."""

from __future__ import annotations

import math

import numpy as np

from .. import (
    datasets,
    init_fns,
    training,
)
from .engine import Exercise, Mistake, register


def _symmetry_training_labels() -> np.ndarray:
    """The training labels of notebook 01: the first 300 of 400 circles drawn with seed 0."""
    return datasets.make_circles(400, noise=0.05, seed=0)[1][:300]


def _class_one_log_odds() -> float:
    labels = _symmetry_training_labels()
    ones = int(np.sum(labels == 1))
    return math.log(ones / (len(labels) - ones))


def _net_parameter_count(model: "training.MLP", weights_only: bool = False) -> int:
    count = sum(w.size for w in model.weights)
    if not weights_only and model.biases is not None:
        count += sum(b.size for b in model.biases)
    return count


def _constant_net() -> "training.MLP":
    return training.build_mlp([3, 8, 8, 1], init_fns.catalogue_init("constant", value=0.5))


register(
    Exercise(
        key="01.1",
        question="A zero-initialized net only moves its output bias b3, until sigmoid(b3) equals "
        "the fraction of class-1 training points (156 of 300). What value does b3 "
        "converge to?",
        solution=_class_one_log_odds,
        explanation="sigmoid(b3) = 156/300 = 0.52, so b3 = ln(0.52 / 0.48) = ln(156 / 144) ≈ "
        "0.0800: the log-odds of the class frequencies.",
        hint="solve sigmoid(b) = p for b: the inverse of the sigmoid is ln(p / (1 - p)).",
        rel_tol=1e-3,
        mistakes=(
            Mistake(
                lambda: float(np.mean(_symmetry_training_labels())),
                "That is the predicted probability sigmoid(b3); the bias is its log-odds ln(p / "
                "(1 - p)).",
            ),
            Mistake(
                lambda: math.log(2), "That is the cost of a net that guesses 0.5, not the bias."
            ),
            Mistake(
                lambda: 0.0,
                "The bias would stay at 0 only if the classes were exactly balanced; here they "
                "are not.",
            ),
        ),
    )
)

register(
    Exercise(
        key="01.2",
        question="A [3, 8, 8, 1] net with biases starts from a constant. How many weights and "
        "biases does the one-unit net that computes the same function have?",
        solution=lambda: _net_parameter_count(training.one_unit_equivalent(_constant_net())),
        explanation="The equivalent net is [3, 1, 1, 1]: kernels 3·1 + 1·1 + 1·1 = 5 weights plus "
        "3 biases, 8 numbers in all.",
        hint="every hidden layer collapses to one unit; count the kernels and biases of [3, 1, "
        "1, 1].",
        abs_tol=0.5,
        mistakes=(
            Mistake(
                lambda: _net_parameter_count(_constant_net()),
                "That is the full net's count; its copies of a unit add no freedom, so count the "
                "one-unit net.",
            ),
            Mistake(
                lambda: _net_parameter_count(
                    training.one_unit_equivalent(_constant_net()), weights_only=True
                ),
                "Those are the weights only; add the biases of the three layers.",
            ),
        ),
    )
)
