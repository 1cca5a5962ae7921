"""forward_prop, propagate and the scratch initializers of seeds 000 and 002."""

import math

import numpy as np
import pytest

from weight_init import experiment as ex
from weight_init.init_fns import from_global_state

# Seed 002's printed std tables (CS231n experiment), one value per hidden layer.
SEED_SMALL_STDS = [0.213471, 0.047744, 0.010663, 0.002377, 0.000533, 0.000120, 0.000027]
SEED_BIG_STDS = [
    0.981929,
    0.981658,
    0.981834,
    0.981665,
    0.981690,
    0.981558,
    0.981779,
    0.981635,
    0.981700,
    0.981527,
]
SEED_LECUN_STDS = [
    0.628531,
    0.485856,
    0.407851,
    0.357675,
    0.321055,
    0.294206,
    0.272173,
    0.255200,
    0.239305,
    0.226953,
]


def seed_small_random_init(fan_in, fan_out):
    """The source's own function body: NumPy's global random state."""
    return 0.01 * np.random.randn(fan_in, fan_out)  # noqa: NPY002 (the source's form)


@pytest.mark.parametrize(
    "init_fn, expected",
    [
        (ex.small_random_init, SEED_SMALL_STDS),
        (ex.big_random_init, SEED_BIG_STDS),
        (ex.xavier_init, SEED_LECUN_STDS),
    ],
)
def test_seed_call_form_reproduces_the_seed_tables_within_3_percent(init_fn, expected):
    acts, means, stds = ex.forward_prop([500] * 10, init_fn)
    assert sorted(acts) == list(range(10))
    assert np.allclose(stds[: len(expected)], expected, rtol=0.03)
    assert max(abs(m) for m in means) < 0.01


def test_seed_call_form_with_a_two_argument_init_fn_wrapped_explicitly():
    _acts, _means, stds = ex.forward_prop([500] * 10, from_global_state(seed_small_random_init))
    assert np.allclose(stds[:4], SEED_SMALL_STDS[:4], rtol=0.03)
    with pytest.raises(TypeError, match="from_global_state"):
        ex.forward_prop([5], seed_small_random_init)


def test_shapes_and_lists_are_indexed_like_the_layers():
    acts, means, stds = ex.forward_prop(
        [7, 5, 3], ex.he_init, activation="relu", n_samples=11, input_dim=4
    )
    assert [a.shape for a in acts.values()] == [(11, 7), (11, 5), (11, 3)]
    assert len(means) == len(stds) == 3
    assert means[1] == pytest.approx(acts[1].mean())
    assert stds[2] == pytest.approx(acts[2].std())


def test_same_seed_same_numbers_and_other_seed_other_numbers():
    first = ex.forward_prop([50] * 3, ex.lecun_init, n_samples=20, input_dim=10, seed=4)
    again = ex.forward_prop([50] * 3, ex.lecun_init, n_samples=20, input_dim=10, seed=4)
    other = ex.forward_prop([50] * 3, ex.lecun_init, n_samples=20, input_dim=10, seed=5)
    assert all(np.array_equal(first[0][i], again[0][i]) for i in range(3))
    assert not np.array_equal(first[0][2], other[0][2])


def test_explicit_inputs_are_used():
    x = np.ones((4, 3))

    def identity(fan_in, fan_out, rng):
        return np.eye(fan_in, fan_out)

    acts, _, _ = ex.forward_prop([3], identity, activation="linear", inputs=x)
    assert np.array_equal(acts[0], x)


def test_lecun_rule_keeps_linear_variance_at_one():
    p = ex.propagate(
        [1000] * 5,
        ex.lecun_init,
        activation="linear",
        n_samples=2000,
        input_dim=1000,
        backward=False,
    )
    assert np.allclose(ex.second_moments(p.activations), 1.0, rtol=0.06)


def test_he_rule_keeps_relu_second_moment_near_one_on_average_over_seeds():
    # One net's E[a²] wanders by ~10% a layer (a random product); the expectation is flat.
    runs = [
        ex.propagate([500] * 6, ex.he_init, activation="relu", seed=s, backward=False)
        for s in range(8)
    ]
    average = np.mean([ex.second_moments(run.activations) for run in runs], axis=0)
    assert np.allclose(average, 1.0, rtol=0.1)


def test_backward_view_matches_theory_and_finite_differences():
    # He + ReLU: dL/dz has std sqrt(1/2) in every layer for an N(0, 1) upstream gradient.
    p = ex.propagate([500] * 6, ex.he_init, activation="relu", seed=2)
    _, grad_stds = ex.layer_stats(p.pre_activation_grads)
    assert np.allclose(grad_stds, math.sqrt(0.5), rtol=0.1)
    # tanh + 0.01 randn: the gradient at layer 1 has vanished to about 1e-6.
    small = ex.propagate([500] * 10, ex.small_random_init)
    _, small_stds = ex.layer_stats(small.pre_activation_grads)
    assert 3e-7 < small_stds[0] < 3e-6


def test_weight_gradient_is_a_true_gradient():
    p = ex.propagate([4, 3], ex.lecun_init, activation="tanh", n_samples=5, input_dim=2, seed=3)
    # L = sum(upstream * a_L), recover the upstream from the last layer's delta.
    upstream = p.pre_activation_grads[-1] / (1 - np.tanh(p.pre_activations[-1]) ** 2)

    def loss(w0):
        a0 = np.tanh(p.inputs @ w0)
        return float(np.sum(upstream * np.tanh(a0 @ p.weights[1])))

    step, numeric = 1e-6, np.zeros_like(p.weights[0])
    for index in np.ndindex(numeric.shape):
        bump = np.zeros_like(numeric)
        bump[index] = step
        numeric[index] = (loss(p.weights[0] + bump) - loss(p.weights[0] - bump)) / (2 * step)
    assert np.allclose(p.weight_grads[0], numeric, atol=1e-7)


@pytest.mark.parametrize(
    "init_fn, std",
    [
        (ex.small_random_init, lambda i, o: 0.01),
        (ex.big_random_init, lambda i, o: 1.0),
        (ex.lecun_init, lambda i, o: 1 / math.sqrt(i)),
        (ex.xavier_init, lambda i, o: 1 / math.sqrt(i)),
        (ex.glorot_init, lambda i, o: math.sqrt(2 / (i + o))),
        (ex.he_init, lambda i, o: math.sqrt(2 / i)),
    ],
)
def test_seed_002_initializers_shape_and_scale(init_fn, std):
    w = init_fn(400, 100, rng=0)
    assert w.shape == (400, 100)
    assert w.std() == pytest.approx(std(400, 100), rel=0.02)
    assert np.array_equal(init_fn(400, 100, rng=0), w)


@pytest.mark.parametrize(
    "builder, std",
    [
        (ex.weight_initializer, lambda i, o: 1.0),
        (ex.weight_initializer_for_relu, lambda i, o: math.sqrt(2 / i)),
        (ex.weight_initializer_for_sigmoid, lambda i, o: math.sqrt(2 / (i + o))),
    ],
)
def test_seed_000_initializers_shape_and_scale(builder, std):
    small = builder([2, 4, 3, 1], rng=0)
    assert {k: v.shape for k, v in small.items()} == {"W1": (4, 2), "W2": (3, 4), "W3": (1, 3)}
    big = builder([300, 600, 200], rng=1)
    assert big["W1"].std() == pytest.approx(std(300, 600), rel=0.02)
    assert big["W2"].std() == pytest.approx(std(600, 200), rel=0.02)


@pytest.mark.parametrize("sizes", [[], [500, 0], [500, -3]])
def test_bad_layer_sizes_raise_value_error(sizes):
    with pytest.raises(ValueError, match="hidden_layer_sizes"):
        ex.forward_prop(sizes, ex.lecun_init)


def test_non_integer_layer_sizes_raise_type_error():
    with pytest.raises(TypeError, match="hidden_layer_sizes"):
        ex.forward_prop([500, 2.5], ex.lecun_init)


def test_unknown_activation_names_the_value():
    with pytest.raises(ValueError, match="'swish'"):
        ex.forward_prop([5], ex.lecun_init, activation="swish", n_samples=3, input_dim=2)


def test_init_fn_with_the_wrong_shape_is_reported():
    def transposed(fan_in, fan_out, rng):
        return np.zeros((fan_out, fan_in))

    with pytest.raises(ValueError, match=r"\(fan_in, fan_out\) = \(2, 5\).*\(5, 2\)"):
        ex.forward_prop([5], transposed, n_samples=3, input_dim=2)


def test_bad_inputs_and_seed_are_reported():
    with pytest.raises(ValueError, match="inputs"):
        ex.forward_prop([5], ex.lecun_init, inputs=np.ones(3))
    with pytest.raises(TypeError, match="seed"):
        ex.forward_prop([5], ex.lecun_init, seed=1.5)
    with pytest.raises(ValueError, match=r"'l'|l="):
        ex.weight_initializer([3])


def test_bias_std_adds_a_gaussian_bias_and_zero_keeps_the_classic_pass():
    classic = ex.propagate([64] * 3, ex.lecun_init, n_samples=50, input_dim=64, seed=3)
    unbiased = ex.propagate(
        [64] * 3, ex.lecun_init, n_samples=50, input_dim=64, seed=3, bias_std=0.0
    )
    assert unbiased.biases == [] and all(
        np.array_equal(a, b) for a, b in zip(classic.activations, unbiased.activations)
    )
    biased = ex.propagate(
        [4000] * 2, ex.lecun_init, n_samples=20, input_dim=30, seed=3, bias_std=0.5
    )
    assert [b.shape for b in biased.biases] == [(4000,), (4000,)]
    assert biased.biases[0].std() == pytest.approx(0.5, rel=0.05)
    first_layer = biased.inputs @ biased.weights[0] + biased.biases[0]
    np.testing.assert_allclose(biased.pre_activations[0], first_layer)


@pytest.mark.parametrize(
    "bad, error",
    [(-0.1, ValueError), (float("nan"), ValueError), ("0.1", TypeError), (True, TypeError)],
)
def test_bias_std_rejects_bad_values(bad, error):
    # a value out of range is a ValueError, a value of the wrong kind a TypeError
    with pytest.raises(error, match="bias_std="):
        ex.propagate([8], ex.lecun_init, n_samples=4, input_dim=8, bias_std=bad)
