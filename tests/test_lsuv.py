"""LSUV: every layer ends at unit variance, in few rounds, and the scale is all it changes."""

import numpy as np
import pytest

from weight_init import training
from weight_init.init_fns import catalogue_init
from weight_init.lsuv import lsuv_init

ORTHOGONAL = catalogue_init("orthogonal")


def deep_net(activation, depth=30, width=32, use_bias=False, seed=1):
    return training.build_mlp(
        [width] + [width] * depth + [4],
        ORTHOGONAL,
        activation=activation,
        loss="softmax_cross_entropy",
        seed=seed,
        use_bias=use_bias,
    )


@pytest.fixture
def batch():
    return np.random.default_rng(0).standard_normal((256, 32))


def test_plain_orthogonal_relu_vanishes_and_lsuv_restores_unit_variance(batch):
    model = deep_net("relu")
    before = [float(np.var(z)) for z in model.forward(batch).pre_activations]
    assert before[-1] < 1e-7  # each ReLU halves the second moment: about 2^-30 after 30 layers
    original = [w.copy() for w in model.weights]
    report = lsuv_init(model, batch)
    after = [float(np.var(z)) for z in model.forward(batch).pre_activations]
    np.testing.assert_allclose(after, 1.0, atol=0.01)
    np.testing.assert_allclose(report.variances, after, rtol=1e-10)
    assert all(report.converged) and max(report.iterations) <= 1
    # LSUV changes only the scale: every kernel is its orthogonal start times a positive number
    for w, w0 in zip(model.weights, original):
        ratio = w / w0
        assert np.allclose(ratio, ratio.flat[0]) and ratio.flat[0] > 0


def test_biases_and_tanh_take_more_rounds_but_converge(batch):
    # random per-unit biases add variance that does not scale with W: z is no longer linear in W
    model = deep_net("tanh", depth=10, use_bias=True)
    rng = np.random.default_rng(2)
    for b in model.biases:
        b += 0.5 * rng.standard_normal(b.shape)
    report = lsuv_init(model, batch, tolerance=1e-3, max_iterations=20)
    assert all(report.converged) and max(report.iterations) > 1
    np.testing.assert_allclose(report.variances, 1.0, atol=1e-3)


def test_an_unreachable_target_stops_at_max_iterations(batch):
    # Var(tanh(z)) < 1 for any z: measured after the activation, the target 1 cannot be met
    report = lsuv_init(deep_net("tanh", depth=3), batch, measure="activation", max_iterations=5)
    assert report.iterations[:3] == [5, 5, 5] and not any(report.converged[:3])
    assert report.converged[-1]  # the logits have no activation


def test_relu_measured_after_the_activation(batch):
    model = deep_net("relu", depth=5)
    lsuv_init(model, batch, measure="activation")
    hidden = model.forward(batch).activations
    np.testing.assert_allclose([np.var(a) for a in hidden], 1.0, atol=0.01)


def test_bad_arguments_are_named(batch):
    model = deep_net("relu", depth=2)
    with pytest.raises(ValueError, match="measure="):
        lsuv_init(model, batch, measure="output")
    with pytest.raises(ValueError, match="tolerance="):
        lsuv_init(model, batch, tolerance=0)
    with pytest.raises(ValueError, match="max_iterations="):
        lsuv_init(model, batch, max_iterations=0)
    with pytest.raises(TypeError, match="model"):
        lsuv_init([np.eye(3)], batch)
    model.weights[1][:] = 0.0
    with pytest.raises(ValueError, match="layer 1"):
        lsuv_init(model, batch)
