"""SP, NTK and μP rules, the parametrized MLP's gradients, the coordinate check and Adam."""

import math

import numpy as np
import pytest

from weight_init import parametrization as P
from weight_init.training import Adam

SIZES = [16, 256, 256, 5]


def test_mup_equals_sp_at_the_base_width():
    for optimizer in ("sgd", "adam"):
        sp = P.layer_rules(SIZES, "sp", optimizer, 0.01)
        mup = P.layer_rules(SIZES, "mup", optimizer, 0.01, base_width=256)
        assert sp == mup
    x = np.random.default_rng(0).standard_normal((8, 16))
    y = np.arange(8) % 5
    nets = [
        P.build_parametrized_mlp(SIZES, p, "adam", 1e-2, base_width=256, seed=3)
        for p in ("sp", "mup")
    ]
    for _ in range(3):
        assert nets[0].step(x, y) == nets[1].step(x, y)
    for a, b in zip(nets[0].weights, nets[1].weights):
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("optimizer", ["sgd", "adam"])
def test_mup_rules_follow_table_3_relative_to_the_base(optimizer):
    eta, base, n = 0.01, 64, 1024
    m = n / base
    rules = P.layer_rules([16, n, n, 10], "mup", optimizer, eta, base_width=base)
    assert [r.role for r in rules] == ["input", "hidden", "output"]
    assert [r.multiplier for r in rules] == [1.0, 1.0, 1.0]
    assert rules[0].init_std == pytest.approx(1 / math.sqrt(16))
    assert rules[1].init_std == pytest.approx(1 / math.sqrt(n))
    assert rules[2].init_std == pytest.approx(math.sqrt(base) / n)
    expected = {"sgd": [eta * m, eta, eta / m], "adam": [eta, eta / m, eta / m]}[optimizer]
    assert [r.learning_rate for r in rules] == pytest.approx(expected)


def test_sp_and_ntk_rules():
    sp = P.layer_rules([16, 100, 400, 10], "sp", "sgd", 0.1)
    assert [r.init_std for r in sp] == pytest.approx([0.25, 0.1, 0.05])
    assert {r.learning_rate for r in sp} == {0.1} and {r.multiplier for r in sp} == {1.0}
    ntk = P.layer_rules([16, 100, 400, 10], "ntk", "adam", 0.1)
    assert [r.multiplier for r in ntk] == pytest.approx([0.25, 0.1, 0.05])
    assert {r.init_std for r in ntk} == {1.0} and {r.learning_rate for r in ntk} == {0.1}
    scaled = P.layer_rules([16, 100, 400, 10], "sp", "sgd", 0.1, output_multiplier=2.0)
    assert [r.multiplier for r in scaled] == [1.0, 1.0, 2.0]


def test_drawn_weights_have_the_rule_std_and_zero_readout():
    net = P.build_parametrized_mlp([64, 2048, 2048, 10], "mup", "adam", 1e-3, base_width=64, seed=0)
    stds = [float(np.std(w)) for w in net.weights]
    assert stds == pytest.approx([1 / 8, 1 / math.sqrt(2048), 8 / 2048], rel=0.03)
    assert net.weights[0].dtype == np.float32
    zero = P.build_parametrized_mlp(
        [8, 32, 32, 3], "mup", "sgd", 0.1, base_width=16, zero_readout=True
    )
    assert not np.any(zero.weights[-1])
    assert not np.any(zero.forward(np.ones((2, 8)))[-1])


@pytest.mark.parametrize("parametrization", ["sp", "ntk", "mup"])
def test_gradients_match_finite_differences(parametrization):
    net = P.build_parametrized_mlp(
        [5, 7, 6, 3], parametrization, "sgd", 0.1, base_width=4, seed=1, dtype=np.float64
    )
    rng = np.random.default_rng(2)
    x, y = rng.standard_normal((4, 5)), np.array([0, 2, 1, 2])
    _, gradients = net.loss_and_gradients(x, y)
    h = 1e-6
    for layer, (i, j) in [(0, (1, 2)), (1, (3, 4)), (2, (5, 1))]:
        w = net.weights[layer]
        w[i, j] += h
        up = net.loss_and_gradients(x, y)[0]
        w[i, j] -= 2 * h
        down = net.loss_and_gradients(x, y)[0]
        w[i, j] += h
        assert gradients[layer][i, j] == pytest.approx((up - down) / (2 * h), rel=1e-5, abs=1e-9)


def test_sgd_step_uses_each_layers_rate():
    net = P.build_parametrized_mlp(
        [4, 32, 32, 3], "mup", "sgd", 0.1, base_width=8, seed=0, dtype=np.float64
    )
    x, y = np.random.default_rng(1).standard_normal((6, 4)), np.arange(6) % 3
    before = [w.copy() for w in net.weights]
    _, gradients = net.loss_and_gradients(x, y)
    net.step(x, y)
    for w0, w, g, rate in zip(before, net.weights, gradients, [0.4, 0.1, 0.025]):
        np.testing.assert_allclose(w, w0 - rate * g)


def test_adam_matches_a_hand_written_update():
    rng = np.random.default_rng(0)
    theta = rng.standard_normal((3, 4))
    grads = [rng.standard_normal((3, 4)) for _ in range(3)]
    params = [theta.copy()]
    adam = Adam(0.05, beta1=0.8, beta2=0.99, epsilon=1e-6)
    m = np.zeros_like(theta)
    v = np.zeros_like(theta)
    for t, g in enumerate(grads, start=1):
        m = 0.8 * m + 0.2 * g
        v = 0.99 * v + 0.01 * g**2
        theta = theta - 0.05 * (m / (1 - 0.8**t)) / (np.sqrt(v / (1 - 0.99**t)) + 1e-6)
        adam.step(params, [g])
        np.testing.assert_allclose(params[0], theta, rtol=1e-12)
    # The first step moves every entry by about the learning rate, whatever the gradient's scale.
    first = np.zeros(5)
    Adam(0.01).step([first], [np.array([1e-3, -2.0, 5.0, 1e3, -7e-2])])
    np.testing.assert_allclose(np.abs(first), 0.01, rtol=1e-4)


def test_adam_per_parameter_rates_and_errors():
    a, b = np.zeros(2), np.zeros(2)
    Adam([0.1, 0.01]).step([a, b], [np.ones(2), np.ones(2)])
    np.testing.assert_allclose(a, -0.1, rtol=1e-6)
    np.testing.assert_allclose(b, -0.01, rtol=1e-6)
    with pytest.raises(ValueError, match="one per parameter"):
        Adam([0.1, 0.2]).step([a, b, a], [a, b, a])
    with pytest.raises(ValueError, match="learning_rates"):
        Adam(-1.0)
    with pytest.raises(ValueError, match="beta1"):
        Adam(0.1, beta1=1.0)


def test_bad_widths_multipliers_and_names_get_clear_errors():
    with pytest.raises(ValueError, match="layer_sizes"):
        P.layer_rules([16, 0, 10], "sp")
    with pytest.raises(TypeError, match="layer_sizes"):
        P.layer_rules([16, 64.5, 10], "sp")
    with pytest.raises(ValueError, match="at least 3"):
        P.layer_rules([16, 10], "sp")
    with pytest.raises(ValueError, match="base_width"):
        P.layer_rules(SIZES, "mup")
    with pytest.raises(ValueError, match="base_width=0"):
        P.layer_rules(SIZES, "mup", base_width=0)
    with pytest.raises(ValueError, match="output_multiplier"):
        P.layer_rules(SIZES, "sp", output_multiplier=0.0)
    with pytest.raises(ValueError, match="output_multiplier"):
        P.layer_rules(SIZES, "sp", output_multiplier=math.inf)
    with pytest.raises(ValueError, match="parametrization='mu'"):
        P.layer_rules(SIZES, "mu")
    with pytest.raises(ValueError, match="optimizer='rmsprop'"):
        P.layer_rules(SIZES, "sp", "rmsprop")
    with pytest.raises(ValueError, match="dtype"):
        P.build_parametrized_mlp(SIZES, "sp", dtype=np.int64)
    net = P.build_parametrized_mlp(SIZES, "sp")
    with pytest.raises(ValueError, match="x must have shape"):
        net.forward(np.ones((2, 3)))


def test_coordinate_check_sp_grows_and_mup_stays_flat():
    widths = [64, 512]
    sp = P.coordinate_check(widths, "sp", "adam", 1e-3, base_width=64, seeds=(0,), steps=2)
    mup = P.coordinate_check(widths, "mup", "adam", 1e-3, base_width=64, seeds=(0,), steps=2)
    assert sp.mean_change.shape == (2, 3, 3)
    np.testing.assert_array_equal(sp.mean_change[0], mup.mean_change[0])  # base width: same net
    assert not np.any(sp.mean_change[:, 0])  # no change before the first step
    assert sp.mean_change[1, 2, 2] > 4 * sp.mean_change[0, 2, 2]  # SP logits: about √8 · √8
    assert mup.mean_change[1, 2, 2] == pytest.approx(mup.mean_change[0, 2, 2], rel=0.5)
    # μP's output at init shrinks like 1/√width (its init std is √base / width).
    ratio = mup.mean_abs[1, 0, 2] / mup.mean_abs[0, 0, 2]
    assert 0.2 < ratio < 0.6  # 1/√8 ≈ 0.35, up to the spread of 10 output units


def test_final_training_loss_and_best_rate():
    rng = np.random.default_rng(0)
    x, y = rng.standard_normal((64, 4)).astype(np.float32), rng.integers(0, 3, 64)
    net = P.build_parametrized_mlp([4, 16, 16, 3], "sp", "adam", 1e-2, seed=0)
    first = net.loss_and_gradients(x, y)[0]
    assert P.final_training_loss(net, x, y, steps=60, last=10) < first
    with pytest.raises(ValueError, match="last"):
        P.final_training_loss(net, x, y, steps=5, last=10)
    grid = [-9, -8, -7, -6, -5]
    assert P.best_log2_rate(grid, [(r + 6.7) ** 2 for r in grid]) == pytest.approx(-6.7)
    assert P.best_log2_rate(grid, [5, 4, 3, 2, 1]) == -5
    assert P.best_log2_rate(grid, [2, 1, 1, 1, 2]) == -7.5


def test_checks_run_one_seed_at_a_time_combine_into_the_mean_over_seeds():
    args = ([64, 128], "sp", "sgd", 0.1, 64)
    both = P.coordinate_check(*args, seeds=(0, 1), steps=2)
    parts = [P.coordinate_check(*args, seeds=(seed,), steps=2) for seed in (0, 1)]
    combined = P.combine_coordinate_checks(parts)
    assert combined.seeds == both.seeds == (0, 1) and combined.widths == [64, 128]
    np.testing.assert_allclose(combined.mean_change, both.mean_change, rtol=1e-12)
    np.testing.assert_allclose(combined.mean_abs, both.mean_abs, rtol=1e-12)
    three = P.combine_coordinate_checks([both, P.coordinate_check(*args, seeds=(2,), steps=2)])
    expected = P.coordinate_check(*args, seeds=(0, 1, 2), steps=2).mean_change
    np.testing.assert_allclose(three.mean_change, expected, rtol=1e-12)
    with pytest.raises(ValueError, match="no seed twice"):
        P.combine_coordinate_checks([parts[0], parts[0]])
    with pytest.raises(ValueError, match="share their widths"):
        P.combine_coordinate_checks([parts[0], P.coordinate_check([64], *args[1:], seeds=(5,))])
    with pytest.raises(TypeError, match="parts"):
        P.combine_coordinate_checks([])
