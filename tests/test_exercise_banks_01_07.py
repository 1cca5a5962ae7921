"""The expected answers of notebooks 01-07's exercises, checked against independent computations:
closed forms, hand-derived values, or scratch NumPy code that shares nothing with the solution
functions but the starting weights. A deliberately wrong solution is shown to be caught."""

from __future__ import annotations

import dataclasses
import itertools
import math

import numpy as np
import pytest

from weight_init.exercises import EXERCISES, engine, feedback, notebook_01

# -- scratch code, written from the formulas ----------------------------------------------------


def scratch_tanh_net_costs(weights, biases, x, y, steps, learning_rate):
    """Full-batch gradient descent on a tanh-tanh-sigmoid net with the cross-entropy cost, from
    the formulas: the cost before every step."""
    weights = [w.copy() for w in weights]
    biases = [b.copy() for b in biases]
    target = y.reshape(-1, 1).astype(float)
    costs = np.empty(steps)
    for step in range(steps):
        a0 = x
        a1 = np.tanh(a0 @ weights[0] + biases[0])
        a2 = np.tanh(a1 @ weights[1] + biases[1])
        z3 = a2 @ weights[2] + biases[2]
        costs[step] = np.mean(np.logaddexp(0.0, z3) - target * z3)
        delta3 = (1 / (1 + np.exp(-z3)) - target) / len(x)
        delta2 = (delta3 @ weights[2].T) * (1 - a2**2)
        delta1 = (delta2 @ weights[1].T) * (1 - a1**2)
        for layer, (a, delta) in enumerate([(a0, delta1), (a1, delta2), (a2, delta3)]):
            weights[layer] -= learning_rate * (a.T @ delta)
            biases[layer] -= learning_rate * delta.sum(0)
    return costs


def first_step_below(costs, level):
    below = np.flatnonzero(costs < level)
    return int(below[0]) if below.size else -1


# -- notebook 01 --------------------------------------------------------------------------------


def independent_01_1():
    """The plateau's end for stddev 0.2, from scratch gradient descent on the same start."""
    from weight_init import init_fns, training

    x, y = notebook_01.circles_training_set()
    start = training.build_mlp(
        [2, 10, 5, 1],
        init_fns.catalogue_init("random_normal", mean=0.5, stddev=0.2),
        activation="tanh",
        seed=0,
    )
    costs = scratch_tanh_net_costs(start.weights, start.biases, x, y, 12_000, 0.15)
    return first_step_below(costs, 0.5)


def independent_01_2():
    """The log-odds of the class frequencies of the first 200 training points, from the labels."""
    labels = notebook_01.circles_training_set()[1][:200]
    ones = int(np.sum(labels == 1))
    return math.log(ones / (200 - ones))


# -- notebook 02 --------------------------------------------------------------------------------


def scratch_tanh_stack_std(weight_std, layers=10, width=500, seed=0, pre_activation=False):
    """Notebook 02's scratch forward pass (inputs, then each layer's weights from one generator)
    and the std of the last layer's activations (or pre-activations), computed from the mean and
    the mean square."""
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((1000, width))
    for _ in range(layers):
        z = x @ (weight_std * rng.standard_normal((width, width)))
        x = np.tanh(z)
    last = z if pre_activation else x
    return math.sqrt(float(np.mean(last**2)) - float(np.mean(last)) ** 2)


def scratch_saturated_fraction(layers, width, seed=0):
    """Notebook 02's scratch pass with N(0, 1) weights: the share of the last layer's outputs
    beyond ±0.99."""
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((1000, width))
    for _ in range(layers):
        x = np.tanh(x @ rng.standard_normal((width, width)))
    return float(np.count_nonzero(np.abs(x) > 0.99)) / x.size


def overflow_step_closed_form(scale, dtype):
    """The first step at which |x| passes the dtype's largest number, if every step multiplied the
    largest entry of x by scale · sqrt(512): the count of factors that fit below the limit."""
    largest_start = float(np.max(np.abs(np.random.default_rng(0).standard_normal(512))))
    growth = scale * math.sqrt(512)
    return math.ceil(math.log(float(np.finfo(dtype).max) / largest_start) / math.log(growth))


# -- notebook 05 --------------------------------------------------------------------------------


def scratch_relu_lecun_second_moment(layers, width=500, samples=500, seed=0):
    """A scratch ReLU net with W = randn / sqrt(fan_in), drawn in the package's order (inputs,
    then each layer's weights, from one generator): E[a²] of the last layer."""
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((samples, width))
    for _ in range(layers):
        x = np.maximum(x @ (rng.standard_normal((width, width)) / math.sqrt(width)), 0.0)
    return float(np.mean(x**2))


def scratch_relu_fan_out_second_moment(sizes, samples=400, seed=0):
    """A scratch ReLU net with W = randn · sqrt(2 / fan_out), drawn in the package's order:
    E[a²] of the last layer."""
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((samples, sizes[0]))
    for fan_in, fan_out in itertools.pairwise(sizes):
        w = rng.standard_normal((fan_in, fan_out)) * math.sqrt(2 / fan_out)
        x = np.maximum(x @ w, 0.0)
    return float(np.mean(x**2))


# -- notebook 04 --------------------------------------------------------------------------------


def scratch_standard_init_last_std(layers=5, width=500):
    """Notebook 04's standard init from its formula: W ~ U[±1/sqrt(n)] from seed 0, tanh layers,
    inputs 0.3 · N(0, 1) from seed 1; the std of the last layer's activations."""
    x = 0.3 * np.random.default_rng(1).standard_normal((1000, width))
    rng = np.random.default_rng(0)
    for _ in range(layers):
        limit = 1 / math.sqrt(width)
        x = np.tanh(x @ rng.uniform(-limit, limit, (width, width)))
    return math.sqrt(float(np.mean(x**2)) - float(np.mean(x)) ** 2)


# -- notebook 06 --------------------------------------------------------------------------------


def truncated_standard_normal_std(cut):
    """std of N(0, 1) restricted to [-cut, cut]: sqrt(1 - 2 cut φ(cut) / (2Φ(cut) - 1))."""
    density = math.exp(-(cut**2) / 2) / math.sqrt(2 * math.pi)
    mass = math.erf(cut / math.sqrt(2))
    return math.sqrt(1 - 2 * cut * density / mass)


# -- notebook 07 --------------------------------------------------------------------------------


def scratch_relu_net_first_cost(weights, biases, scale=1.0):
    """The cross-entropy of a ReLU-ReLU-sigmoid net on notebook 07's training circles, from the
    formulas, with every weight multiplied by ``scale``."""
    from weight_init import datasets

    x, y = datasets.make_circles(300, noise=0.05, seed=1)
    a = x
    for layer, (w, b) in enumerate(zip(weights, biases)):
        z = a @ (scale * w) + b
        a = np.maximum(z, 0.0) if layer < len(weights) - 1 else z
    z = a[:, 0]
    return float(np.mean(np.logaddexp(0.0, z) - y * z))


def independent_07(stddev_drawn, seed, scale):
    from weight_init.exercises import notebook_07

    net = notebook_07.circles_net(stddev_drawn, seed)
    return scratch_relu_net_first_cost(net.weights, net.biases, scale)


INDEPENDENT = {
    # the plateau's end, within two steps (the scratch loop rounds in another order)
    "01.1": (independent_01_1, 0.0, 2.0),
    # the trained bias reaches the log-odds to four decimals in 12,000 steps
    "01.2": (independent_01_2, 0.0, 1e-4),
    # the one-unit net [3, 1, 1, 1]: kernels 3 + 1 + 1 and three biases, counted by hand
    "01.3": (lambda: 3 * 1 + 1 * 1 + 1 * 1 + 3, 0.0, 0.0),
    # the gradient of weight i of a zero logistic regression is mean((0.5 - y) x_i): not zero,
    # not equal across i, so the weights learn (a)
    "01.4": (lambda: "a", 0.0, 0.0),
    # the scratch pass of notebook 02's section 1, written out again
    "02.1": (lambda: scratch_tanh_stack_std(0.03), 1e-9, 0.0),
    # the closed form counts growth of the largest entry; the product's entries grow unevenly
    # in the first steps, so it may be off by one step
    "02.2": (lambda: overflow_step_closed_form(0.5, np.float32), 0.0, 1.0),
    # 300 · 0.004 · 2.5 by hand
    "02.3": (lambda: 3.0, 1e-12, 0.0),
    # for |z| < 0.1, |tanh(z) - z| < 0.00034 |z|: tanh is the identity to 0.03 % (a)
    "02.4": (lambda: "a", 0.0, 0.0),
    # ReLU is positively homogeneous and Glorot = He / sqrt(2) in a square net: 19 layers above
    # W_1 give 2^(-19/2), for any seed
    # notebook 02's scratch pass again, 200 wide, N(0, 1) weights, three layers: z's std
    "03.1": (lambda: scratch_tanh_stack_std(1.0, 3, 200, pre_activation=True), 1e-9, 0.0),
    # the scratch pass again: the share of layer 3's outputs beyond ±0.99
    "03.2": (lambda: scratch_saturated_fraction(3, 200), 1e-12, 0.0),
    # (5·3 + 5) + (2·5 + 2) by hand
    "03.3": (lambda: (5 * 3 + 5) + (2 * 5 + 2), 0.0, 0.0),
    # 1 - 0.99² = 0.0199 < 0.02: the slope on the flat arms (a)
    "03.4": (lambda: "a" if 1 - 0.99**2 < 0.02 else "?", 0.0, 0.0),
    # one draw of a 100 × 300 matrix: the backward factor n_out · Var(W) = 300 · 2/400 = 1.5 holds
    # within 2 % (the variance of 2000 · 100 entries, each a sum of 300 terms)
    "04.1": (lambda: 300 * 2 / 400, 0.02, 0.0),
    # the standard init's scratch pass, written out: U[±1/sqrt(500)] drawn from seed 0 after
    # inputs of std 0.3 from seed 1
    "04.2": (lambda: scratch_standard_init_last_std(), 1e-9, 0.0),
    # sqrt(3 · 2/(300 + 100)) = sqrt(6/400) by hand
    "04.3": (lambda: math.sqrt(6 / 400), 1e-12, 0.0),
    # 2 · 400/500 = 1.6 and 2 · 100/500 = 0.4: neither is 1 (a)
    "04.4": (lambda: "a" if 2 * 400 / 500 != 1 and 2 * 100 / 500 != 1 else "?", 0.0, 0.0),
    # sqrt(6 / fan_in) = sqrt(6 / 4) by hand
    "06.1": (lambda: math.sqrt(6 / 4), 1e-6, 0.0),
    # sqrt(2 / (3·3·64 + 3·3·128)): 73,728 draws estimate the std within 1 %
    "06.2": (lambda: math.sqrt(2 / (3 * 3 * 64 + 3 * 3 * 128)), 0.01, 0.0),
    # the std of a standard normal cut at ±2, from its density (not the package's constant),
    # times 0.05: 100,000 draws estimate it within 1 %
    "06.3": (lambda: 0.05 * truncated_standard_normal_std(2.0), 0.01, 0.0),
    # the same factor makes the truncated draws' std sqrt(2 / (n_in + n_out)): (a)
    "06.4": (lambda: "a" if abs(truncated_standard_normal_std(2.0) - 0.8796) < 1e-4 else "?", 0, 0),
    # the 10·randn net's weights times 10, through scratch ReLU layers: the homogeneity argument
    "07.1": (lambda: independent_07(10.0, 2, 10.0), 1e-6, 0.0),
    # the seed-3 net's cost from the formulas
    "07.2": (lambda: independent_07(10.0, 3, 1.0), 1e-9, 0.0),
    # Xavier's variance in a 64 × 64 layer is half He's: 2/(64 + 64) = (2/64)/2 (a)
    "07.3": (lambda: "a" if 2 / (64 + 64) == (2 / 64) / 2 else "?", 0.0, 0.0),
    "05.1": (lambda: 2 ** (-19 / 2), 1e-9, 0.0),
    # the scratch ReLU net, written out again
    "05.2": (lambda: scratch_relu_lecun_second_moment(20), 1e-9, 0.0),
    # 2 / (500 + 500) = 1 / 500, LeCun's variance: (a)
    "05.3": (lambda: "a" if 2 / (500 + 500) == 1 / 500 else "?", 0.0, 0.0),
    # sqrt(2 / (1 + 0.3²)) by hand
    "05.4": (lambda: math.sqrt(2 / (1 + 0.3**2)), 1e-9, 0.0),
    # the scratch widening ReLU net with W = randn · sqrt(2 / fan_out), written out
    "05.5": (lambda: scratch_relu_fan_out_second_moment([100, 200, 400, 800]), 1e-9, 0.0),
    # sigmoid's mean at a symmetric input is 1/2, the offset every input shares: (b)
    "05.6": (lambda: "b" if 1 / (1 + math.exp(-0.0)) == 0.5 else "?", 0.0, 0.0),
}


def matches(answer, independent, rel_tol, abs_tol):
    if isinstance(independent, str):
        return answer == independent
    return math.isclose(float(answer), float(independent), rel_tol=rel_tol, abs_tol=abs_tol) or (
        rel_tol == 0.0 and abs_tol == 0.0 and answer == independent
    )


@pytest.mark.parametrize("key", sorted(INDEPENDENT))
def test_the_expected_answer_agrees_with_an_independent_computation(key):
    compute, rel_tol, abs_tol = INDEPENDENT[key]
    independent = compute()
    assert matches(engine.expected_answer(key), independent, rel_tol, abs_tol), (
        key,
        engine.expected_answer(key),
        independent,
    )
    if rel_tol < 5e-3 and abs_tol == 0.0:  # an exact computation is also accepted by check
        assert feedback(key, independent)[0], key


KEYS_01_07 = sorted(key for key in EXERCISES if key[:2] in {f"{n:02d}" for n in range(1, 8)})


@pytest.mark.parametrize("key", KEYS_01_07)
def test_every_exercise_of_notebooks_01_to_07_has_an_independent_check(key):
    assert key in INDEPENDENT


def test_the_logistic_regression_gradient_is_not_symmetric():
    """01.4's reasoning, measured: a zero logistic regression's weights get different, non-zero
    gradients."""
    x, y = notebook_01.circles_training_set()
    gradient = x.T @ (0.5 - y) / len(y)
    assert np.all(np.abs(gradient) > 1e-4) and abs(gradient[0] - gradient[1]) > 1e-4


def test_tanh_is_the_identity_where_the_small_net_lives():
    """02.4's reasoning: tanh(z)/z is within 0.04 % of 1 for |z| < 0.034 (three stds of the
    pre-activations of section 2's second layer, std 0.0476 · sqrt(500) · 0.01)."""
    z = np.linspace(1e-6, 0.034, 1000)
    assert np.max(np.abs(np.tanh(z) / z - 1)) < 4e-4


@pytest.mark.parametrize(
    "key", ["01.2", "01.3", "02.1", "02.3", "03.1", "03.2", "03.3", "04.2", "04.3", "05.1", "05.2"]
)
def test_a_deliberately_wrong_solution_is_caught(key, monkeypatch):
    """Replace a solution by a plausible wrong one (off by 3 %): the independent check fails."""
    exercise = EXERCISES[key]
    right = exercise.solution()
    wrong = dataclasses.replace(exercise, solution=lambda: right * 1.03)
    monkeypatch.setitem(EXERCISES, key, wrong)
    monkeypatch.setattr(engine, "_EXPECTED", {})
    with pytest.raises(AssertionError):
        test_the_expected_answer_agrees_with_an_independent_computation(key)
