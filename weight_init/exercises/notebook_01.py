"""Exercises of notebook 01 · The symmetry problem."""

from __future__ import annotations

import numpy as np

from .. import datasets, init_fns, training
from .engine import Exercise, Mistake, register

LAYER_SIZES = [2, 10, 5, 1]
STEPS, LEARNING_RATE, SEED = 12_000, 0.15, 0
PLATEAU_END_COST = 0.5


def circles_training_set() -> tuple[np.ndarray, np.ndarray]:
    """Notebook 01's training set: the first 300 of 400 circles drawn with seed 0."""
    x, y = datasets.make_circles(400, noise=0.05, seed=SEED)
    return x[:300], y[:300]


def trained_net(init_fn, points: int = 300) -> tuple[training.MLP, np.ndarray]:
    """Notebook 01's tanh net trained for 12,000 steps on the first ``points`` training points;
    the trained net and its cost before every step."""
    x, y = circles_training_set()
    model = training.build_mlp(LAYER_SIZES, init_fn, activation="tanh", seed=SEED)
    history = training.train(
        model, x[:points], y[:points], steps=STEPS, learning_rate=LEARNING_RATE
    )
    return model, np.asarray(history.loss)


def plateau_end_step(stddev: float) -> int:
    """The first step (counted from 0) at which the cost of the 0.5 + N(0, stddev²) net falls
    below 0.5; -1 if it stays above for all 12,000 steps."""
    perturbed = init_fns.catalogue_init("random_normal", mean=0.5, stddev=stddev)
    below = np.flatnonzero(trained_net(perturbed)[1] < PLATEAU_END_COST)
    return int(below[0]) if below.size else -1


def zero_net_output_bias(points: int) -> float:
    """The output bias of the zero-initialized net trained on the first ``points`` points."""
    model, _ = trained_net(init_fns.catalogue_init("zeros"), points)
    assert model.biases is not None  # notebook 01's net has biases
    return float(model.biases[-1][0])


def _class_one_fraction(points: int) -> float:
    return float(np.mean(circles_training_set()[1][:points]))


def _net_parameter_count(model: training.MLP, weights_only: bool = False) -> int:
    count = sum(w.size for w in model.weights)
    if not weights_only and model.biases is not None:
        count += sum(b.size for b in model.biases)
    return count


def _constant_net() -> training.MLP:
    return training.build_mlp([3, 8, 8, 1], init_fns.catalogue_init("constant", value=0.5))


register(
    Exercise(
        key="01.1",
        question="Predict, then run: section 3's net with a perturbation twice as large, "
        "0.5 + N(0, 0.2²), seed 0, 12,000 steps of 0.15. At which step (counted from 0, as on "
        "the figure's x-axis) does the training cost first fall below 0.5?",
        solution=lambda: plateau_end_step(0.2),
        explanation="The plateau ends at step 2380 with stddev 0.2, against 5670 with 0.1; "
        "with 0.05 the cost is still above 0.5 after 12,000 steps. The differences between "
        "units grow by a roughly constant factor per step, so a start twice as far from "
        "symmetry saves the steps that growth would have taken: the larger the perturbation, "
        "the shorter the plateau.",
        hint="change only stddev in the cell, and read the first index of the cost history "
        "that is below 0.5.",
        mistakes=(
            Mistake(
                lambda: plateau_end_step(0.1),
                "That is the step of section 3's net, with stddev 0.1: the perturbation was not "
                "changed to 0.2.",
            ),
            Mistake(
                lambda: STEPS,
                "The cost does fall below 0.5 within the 12,000 steps: look for the first step "
                "below 0.5, not the last step.",
            ),
        ),
    )
)

register(
    Exercise(
        key="01.2",
        question="Train the zero-initialized net on the first 200 training points only "
        "(x_train[:200], y_train[:200]) for 12,000 steps of 0.15. What value does the output "
        "bias b3 reach?",
        solution=lambda: zero_net_output_bias(200),
        explanation="Only b3 moves, until sigmoid(b3) equals the fraction of class 1 among the "
        "200 points, 106/200 = 0.53; so b3 = ln(106/94), the log-odds of the class "
        "frequencies, about 0.120.",
        hint="the trained model's biases are a list with one array per layer; the output bias "
        "is the last one.",
        mistakes=(
            Mistake(
                lambda: _class_one_fraction(200),
                "That is the predicted probability sigmoid(b3), the class-1 fraction; the bias "
                "is its log-odds ln(p / (1 - p)).",
            ),
            Mistake(
                lambda: zero_net_output_bias(300),
                "That is the bias learned on all 300 training points; use the first 200 only.",
            ),
            Mistake(lambda: 0.0, "Zero would mean balanced classes; the 200 points are not."),
        ),
    )
)

register(
    Exercise(
        key="01.3",
        question="A net with layer sizes [3, 8, 8, 1] (with biases) starts from a constant. How "
        "many numbers does it really learn, that is, how many weights and biases does the "
        "one-unit net that computes the same function have?",
        solution=lambda: _net_parameter_count(training.one_unit_equivalent(_constant_net())),
        explanation="The equivalent net is [3, 1, 1, 1]: kernels 3·1 + 1·1 + 1·1 = 5 weights plus "
        "3 biases, 8 numbers in all.",
        hint="every hidden layer collapses to one unit; count the kernels and biases of that "
        "smaller net.",
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

register(
    Exercise(
        key="01.4",
        question="A logistic regression (inputs straight into one sigmoid output, no hidden "
        "layer) starts with every weight and the bias at zero. What happens in training? "
        "(a) it learns like any other start: with no hidden units there is no symmetry to "
        "break; (b) only the bias moves, as in the zero net; (c) every weight gets the same "
        "gradient, so the weights stay equal for ever; (d) every gradient is zero, so nothing "
        "moves.",
        solution=lambda: "a",
        explanation="(a). The gradient of weight i is the average of (p - y)·x_i: it depends on "
        "input i, so each weight moves its own way. Symmetry is a problem of hidden units only: "
        "two hidden units with the same incoming and outgoing weights are interchangeable, and "
        "gradient descent cannot tell them apart. An output unit has no twin.",
        hint="write the gradient of one weight of a logistic regression and ask what in it "
        "differs from one weight to the next.",
        mistakes=(
            Mistake(
                lambda: "b",
                "In the zero net only b3 moved because the hidden activations were 0, so the "
                "output weights saw zero inputs. In logistic regression the weights see the "
                "real inputs x_i, which are not 0.",
            ),
            Mistake(
                lambda: "c",
                "Identical gradients need identical inputs to the units; here each weight "
                "multiplies a different input x_i, so the gradients (p - y)·x_i differ.",
            ),
            Mistake(
                lambda: "d",
                "At zero the output is 0.5, so the error p - y is ±0.5, not 0, and the "
                "gradient (p - y)·x_i is non-zero; a hidden layer's gradient vanishes because "
                "of the zero weights above it, and logistic regression has none.",
            ),
        ),
    )
)
