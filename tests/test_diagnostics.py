"""The diagnostics on constructed cases whose answers are known exactly."""

import math

import numpy as np
import pytest

from weight_init import diagnostics as D
from weight_init import training
from weight_init.init_fns import catalogue_init


def test_expected_initial_loss_is_ln_k_or_the_prior_entropy():
    assert D.expected_initial_loss(27) == pytest.approx(math.log(27))
    prior = [0.5, 0.25, 0.25]
    assert D.expected_initial_loss(class_prior=prior) == pytest.approx(1.5 * math.log(2))
    assert D.expected_initial_loss(class_prior=[1.0, 0.0]) == 0.0
    with pytest.raises(ValueError, match="class_prior"):
        D.expected_initial_loss(class_prior=[0.5, 0.6])
    with pytest.raises(ValueError, match="n_classes"):
        D.expected_initial_loss(1)
    with pytest.raises(ValueError, match="n_classes or class_prior"):
        D.expected_initial_loss()


def test_initial_loss_verdicts():
    good = D.initial_loss(math.log(10) * 1.05, 10)
    assert good.healthy and "ln 10" in good.verdict
    bad = D.initial_loss(26.4, 27)
    assert not bad.healthy and "8.0 times too high" in bad.verdict and str(bad) == bad.verdict
    assert not D.initial_loss(0.1, 10).healthy


def test_saturated_fraction_counts_the_tails():
    a = np.array([[0.995, -0.999, 0.5, 0.0]])
    result = D.saturated_fraction([a, np.zeros((1, 4))])
    assert result.values == (0.5, 0.0) and not result.healthy
    sigmoid = D.saturated_fraction([np.array([[0.999, 0.001, 0.5, 0.7]])], "sigmoid")
    assert sigmoid.values == (0.5,)
    with pytest.raises(ValueError, match="activation"):
        D.saturated_fraction([a], "relu")


def test_dead_fraction_needs_zero_for_every_sample():
    a = np.array([[0.0, 1.0, 0.0, 0.0], [0.0, 0.0, 2.0, 0.0]])
    result = D.dead_fraction([a])
    assert result.values == (0.5,) and not result.healthy
    assert D.dead_fraction([np.ones((3, 5))]).healthy


def test_layer_stds_and_update_to_data():
    rng = np.random.default_rng(0)
    layers = [rng.standard_normal((100, 50)) * s for s in (1.0, 0.1)]
    result = D.layer_stds(layers)
    assert result.values == pytest.approx((1.0, 0.1), rel=0.05) and not result.healthy
    w = [np.full((4, 3), 2.0) + np.arange(3), np.ones((3, 2)) + np.arange(2)]
    g = [np.arange(12.0).reshape(4, 3), np.arange(6.0).reshape(3, 2)]
    ratio = D.update_to_data(w, g, 0.01)
    expected = [math.log10(0.01 * np.std(gi) / np.std(wi)) for wi, gi in zip(w, g)]
    assert ratio.values == pytest.approx(expected)
    with pytest.raises(ValueError, match="pair up"):
        D.update_to_data(w, g[:1], 0.01)
    with pytest.raises(TypeError, match="list of per-layer arrays"):
        D.layer_stds(np.ones((3, 3)))


def test_report_on_a_makemore_shaped_net(capsys):
    rng = np.random.default_rng(0)
    x, y = rng.standard_normal((500, 30)), rng.integers(0, 27, 500)
    model = training.build_mlp(
        [30, 200, 27],
        catalogue_init("random_normal", stddev=1.0),
        "tanh",
        "softmax_cross_entropy",
        seed=0,
        bias_std=1.0,
    )
    results = D.report(model, x, y)
    out = capsys.readouterr().out
    assert out.startswith("layer  units") and "CHECK  initial loss" in out
    assert max(len(line) for line in out.splitlines()) <= D.REPORT_WIDTH
    by_check = {r.check: r for r in results}
    assert by_check["initial loss"].values[0] > 20
    assert 0.5 < by_check["saturated units"].values[0] < 0.75
    model.weights[-1] *= 0.0
    model.biases[-1][:] = 0.0
    assert D.diagnose(model, x, y)[0].values[0] == pytest.approx(math.log(27))


def test_gaussian_saturated_fraction_matches_sampled_tanh_outputs():
    threshold = math.atanh(0.99)
    assert D.gaussian_saturated_fraction(threshold) == pytest.approx(math.erfc(1 / math.sqrt(2)))
    z = np.random.default_rng(0).normal(0.0, 5 / 3, size=(200_000, 1))
    sampled = D.saturated_fraction([np.tanh(z)]).values[0]
    assert D.gaussian_saturated_fraction(5 / 3) == pytest.approx(sampled, abs=3e-3)
    assert 0.11 < D.gaussian_saturated_fraction(5 / 3) < 0.115
    with pytest.raises(ValueError, match="pre_activation_std"):
        D.gaussian_saturated_fraction(0.0)
    with pytest.raises(ValueError, match="threshold"):
        D.gaussian_saturated_fraction(1.0, threshold=1.0)
