"""The explorer's logic: settings in, the numbers it shows out (no widgets involved)."""

import math

import numpy as np
import pytest

from weight_init import experiment, init_fns, initializers, theory, training
from weight_init import explorer_views as ev
from weight_init.activations import ACTIVATIONS

SMALL = dict(width=64, depth=4, samples=200)


def test_every_initializer_of_the_package_is_offered_and_named():
    assert set(init_fns.SCRATCH_RULES) <= set(ev.INITIALIZER_NAMES)
    assert {initializers.snake_case(c.__name__) for c in initializers.CATALOGUE} <= set(
        ev.INITIALIZER_NAMES
    )
    assert ev.INITIALIZER_NAMES == tuple(init_fns.INIT_FNS)
    assert len(set(ev.INITIALIZER_NAMES)) == len(init_fns.SCRATCH_RULES) + len(
        initializers.CATALOGUE
    )
    assert ev.ACTIVATION_NAMES == tuple(ACTIVATIONS)
    assert ev.initializer_label("lecun_init") == "LeCun, randn/√fan_in (scratch)"
    assert ev.initializer_label("he_uniform") == "he_uniform (Keras)"


def test_make_init_fn_multiplies_by_the_gain_and_follows_the_fan_mode():
    plain = ev.make_init_fn("lecun_init")(30, 40, rng=5)
    np.testing.assert_array_equal(
        ev.make_init_fn("lecun_init", gain=2.5)(30, 40, rng=5), 2.5 * plain
    )
    np.testing.assert_array_equal(plain, experiment.lecun_init(30, 40, rng=5))
    # He normal with fan_out draws Var(W) = 2 / fan_out; by default fan_in.
    wide = ev.make_init_fn("he_normal", mode="fan_out")(100, 2000, rng=1)
    assert wide.var() == pytest.approx(2 / 2000, rel=0.03)
    assert ev.make_init_fn("he_normal")(2000, 100, rng=1).var() == pytest.approx(2 / 2000, rel=0.03)
    # Same numbers as the catalogue when the mode is the initializer's own.
    np.testing.assert_array_equal(
        ev.make_init_fn("glorot_uniform", mode="fan_avg")(20, 30, rng=3),
        init_fns.catalogue_init("glorot_uniform")(20, 30, rng=3),
    )
    orthogonal = ev.make_init_fn("orthogonal", gain=1.5)(50, 50, rng=0)
    np.testing.assert_allclose(orthogonal.T @ orthogonal, 2.25 * np.eye(50), atol=1e-10)


def test_fan_mode_applies_to_the_variance_scaling_family_only():
    assert ev.mode_applies("he_normal") and ev.mode_applies("variance_scaling")
    assert not ev.mode_applies("orthogonal") and not ev.mode_applies("he_init")
    assert ev.default_mode("glorot_normal") == "fan_avg" and ev.default_mode("zeros") == "fan_in"
    with pytest.raises(
        ValueError, match="mode='fan_out' does not apply to initializer='orthogonal'"
    ):
        ev.make_init_fn("orthogonal", mode="fan_out")
    with pytest.raises(ValueError, match="mode='fan_avg' does not apply to initializer='he_init'"):
        ev.SignalSettings(initializer="he_init", mode="fan_avg")


@pytest.mark.parametrize(
    "field, value, error, message",
    [
        ("initializer", "xavier", ValueError, "initializer='xavier'"),
        ("activation", "softsign", ValueError, "activation='softsign'"),
        ("depth", 0, ValueError, "depth=0"),
        ("width", 2.5, TypeError, "width=2.5"),
        ("gain", -1.0, ValueError, "gain=-1.0"),
        ("bias_std", float("nan"), ValueError, "bias_std=nan"),
        ("direction", "sideways", ValueError, "direction='sideways'"),
        ("shape", "pyramid", ValueError, "shape='pyramid'"),
    ],
)
def test_bad_settings_are_named(field, value, error, message):
    with pytest.raises(error, match=message):
        ev.SignalSettings(**{field: value})


def test_layer_sizes_for_each_shape():
    assert ev.layer_sizes(ev.SignalSettings(width=32, depth=3)) == [32, 32, 32, 32]
    assert ev.layer_sizes(ev.SignalSettings(width=100, depth=3, shape="funnel")) == [
        200,
        150,
        100,
        50,
    ]


def test_the_default_view_is_the_experiment_with_its_theory():
    view = ev.signal_view()
    run = experiment.propagate(
        [256] * 10,
        experiment.lecun_init,
        "tanh",
        n_samples=500,
        input_dim=256,
        seed=0,
        backward=False,
    )
    assert view.means == experiment.layer_stats(run.activations)[0]
    assert view.second_moments == experiment.second_moments(run.activations)
    assert view.layer_numbers == list(range(1, 11)) and view.symbol == "E[a²]"
    np.testing.assert_allclose(view.second_moments, view.predicted_second_moments, rtol=0.03)
    assert view.sigma_w2 == pytest.approx(1.0, rel=0.01) and view.chi_1 == pytest.approx(
        1.0, abs=0.02
    )
    for fractions, edges in view.histograms:
        assert fractions.shape == (ev.HISTOGRAM_BINS,) and edges[0] == view.value_range[0]
        assert fractions.sum() == pytest.approx(1.0)
    assert -1.0 <= view.value_range[0] < -0.9 and 0.9 < view.value_range[1] <= 1.0


def test_backward_view_of_he_relu_keeps_the_gradient_second_moment():
    view = ev.signal_view(
        ev.SignalSettings(
            initializer="he_init",
            activation="relu",
            direction="backward",
            width=256,
            depth=6,
            samples=300,
        )
    )
    assert view.symbol == "E[(∂L/∂z)²]"
    assert view.predicted_second_moments == pytest.approx([0.5] * 6, rel=0.02)
    # One draw of the weights: deep ReLU layers scatter by ~sqrt(depth / width) around the mean.
    np.testing.assert_allclose(view.second_moments, 0.5, rtol=0.25)
    assert view.zero_fractions == pytest.approx([0.5] * 6, abs=0.05)
    # ReLU zeros are left out of the histograms, the rest are fractions of all entries
    # (less the few beyond the ±4·RMS cut of the shared range).
    assert [f.sum() for f, _ in view.histograms] == pytest.approx(
        [1 - z for z in view.zero_fractions], abs=0.01
    )


def test_bias_std_and_gain_reach_the_experiment_and_the_theory():
    views = [
        ev.signal_view(
            ev.SignalSettings(
                activation="linear",
                gain=0.5,
                bias_std=1.0,
                width=512,
                depth=4,
                samples=100,
                seed=seed,
            )
        )
        for seed in range(5)
    ]
    # q_l = 0.25·q_{l-1} + 1 from q_0 = E[x²] ≈ 1: towards the fixed point 4/3.
    np.testing.assert_allclose(
        views[0].predicted_second_moments, [1.25, 1.3125, 1.328, 1.332], rtol=0.01
    )
    # The biases are one draw per layer, shared by all samples: average a few seeds.
    ratios = np.mean(
        [np.divide(v.second_moments, v.predicted_second_moments) for v in views], axis=0
    )
    np.testing.assert_allclose(ratios, 1.0, atol=0.06)


def test_zero_weights_and_overflow_give_a_view_not_an_error():
    zeros = ev.signal_view(ev.SignalSettings(initializer="zeros", **SMALL))
    assert zeros.second_moments == [0.0] * 4 and zeros.value_range == (-1.0, 1.0)
    assert zeros.zero_fractions == [1.0] * 4
    assert "100% of the entries are exactly 0" in ev.signal_summary(zeros)
    huge = ev.signal_view(
        ev.SignalSettings(
            initializer="ones", activation="linear", gain=3.0, width=512, depth=30, samples=20
        )
    )
    assert all(math.isfinite(v) for v in huge.value_range)
    assert len(huge.histograms) == 30


def test_the_histogram_range_is_shared_and_bounded():
    assert ev.histogram_range([np.array([0.0, 1.0, -2.0]), np.array([10.0, -0.5])]) == (-2.0, 10.0)
    outlier = [np.array([0.5, -1.0]), np.r_[np.ones(1000), 1000.0]]
    rms = math.sqrt(np.mean(outlier[1] ** 2))
    assert ev.histogram_range(outlier) == (-1.0, pytest.approx(4 * rms))
    assert ev.histogram_range([np.zeros(5)]) == (-1.0, 1.0)
    assert ev.histogram_range([np.array([np.inf, np.nan])]) == (-1.0, 1.0)


def test_summary_title_and_table_are_rounded_text():
    view = ev.signal_view(
        ev.SignalSettings(
            initializer="he_normal", activation="relu", mode="fan_out", shape="funnel", **SMALL
        )
    )
    assert (
        ev.signal_title(view) == "forward: relu, he_normal, fan_out × 1.00, funnel 128→32, 4 layers"
    )
    summary = ev.signal_summary(view)
    assert summary.startswith("E[a²]: layer 1 = ") and "np.float" not in summary
    table = ev.signal_table(view).splitlines()
    assert len(table) == 5 and table[0].split()[:4] == ["layer", "width", "mean", "std"]
    assert table[1].split()[:2] == ["1", "104"] and table[4].split()[:2] == ["4", "32"]


def test_tanh_chi_1_appears_in_the_summary_with_its_phase():
    ordered = ev.signal_view(ev.SignalSettings(gain=0.8, **SMALL))
    assert ordered.chi_1 == pytest.approx(theory.chi_1(ordered.sigma_w2, 0.0, "tanh"))
    assert "(ordered)" in ev.signal_summary(ordered)
    chaotic = ev.signal_view(ev.SignalSettings(gain=2.0, **SMALL))
    assert "(chaotic)" in ev.signal_summary(chaotic)
    assert ev.signal_view(ev.SignalSettings(activation="relu", **SMALL)).chi_1 is None


def test_training_view_learns_the_circles_with_he_and_not_with_zeros():
    quick = dict(steps=1000, learning_rate=0.1)
    he = ev.training_view(ev.TrainingSettings(**quick))
    assert he.loss.shape == (1000,) and he.loss[-1] < 0.5 * he.loss[0]
    assert he.train_accuracy > 0.9 and he.test_accuracy > 0.85
    assert he.classes.shape == he.grid_x.shape == (120, 120)
    zeros = ev.training_view(ev.TrainingSettings(initializer="zeros", **quick))
    assert zeros.loss[-1] == pytest.approx(math.log(2), abs=1e-4) and zeros.train_accuracy == 0.5
    assert "train accuracy 0.50" in ev.training_summary(zeros)


def test_training_in_chunks_is_the_same_run_and_reports_progress():
    settings = ev.TrainingSettings(steps=300, dataset="spirals")
    seen = []
    chunked = ev.training_view(settings, chunks=4, on_progress=seen.append)
    whole = ev.training_view(settings)
    assert [len(v.loss) for v in seen] == [75, 150, 225, 300]
    np.testing.assert_array_equal(chunked.loss, whole.loss)
    assert chunked.train_accuracy == whole.train_accuracy


def test_bad_training_settings_are_named():
    with pytest.raises(ValueError, match="dataset='mnist'"):
        ev.TrainingSettings(dataset="mnist")
    with pytest.raises(TypeError, match="hidden="):
        ev.TrainingSettings(hidden=[10, 5])
    with pytest.raises(ValueError, match="steps=0"):
        ev.TrainingSettings(steps=0)


@pytest.mark.parametrize(
    ("field", "value", "error"),
    [
        ("learning_rate", 0.0, ValueError),
        ("learning_rate", -0.1, ValueError),
        ("learning_rate", float("nan"), ValueError),
        ("learning_rate", "fast", TypeError),
        ("steps", 0, ValueError),
        ("steps", 10.0, TypeError),
    ],
)
def test_training_settings_refuse_what_train_refuses(field, value, error):
    x, y = np.zeros((4, 2)), np.array([0, 1, 0, 1])
    model = training.build_mlp([2, 1], experiment.he_init)
    arguments = {"steps": 1, "learning_rate": 0.1, field: value}
    with pytest.raises(error, match=field) as refused_by_train:
        training.train(model, x, y, **arguments)
    with pytest.raises(error, match=field) as refused_by_settings:
        ev.TrainingSettings(**{field: value})
    assert str(refused_by_settings.value) == str(refused_by_train.value)


def test_training_in_more_chunks_than_steps_still_trains_every_step():
    seen = []
    view = ev.training_view(
        ev.TrainingSettings(steps=3, train_samples=40, test_samples=10),
        chunks=5,
        on_progress=lambda v: seen.append(len(v.loss)),
        resolution=8,
    )
    assert len(view.loss) == 3 and seen == [1, 2, 3]


def test_the_signal_view_uses_the_chosen_fan_mode():
    funnel = dict(initializer="he_normal", shape="funnel", width=32, depth=3, samples=50)
    fan_in = ev.signal_view(ev.SignalSettings(**funnel, mode="fan_in"))
    fan_out = ev.signal_view(ev.SignalSettings(**funnel, mode="fan_out"))
    # widths shrink, so fan_out < fan_in and He on fan_out draws larger weights
    assert fan_out.sigma_w2 > 1.2 * fan_in.sigma_w2


def test_tanh_summary_shows_chi_at_the_signals_own_q_beside_the_degenerate_fixed_point():
    view = ev.signal_view(ev.SignalSettings(**SMALL))  # LeCun, tanh, no bias: q* = 0
    assert view.fixed_point_q < ev.DEGENERATE_FIXED_POINT
    assert view.chi_1 == pytest.approx(1.0, abs=0.02)
    assert view.signal_q is not None and view.signal_q > 0.05
    assert view.chi_at_signal == pytest.approx(
        view.sigma_w2 * theory.derivative_second_moment("tanh", view.signal_q)
    )
    assert view.chi_at_signal < 0.95  # at the signal's q the gradients shrink
    summary = ev.signal_summary(view)
    assert "at the fixed point q* ≈ 0 " in summary and "signal's own q" in summary
    assert "gradients still shrink" in summary
    biased = ev.signal_view(ev.SignalSettings(bias_std=0.3, gain=1.4, **SMALL))
    assert biased.fixed_point_q > 0.01 and "gradients still shrink" not in ev.signal_summary(biased)


def test_training_summary_names_every_layer_of_the_net():
    view = ev.training_view(ev.TrainingSettings(steps=100))
    assert f"net {[2, *view.settings.hidden, 1]}" in ev.training_summary(view)


def test_layer_quantiles_are_the_percentiles_of_the_finite_entries():
    values = np.arange(101.0)
    with_inf = np.append(values, np.inf)
    assert ev.layer_quantiles([values, with_inf]) == [(5.0, 25.0, 50.0, 75.0, 95.0)] * 2
    assert all(math.isnan(v) for v in ev.layer_quantiles([np.array([np.nan])])[0])
    view = ev.signal_view(ev.SignalSettings(direction="backward", **SMALL))
    assert len(view.quantiles) == 4
    for layer, (p5, p25, p50, p75, p95) in enumerate(view.quantiles):
        assert p5 < p25 < p50 < p75 < p95
        assert p95 - p5 < 4 * math.sqrt(view.second_moments[layer])  # the band's own scale
    assert ev.signal_view(ev.SignalSettings(**SMALL)).quantiles == []  # forward: histograms
