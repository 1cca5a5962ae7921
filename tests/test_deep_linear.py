"""Deep linear nets: the batched trainer agrees with the training engine, Eq. 12, learning time."""

import math

import numpy as np
import pytest

from weight_init import deep_linear as dl
from weight_init import training
from weight_init.init_fns import catalogue_init, lecun_init


def whitened_task(n=8, seed=0):
    rng = np.random.default_rng(seed)
    q, _ = np.linalg.qr(rng.standard_normal((n, n)))
    x = math.sqrt(n) * q  # xᵀx / m = I
    return x, x @ (rng.standard_normal((n, n)) / math.sqrt(n))


def test_batched_gradient_descent_equals_the_training_engine():
    x, y = whitened_task()
    weights = dl.stacked_weights(8, 4, lecun_init, replicas=2, seed=5)
    model = training.build_mlp(
        [8] * 5, lecun_init, activation="linear", loss="mean_squared_error", use_bias=False
    )
    model.weights = [weights[layer, 1].copy() for layer in range(4)]
    loss, gradients = dl.loss_and_gradients(weights, x, y)
    reference = model.loss_and_gradients(x, y)
    assert loss[1] == pytest.approx(reference.loss, rel=1e-12)
    for layer in range(4):
        np.testing.assert_allclose(
            gradients[layer, 1], reference.weights[layer], rtol=1e-10, atol=1e-14
        )
    run = dl.train_deep_linear(weights, x, y, [0.1, 0.1], steps=20, target_loss=1e-12)
    history = training.train(model, x, y, steps=20, learning_rate=0.1)
    np.testing.assert_allclose(run.losses[:, 1], history.loss, rtol=1e-10)
    np.testing.assert_allclose(weights[:, 1], np.array(model.weights), rtol=1e-9, atol=1e-12)


def test_stacked_weights_draw_replicas_in_order():
    weights = dl.stacked_weights(5, 3, lecun_init, replicas=2, seed=1)
    rng = np.random.default_rng(1)
    expected = [lecun_init(5, 5, rng=rng) for _ in range(6)]
    np.testing.assert_array_equal(weights[2, 1], expected[5])
    assert weights.shape == (3, 2, 5, 5)


def test_a_mode_from_aligned_small_weights_follows_equation_12():
    n, lr, steps = 8, 0.02, 1500
    x, _ = whitened_task(n)
    rng = np.random.default_rng(1)
    p, _ = np.linalg.qr(rng.standard_normal((n, 2)))
    q, _ = np.linalg.qr(rng.standard_normal((n, 2)))
    s = np.array([2.0, 1.0])
    y = x @ (p * s) @ q.T
    u0 = 1e-3
    hidden, _ = np.linalg.qr(rng.standard_normal((n, 2)))
    weights = np.stack([math.sqrt(u0) * p @ hidden.T, math.sqrt(u0) * hidden @ q.T])[:, None]
    strengths = []
    for _ in range(steps):
        strengths.append(dl.mode_strengths(weights[0, 0] @ weights[1, 0], p, q))
        _, gradients = dl.loss_and_gradients(weights, x, y)
        weights -= lr * gradients
    strengths = np.array(strengths)
    times = np.arange(steps)
    for mode in range(2):
        curve = dl.mode_strength_curve(s[mode], u0, times, tau=n / (2 * lr))
        np.testing.assert_allclose(strengths[:, mode], curve, atol=0.05 * s[mode])
        half = int(np.argmax(curve > s[mode] / 2))
        assert abs(int(np.argmax(strengths[:, mode] > s[mode] / 2)) - half) <= 0.05 * half


def test_orthogonal_learns_a_deep_linear_task_much_faster_than_gaussian():
    x, y = whitened_task(n=16, seed=0)
    rates = 2.0 ** -np.arange(-1, 6)
    best = {}
    for name, init_fn in (("gaussian", lecun_init), ("orthogonal", catalogue_init("orthogonal"))):
        weights = np.repeat(dl.stacked_weights(16, 8, init_fn, seed=1), len(rates), axis=1)
        run = dl.train_deep_linear(
            weights, x, y, rates, steps=600, target_loss=0.01 * np.mean(y**2)
        )
        reached = run.steps_to_target[run.steps_to_target >= 0]
        best[name] = int(reached.min()) if reached.size else 600
        assert run.diverged.any()  # the grid reaches rates that blow up: handled without warnings
    assert best["orthogonal"] < 0.25 * best["gaussian"]


def test_bad_arguments_are_named():
    x, y = whitened_task(4)
    weights = dl.stacked_weights(4, 2, lecun_init)
    with pytest.raises(ValueError, match="learning_rates"):
        dl.train_deep_linear(weights, x, y, [0.1, 0.2], steps=3, target_loss=0.1)
    with pytest.raises(ValueError, match="weights"):
        dl.train_deep_linear(list(weights), x, y, [0.1], steps=3, target_loss=0.1)
    with pytest.raises(ValueError, match=r"\(samples, 4\)"):
        dl.train_deep_linear(weights, x[:, :3], y, [0.1], steps=3, target_loss=0.1)
    with pytest.raises(ValueError, match="target_loss"):
        dl.train_deep_linear(weights, x, y, [0.1], steps=3, target_loss=0.0)
    with pytest.raises(ValueError, match="initial_strength"):
        dl.mode_strength_curve(1.0, 0.0, np.arange(3), 10.0)
