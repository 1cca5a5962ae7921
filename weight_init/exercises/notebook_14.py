"""Exercises of notebook 14 · Width, parametrizations and μP."""

from __future__ import annotations

import math
from typing import Any

from .. import (
    parametrization,
)
from .engine import Exercise, Mistake, register


def _mup_rule(width: int, layer: int, learning_rate: float = 0.01, optimizer: str = "adam") -> Any:
    """Layer ``layer``'s :class:`parametrization.LayerRule` in ``[256, width, width, 10]``,
    base width 64."""
    sizes = [256, width, width, 10]
    return parametrization.layer_rules(sizes, "mup", optimizer, learning_rate, base_width=64)[layer]


_COORDINATE_CHECKS: dict[str, Any] = {}


def _input_layer_change_ratio(layer: int = 0) -> float:
    """SP + SGD 0.1: ``mean|h(4) - h(0)|`` of ``layer`` at width 1024 over width 64 (the check
    runs once and is kept: the feedback asks for it several times)."""
    if "sp-sgd" not in _COORDINATE_CHECKS:
        _COORDINATE_CHECKS["sp-sgd"] = parametrization.coordinate_check(
            [64, 1024], "sp", "sgd", 0.1, 64
        )
    change = _COORDINATE_CHECKS["sp-sgd"].mean_change
    return float(change[1, 4, layer] / change[0, 4, layer])


register(
    Exercise(
        key="14.1",
        question="μP (Table 3 form), Adam, base width 64, η = 0.01: what is the learning rate of a "
        "hidden 2048 × 2048 kernel?",
        solution=lambda: _mup_rule(2048, 1).learning_rate,
        explanation="Hidden kernels get η/m with m = fan_in / base width = 2048 / 64 = 32, so "
        "0.01 / 32 = 3.125e-4 (parametrization.layer_rules).",
        hint="find the width multiplier m = fan_in / base width, then use the hidden row of the "
        "Adam column.",
        rel_tol=5e-3,
        mistakes=(
            Mistake(lambda: 0.01, "That is SP's rate; μP divides the hidden Adam rate by m."),
            Mistake(
                lambda: 0.01 / 2048,
                "That divides by fan_in itself; relative to a base width the factor is "
                "m = fan_in / 64.",
            ),
            Mistake(
                lambda: 0.01 * 32,
                "That multiplies by m, as SGD does for the input layer; Adam's hidden rate "
                "divides.",
            ),
        ),
    )
)

register(
    Exercise(
        key="14.2",
        question="Predict, then run: under μP with base width 64, what init std does a "
        "width-4096 net's output kernel get? Predict it, then build the net with "
        "parametrization.build_parametrized_mlp (seed 0) and measure the std of its output "
        "kernel.",
        solution=lambda: _mup_rule(4096, 2).init_std,
        explanation="The output std is 1/√(fan_in · m) = √64 / 4096 = 1/512 ≈ 0.00195, 8 times "
        "below SP's 1/√4096.",
        hint="the width multiplier is m = fan_in / base width, and μP shrinks the output "
        "variance by m on top of SP's 1/fan_in.",
        # Accepts the prediction and the seed-0 measurement of 40 960 draws (0.1% apart).
        rel_tol=0.01,
        mistakes=(
            Mistake(
                lambda: 1 / math.sqrt(4096), "That is SP's 1/√fan_in, μP's input and hidden std."
            ),
            Mistake(lambda: 64 / 4096**2, "That is the variance; the question asks for the std."),
        ),
    )
)

register(
    Exercise(
        key="14.3",
        question="SP with SGD (η = 0.1), coordinate check at widths 64 and 1024 (three seeds): "
        "mean|h₁(4) - h₁(0)| at width 1024 divided by its value at width 64?",
        solution=_input_layer_change_ratio,
        explanation="The first layer's change shrinks about 2^-0.6 per doubling, so over four "
        "doublings it falls to roughly a fifth: in a wide SP net trained with SGD the input "
        "layer barely learns.",
        hint="run the coordinate check for SP with SGD at the two widths, then compare the first "
        "hidden layer's change after 4 steps at the wide width with the narrow one.",
        rel_tol=2e-2,
        mistakes=(
            Mistake(
                lambda: _input_layer_change_ratio(2),
                "That is the logits' ratio (layer index 2); the first hidden layer is index 0.",
            ),
            Mistake(
                lambda: 1 / _input_layer_change_ratio(),
                "Inverted: divide the width-1024 value by the width-64 one.",
            ),
        ),
    )
)

register(
    Exercise(
        key="14.4",
        question="Which hyperparameter does Tensor Programs V not claim to transfer across "
        "width? (a) the learning rate, (b) the output multiplier, (c) the init scale, (d) the "
        "weight decay.",
        solution=lambda: "d",
        explanation="Table 1 of the paper lists optimization hyperparameters, init and parameter "
        "multipliers as μTransferable; regularization (dropout, weight decay) is not, since how "
        "much a net needs depends on the data and model size.",
        hint="μP fixes how the optimization behaves with width; which of these is about "
        "regularization instead?",
        mistakes=(
            Mistake(
                lambda: "a",
                "The learning rate is the headline of μTransfer: under μP its optimum stays put.",
            ),
            Mistake(
                lambda: "b",
                "Parameter multipliers such as the output multiplier are listed as transferable.",
            ),
            Mistake(
                lambda: "c",
                "The init scale transfers too: μP's rules already carry its width dependence.",
            ),
        ),
    )
)
