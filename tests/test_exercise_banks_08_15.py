"""Independent checks of the exercise banks of notebooks 08-15.

Every expected answer is compared with a closed form, a hand-derived value or another code
path than the exercise's solution function, and every registered mistake is shown to trigger
its own message.
"""

import math

import numpy as np
import pytest

from weight_init import (
    experiment,
    explorer_views,
    isometry,
    parametrization,
    residual,
    self_normalizing,
    theory,
    transformer,
)
from weight_init.exercises import (
    EXERCISES,
    feedback,
    notebook_09,
    notebook_10,
    notebook_11,
    notebook_12,
)

BANK_KEYS = sorted(key for key in EXERCISES if "08" <= key[:2] <= "15")


@pytest.mark.parametrize("key", BANK_KEYS)
def test_every_mistake_triggers_its_own_message(key):
    for mistake in EXERCISES[key].mistakes:
        correct, message = feedback(key, mistake.value())
        assert not correct
        assert message.endswith(mistake.message)


@pytest.mark.parametrize("key", BANK_KEYS)
def test_multiple_choice_has_feedback_for_every_wrong_letter(key):
    answer = EXERCISES[key].solution()
    if not isinstance(answer, str):
        return
    question = EXERCISES[key].question
    letters = [letter for letter in "abcdef" if f"({letter})" in question]
    assert answer in letters and len(letters) >= 3
    wrong = {mistake.value() for mistake in EXERCISES[key].mistakes}
    assert wrong == set(letters) - {answer}


def solution(key):
    return EXERCISES[key].solution()


# Notebook 08


def test_08_1_is_the_hand_value_and_the_measurement_is_accepted():
    assert solution("08.1") == pytest.approx((256 * 1e-4 / 2) ** 2, rel=1e-9)
    view = explorer_views.signal_view(
        explorer_views.SignalSettings(initializer="small_random_init", activation="relu", depth=2)
    )
    assert feedback("08.1", view.second_moments[-1])[0]


def test_08_2_is_where_chi_1_crosses_one_and_the_slider_value_is_accepted():
    gain = solution("08.2")
    assert theory.chi_1(gain**2, 0.25, "tanh") == pytest.approx(1.0, abs=1e-6)
    view = explorer_views.signal_view(explorer_views.SignalSettings(gain=1.55, bias_std=0.5))
    assert abs(view.chi_1 - 1.0) < 5e-3
    assert feedback("08.2", 1.55)[0]
    for neighbour in (1.5, 1.6):
        assert not feedback("08.2", neighbour)[0]


def test_08_3_the_signal_starts_where_the_factor_is_below_one():
    assert solution("08.3") == "b"
    assert theory.fixed_point(1.0, 0.0, "tanh") == pytest.approx(0.0, abs=1e-6)
    assert 1.0 * theory.derivative_second_moment("tanh", 1.0) < 0.7
    view = explorer_views.signal_view(explorer_views.SignalSettings(direction="backward"))
    assert view.second_moments[-1] / view.second_moments[0] > 10


# Notebook 09


def test_09_1_every_singular_value_is_the_gain_to_the_tenth():
    assert solution("09.1") == pytest.approx(1.1**10, rel=1e-12)


def _tanh_derivative_moment_ratio(q_star):
    """μ2/μ1² for tanh at z ~ N(0, q*), by a Riemann sum over the normal density."""
    z = np.linspace(-10, 10, 20001)
    density = np.exp(-(z**2) / 2) / math.sqrt(2 * math.pi)
    slope_squared = (1 - np.tanh(math.sqrt(q_star) * z) ** 2) ** 2
    mu_1 = np.sum(slope_squared * density) * (z[1] - z[0])
    mu_2 = np.sum(slope_squared**2 * density) * (z[1] - z[0])
    return mu_2 / mu_1**2


def test_09_2_is_the_depth_times_the_hand_integral_and_the_measurement_is_accepted():
    assert solution("09.2") == pytest.approx(
        8 * (_tanh_derivative_moment_ratio(1 / 16) - 1), rel=1e-6
    )
    measured = notebook_09._measured_jacobian_variance()
    assert feedback("09.2", measured)[0]


def test_09_3_relu_switches_off_half_of_its_units():
    assert solution("09.3") == "c"
    assert isometry.predicted_jacobian_variance(20, "relu", 1.0, "orthogonal") == pytest.approx(20)
    assert theory.chi_1(2.0, 0.0, "relu") == pytest.approx(1.0, rel=1e-6)


# Notebook 10


def _gauss_hermite_mean(function, variance):
    """E[f(√variance · u)] for u ~ N(0, 1), by 80-point Gauss-Hermite quadrature."""
    nodes, weights = np.polynomial.hermite_e.hermegauss(80)
    return float(np.dot(weights, function(math.sqrt(variance) * nodes)) / math.sqrt(2 * math.pi))


def test_10_1_is_chi_1_by_hand_and_the_measurement_is_accepted():
    sigma_w2, sigma_b2, q = 3.0, 0.05, 1.0
    for _ in range(200):
        q = sigma_w2 * _gauss_hermite_mean(lambda z: np.tanh(z) ** 2, q) + sigma_b2
    chi = sigma_w2 * _gauss_hermite_mean(lambda z: (1 - np.tanh(z) ** 2) ** 2, q)
    assert solution("10.1") == pytest.approx(chi, rel=1e-6)
    assert feedback("10.1", notebook_10._measured_gradient_ratio())[0]


def test_10_2_is_the_map_by_hand_and_the_seed_0_measurement_is_accepted():
    q = 1.0
    for _ in range(19):
        q = _gauss_hermite_mean(lambda z: np.tanh(z) ** 2, q)
    second_moment = _gauss_hermite_mean(lambda z: np.tanh(z) ** 2, q)
    assert solution("10.2") == pytest.approx(math.sqrt(second_moment), rel=1e-6)
    assert solution("10.2") == pytest.approx(math.sqrt(1 / 40), rel=0.03)  # q ≈ 1/(2l)
    _, _, stds = experiment.forward_prop([500] * 20, experiment.xavier_init, seed=0)
    assert feedback("10.2", stds[-1])[0]


def test_10_3_the_chaotic_variance_settles():
    assert solution("10.3") == "b"
    q = 1.0
    for _ in range(100):
        q = 4.0 * _gauss_hermite_mean(lambda z: np.tanh(z) ** 2, q) + 0.05
    assert q == pytest.approx(theory.fixed_point(4.0, 0.05), rel=1e-6) and q < 4.05
    assert theory.correlation_fixed_point(4.0, 0.05) < 1


def test_10_4_xi_q_stays_finite_at_the_edge_while_xi_c_diverges():
    assert solution("10.4") == "a"
    edge = theory.critical_sigma_w2(0.05)
    assert theory.length_depth_scale(edge, 0.05) < 2
    assert theory.correlation_depth_scale(edge * (1 + 1e-4), 0.05) > 1000


def test_10_5_is_the_chaotic_end_of_the_100_layer_window():
    edge = solution("10.5")
    assert theory.critical_sigma_w2(0.05) < edge < 4
    assert 6 * theory.correlation_depth_scale(edge, 0.05) == pytest.approx(100, rel=1e-6)
    assert 6 * theory.correlation_depth_scale(edge * 0.99, 0.05) > 100
    assert 6 * theory.correlation_depth_scale(edge * 1.01, 0.05) < 100


def test_10_6_is_chi_1_of_the_biased_1998_tanh_and_the_measurement_is_accepted():
    def scaled_tanh(z):
        return 1.7159 * np.tanh(2 * z / 3)

    def slope(z):
        return 1.7159 * (2 / 3) * (1 - np.tanh(2 * z / 3) ** 2)

    q = 1.0
    for _ in range(200):
        q = _gauss_hermite_mean(lambda z: scaled_tanh(z) ** 2, q) + 0.05
    assert solution("10.6") == pytest.approx(
        _gauss_hermite_mean(lambda z: slope(z) ** 2, q), rel=1e-6
    )
    assert solution("10.6") < 1  # the bias moves the 1998 recipe to the ordered side
    measured = notebook_10._measured_gradient_ratio(
        1.0, 0.05, activation=notebook_10.LECUN_1998_TANH, samples=200
    )
    assert feedback("10.6", measured)[0]


# Notebook 11


def test_11_1_is_the_moment_map_iterated_by_hand_and_the_measurement_is_accepted():
    alpha, scale = 1.6732632423543772, 1.0507009873554805  # Klambauer et al.'s constants

    def selu(z):
        return scale * np.where(z > 0, z, alpha * np.expm1(np.minimum(z, 0)))

    u = np.linspace(-12, 12, 200_001)  # a fine Riemann sum: selu has a kink at 0
    density = np.exp(-(u**2) / 2) / math.sqrt(2 * math.pi) * (u[1] - u[0])
    mean, variance = 1.0, 4.0
    for _ in range(10):  # pooled pre-activation N(0, μ² + ν) with LeCun weights
        outputs = selu(math.sqrt(mean**2 + variance) * u)
        mean = float(np.sum(outputs * density))
        variance = float(np.sum(outputs**2 * density)) - mean**2
    assert solution("11.1") == pytest.approx(variance, rel=1e-4)
    assert feedback("11.1", notebook_11._measured_selu_variance())[0]


def test_11_2_is_hes_gain_and_measured_factors_are_accepted():
    assert solution("11.2") == pytest.approx(math.sqrt(2), rel=1e-9)
    for seed in (0, 1):
        assert feedback("11.2", notebook_11._lsuv_factor(seed=seed))[0]


def test_11_3_he_relu_preserves_any_scale_and_selu_attracts():
    assert solution("11.3") == "c"
    for q in (0.3, 1.0, 5.0):
        assert 2.0 * theory.activation_second_moment("relu", q) == pytest.approx(q, rel=1e-9)
    assert np.linalg.norm(self_normalizing.moment_map_jacobian(0.0, 1.0), 2) < 0.8


def test_11_4_is_the_fourth_root_for_three_layer_branches():
    assert solution("11.4") == pytest.approx(16 ** (-1 / (2 * 3 - 2)), rel=1e-12)
    assert solution("11.4") == pytest.approx(0.5, rel=1e-12)


def test_11_5_is_one_plus_two_over_l_per_block_and_the_measurement_is_accepted():
    assert solution("11.5") == pytest.approx((1 + 2 / 50) ** 50, rel=1e-12)
    assert solution("11.5") < math.exp(2)  # (1 + 2/L)^L rises towards e² with depth
    assert feedback("11.5", notebook_11._scaled_branch_growth())[0]


def test_11_6_zero_branches_get_no_gradient():
    assert solution("11.6") == "b"
    net = residual.build_residual_mlp(2, 8, 3, 4, experiment.he_init, fixup=True, seed=0)
    for block in net.blocks:
        block[0][:] = 0.0
    x = np.random.default_rng(0).standard_normal((16, 2))
    y = np.arange(16) % 4
    for _ in range(3):
        residual.train_residual(net, x, y, 1, 0.1)
    assert all(not np.any(block[0]) and not np.any(block[2]) for block in net.blocks)


# Notebooks 12-15


def test_12_1_each_normalized_branch_adds_about_one():
    probe = np.random.default_rng(0).standard_normal((500, 64))
    assert solution("12.1") == pytest.approx(float(np.mean(probe**2)) + 30, rel=0.03)


def test_12_2_and_12_3_a_batch_normalized_layer_ignores_the_scale_but_not_the_step():
    assert solution("12.2") == pytest.approx(1 / 16, rel=1e-12)
    assert solution("12.3") == "b"
    rng = np.random.default_rng(0)
    x, w = rng.standard_normal((256, 8)), rng.standard_normal((8, 4))

    def batch_norm(z):
        return (z - z.mean(axis=0)) / np.sqrt(z.var(axis=0) + 1e-12)

    assert np.allclose(batch_norm(x @ (4 * w)), batch_norm(x @ w))


def test_12_4_lies_on_the_trend_between_depths_48_and_96():
    deeper, shallower = (notebook_12._last_block_gradient("pre", d) for d in (96, 48))
    assert deeper < solution("12.4") < shallower


def test_13_answers_by_hand():
    assert solution("13.1") == pytest.approx(0.02 / math.sqrt(48), rel=1e-12)
    logit_std = 0.02 * math.sqrt(128)
    assert feedback("13.2", math.log(1000) + logit_std**2 / 2)[0]
    assert solution("13.3") == "b"
    tokens = np.random.default_rng(0).standard_normal((32, 64))
    assert solution("13.4") == pytest.approx(transformer.rank_one_residual(tokens), rel=0.05)


def test_14_answers_by_hand_and_the_measured_std_is_accepted():
    assert solution("14.1") == pytest.approx(0.01 / (2048 / 64), rel=1e-12)
    assert solution("14.2") == pytest.approx(1 / 512, rel=1e-12)
    net = parametrization.build_parametrized_mlp(
        [256, 4096, 4096, 10], "mup", base_width=64, seed=0
    )
    assert feedback("14.2", float(np.std(net.weights[-1])))[0]
    assert 2**-3.2 < solution("14.3") < 2**-1.6  # about 2^-0.6 per doubling, four doublings
    assert solution("14.4") == "d"


def test_15_answers_by_hand():
    prior = np.array([0.5, 0.3, 0.2])
    assert solution("15.1") == pytest.approx(float(-np.sum(prior * np.log(prior))), rel=1e-12)
    labels = np.random.default_rng(0).choice(3, size=10_000, p=prior)
    assert feedback("15.1", float(-np.mean(np.log(prior[labels]))))[0]
    assert 1 / (1 + math.exp(-solution("15.2"))) == pytest.approx(0.05, rel=1e-12)
    # z = 0.5 · x W1 + 0.01 · b1 with N(0, 1) entries: std ≈ sqrt(0.25 · 30) ≈ 2.74
    threshold = math.atanh(0.99) / math.sqrt(0.25 * 30 + 1e-4)
    assert solution("15.3") == pytest.approx(math.erfc(threshold / math.sqrt(2)), rel=0.06)
    assert solution("15.4") == "b"
    q, _ = np.linalg.qr(np.random.default_rng(0).standard_normal((16, 16)))
    assert np.linalg.norm(np.linalg.matrix_power(q, 200), 2) == pytest.approx(1.0, rel=1e-9)
