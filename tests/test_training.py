"""The training engine: exact gradients, learning, determinism, the symmetry facts, clear errors."""

import math

import numpy as np
import pytest

from weight_init import datasets, experiment, training
from weight_init.activations import ACTIVATIONS
from weight_init.experiment import glorot_init, he_init, lecun_init


def _targets_for(loss, rng, samples, outputs):
    if loss == "sigmoid_cross_entropy":
        return rng.integers(0, 2, samples)
    if loss == "softmax_cross_entropy":
        return rng.integers(0, outputs, samples)
    return rng.standard_normal((samples, outputs))


def _numerical_gradient(model, x, y, parameter, step=1e-6):
    gradient = np.zeros_like(parameter)
    for index in np.ndindex(parameter.shape):
        original = parameter[index]
        parameter[index] = original + step
        plus = model.loss_and_gradients(x, y).loss
        parameter[index] = original - step
        minus = model.loss_and_gradients(x, y).loss
        parameter[index] = original
        gradient[index] = (plus - minus) / (2 * step)
    return gradient


@pytest.mark.parametrize("loss", sorted(training.LOSSES))
@pytest.mark.parametrize("activation", sorted(ACTIVATIONS))
def test_backpropagation_matches_finite_differences(activation, loss):
    rng = np.random.default_rng(7)
    outputs = 1 if loss == "sigmoid_cross_entropy" else 3
    model = training.build_mlp(
        [3, 4, 5, outputs], glorot_init, activation=activation, loss=loss, seed=1, bias_std=0.3
    )
    x = rng.standard_normal((6, 3))
    y = _targets_for(loss, rng, 6, outputs)
    analytic = model.loss_and_gradients(x, y)
    for parameter, gradient in zip(
        model.weights + model.biases, analytic.weights + analytic.biases
    ):
        numerical = _numerical_gradient(model, x, y, parameter)
        np.testing.assert_allclose(gradient, numerical, rtol=1e-5, atol=1e-8)


def test_gradients_without_biases_for_a_deep_linear_net():
    rng = np.random.default_rng(3)
    model = training.build_mlp(
        [4, 4, 4, 2],
        lecun_init,
        activation="linear",
        loss="mean_squared_error",
        seed=0,
        use_bias=False,
    )
    assert model.biases is None
    x, y = rng.standard_normal((5, 4)), rng.standard_normal((5, 2))
    analytic = model.loss_and_gradients(x, y)
    assert analytic.biases is None
    for parameter, gradient in zip(model.weights, analytic.weights):
        np.testing.assert_allclose(
            gradient, _numerical_gradient(model, x, y, parameter), rtol=1e-5, atol=1e-8
        )


def test_losses_equal_their_textbook_formulas():
    rng = np.random.default_rng(0)
    z = rng.standard_normal((8, 1))
    y = rng.integers(0, 2, (8, 1)).astype(float)
    p = 1 / (1 + np.exp(-z))
    textbook = -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))
    assert training.LOSSES["sigmoid_cross_entropy"].value_and_gradient(z, y)[0] == pytest.approx(
        textbook, rel=1e-12
    )
    z = rng.standard_normal((8, 3))
    labels = rng.integers(0, 3, 8)
    p = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
    textbook = -np.mean(np.log(p[np.arange(8), labels]))
    assert training.LOSSES["softmax_cross_entropy"].value_and_gradient(z, np.eye(3)[labels])[
        0
    ] == pytest.approx(textbook, rel=1e-12)


def test_a_huge_logit_gives_a_finite_loss():
    z = np.array([[800.0], [-800.0]])
    y = np.array([[0.0], [1.0]])
    loss, gradient = training.LOSSES["sigmoid_cross_entropy"].value_and_gradient(z, y)
    assert loss == pytest.approx(800.0) and np.all(np.isfinite(gradient))


def test_training_reduces_the_loss_on_separable_sets():
    x, y = datasets.make_gaussian_clusters(200, n_classes=3, n_features=2, cluster_std=0.5, seed=0)
    model = training.build_mlp(
        [2, 16, 3], he_init, activation="relu", loss="softmax_cross_entropy", seed=0
    )
    history = training.train(model, x, y, steps=300, learning_rate=0.1, momentum=0.9, batch_size=32)
    assert history.final_loss < 0.1 * history.loss[0]
    assert training.accuracy(model, x, y) > 0.95

    x, y = datasets.make_circles(200, noise=0.05, seed=1)
    model = training.build_mlp([2, 10, 5, 1], he_init, activation="relu", seed=3)
    history = training.train(model, x, y, steps=2000, learning_rate=0.5)
    assert history.final_loss < 0.2 and training.accuracy(model, x, y) > 0.9


def test_training_is_deterministic_and_the_seed_matters():
    x, y = datasets.make_moons(100, seed=0)

    def run(build_seed, batch_seed):
        model = training.build_mlp(
            [2, 8, 1], he_init, activation="tanh", seed=build_seed, bias_std=0.1
        )
        history = training.train(
            model, x, y, steps=50, learning_rate=0.1, momentum=0.5, batch_size=16, seed=batch_seed
        )
        return model, history

    first, first_history = run(0, 0)
    second, second_history = run(0, 0)
    assert np.array_equal(first_history.loss, second_history.loss)
    assert all(
        np.array_equal(a, b)
        for a, b in zip(first.weights + first.biases, second.weights + second.biases)
    )
    assert not np.array_equal(first_history.loss, run(0, 1)[1].loss)
    assert not np.array_equal(first.weights[0], run(1, 0)[0].weights[0])


def test_momentum_follows_the_documented_update():
    x, y = datasets.make_circles(40, seed=0)
    model = training.build_mlp([2, 3, 1], he_init, seed=0)
    manual = model.copy()
    training.train(model, x, y, steps=2, learning_rate=0.1, momentum=0.9)
    parameters = manual.weights + manual.biases
    velocity = [np.zeros_like(p) for p in parameters]
    for _ in range(2):
        grads = manual.loss_and_gradients(x, y)
        for p, v, g in zip(parameters, velocity, grads.weights + grads.biases):
            v *= 0.9
            v += g
            p -= 0.1 * v
    for a, b in zip(model.weights + model.biases, parameters):
        np.testing.assert_allclose(a, b, rtol=1e-12)


def test_mini_batches_visit_every_sample_once_per_epoch():
    x = np.arange(10.0)[:, None]
    y = x.copy()
    model = training.build_mlp(
        [1, 1], lambda fan_in, fan_out, rng: np.zeros((fan_in, fan_out)), loss="mean_squared_error"
    )
    history = training.train(
        model, x, y, steps=3, learning_rate=1e-9, batch_size=4, record_activation_stats=False
    )
    assert history.loss.shape == (3,)
    # A zero net predicts 0, so each batch's loss is the mean of y² = x² over the batch: the three
    # batches of one epoch together hold every sample once.
    batch_sizes = np.array([4, 4, 2])
    assert np.sum(history.loss * batch_sizes) == pytest.approx(np.sum(x**2), rel=1e-6)


def test_records_gradient_norms_and_activation_stats():
    x, y = datasets.make_circles(60, seed=0)
    model = training.build_mlp([2, 6, 4, 1], he_init, seed=2)
    at_start = model.loss_and_gradients(x, y)
    history = training.train(
        model,
        x,
        y,
        steps=10,
        learning_rate=0.05,
        record_gradient_norms=True,
        record_activation_stats=True,
        record_every=3,
    )
    assert list(history.recorded_steps) == [0, 3, 6, 9]
    assert history.gradient_norms.shape == (4, 3)
    assert history.activation_means.shape == history.activation_stds.shape == (4, 2)
    expected = [np.linalg.norm(g) for g in at_start.weights]
    np.testing.assert_allclose(history.gradient_norms[0], expected, rtol=1e-12)
    np.testing.assert_allclose(
        history.activation_stds[0], [a.std() for a in at_start.forward.activations], rtol=1e-12
    )
    assert history.final_loss == history.loss[-1]


def test_bias_options():
    model = training.build_mlp([10, 2000, 1], he_init, seed=0, bias_std=0.5)
    assert model.biases[0].std() == pytest.approx(0.5, rel=0.05)
    assert np.all(training.build_mlp([3, 4, 1], he_init).biases[0] == 0.0)


def test_one_initializer_per_layer():
    model = training.build_mlp(
        [5, 7, 2], [he_init, lambda fan_in, fan_out, rng: np.ones((fan_in, fan_out))], seed=0
    )
    assert np.all(model.weights[1] == 1.0) and not np.all(model.weights[0] == 1.0)
    assert model.layer_sizes == [5, 7, 2]


def test_zeros_give_exactly_zero_hidden_gradients():
    x, y = datasets.make_circles(50, seed=0)
    x, y = x[:40], y[:40]  # unbalanced classes, so that the output bias has a gradient
    for activation in ("relu", "tanh"):
        model = training.build_mlp(
            [2, 10, 5, 1],
            lambda fan_in, fan_out, rng: np.zeros((fan_in, fan_out)),
            activation=activation,
        )
        grads = model.loss_and_gradients(x, y)
        assert all(np.all(g == 0.0) for g in grads.weights)
        assert all(np.all(g == 0.0) for g in grads.biases[:-1])
        assert grads.biases[-1][0] == pytest.approx(0.5 - np.mean(y))


def test_a_constant_init_keeps_every_unit_identical():
    x, y = datasets.make_circles(100, seed=0)
    model = training.build_mlp(
        [2, 10, 5, 1],
        lambda fan_in, fan_out, rng: np.full((fan_in, fan_out), 0.5),
        activation="tanh",
    )
    training.train(model, x, y, steps=300, learning_rate=0.5)
    for w in model.weights:
        # Identical in exact arithmetic; a matrix product may round two equal columns
        # differently in the last bit, so allow rounding-level differences.
        assert training.largest_unit_difference(w) <= 1e-12
        assert np.linalg.matrix_rank(w) == 1


def test_a_symmetric_net_equals_its_one_unit_version():
    x, y = datasets.make_circles(100, seed=0)
    model = training.build_mlp(
        [2, 10, 5, 1],
        lambda fan_in, fan_out, rng: np.full((fan_in, fan_out), 0.5),
        activation="tanh",
    )
    training.train(model, x, y, steps=50, learning_rate=0.5)
    single = training.one_unit_equivalent(model)
    assert single.layer_sizes == [2, 1, 1, 1]
    np.testing.assert_allclose(
        single.predict_proba(x), model.predict_proba(x), rtol=1e-12, atol=1e-14
    )
    assert training.largest_unit_difference(np.array([[1.0, 1.5], [2.0, 2.0]])) == 0.5
    # identical kernels but biases that differ in one hidden layer: no one-unit net exists
    split_bias = model.copy()
    split_bias.biases[1][0] += 1e-3
    with pytest.raises(ValueError, match=r"units of hidden layer 2 differ by up to 0\.001"):
        training.one_unit_equivalent(split_bias)
    # equal non-zero biases are carried over: the hidden bias of one unit, the output bias whole
    shifted = model.copy()
    for bias in shifted.biases:
        bias += 0.25
    collapsed = training.one_unit_equivalent(shifted)
    assert [b.shape for b in collapsed.biases] == [(1,), (1,), (1,)]
    np.testing.assert_allclose(
        collapsed.predict_proba(x), shifted.predict_proba(x), rtol=1e-12, atol=1e-14
    )
    broken = training.build_mlp([2, 10, 5, 1], he_init, seed=0)
    with pytest.raises(ValueError, match="units of hidden layer 1 differ"):
        training.one_unit_equivalent(broken)
    with pytest.raises(ValueError, match="kernel must be a"):
        training.largest_unit_difference(np.zeros(3))
    # without hidden layers there is nothing to collapse: the same net comes back
    linear_classifier = training.build_mlp([2, 3], he_init, loss="softmax_cross_entropy", seed=0)
    same = training.one_unit_equivalent(linear_classifier)
    assert same.layer_sizes == [2, 3]
    np.testing.assert_array_equal(same.predict_proba(x), linear_classifier.predict_proba(x))


def test_predictions_accuracy_and_decision_surface():
    x, y = datasets.make_gaussian_clusters(40, n_classes=4, n_features=2, seed=1)
    model = training.build_mlp([2, 5, 4], he_init, loss="softmax_cross_entropy", seed=0)
    probabilities = model.predict_proba(x)
    np.testing.assert_allclose(probabilities.sum(axis=1), 1.0)
    assert np.array_equal(model.predict(x), probabilities.argmax(axis=1))
    assert training.accuracy(model, x, y) == pytest.approx(np.mean(model.predict(x) == y))
    assert training.accuracy(model, x, np.eye(4)[y]) == training.accuracy(model, x, y)
    grid_x, grid_y, classes = training.decision_surface(model, x, resolution=30)
    assert grid_x.shape == grid_y.shape == classes.shape == (30, 30)
    assert set(np.unique(classes)) <= {0, 1, 2, 3}
    binary = training.build_mlp([2, 3, 1], he_init, seed=0)
    assert set(np.unique(binary.predict(x))) <= {0, 1}


def test_clear_errors_for_bad_input():
    model = training.build_mlp([2, 3, 1], he_init)
    x, y = datasets.make_circles(20, seed=0)
    with pytest.raises(ValueError, match=r"x must have shape \(samples, 2\)"):
        training.train(model, x[:, :1], y)
    with pytest.raises(ValueError, match="same number of samples"):
        training.train(model, x, y[:5])
    with pytest.raises(ValueError, match="between 0 and 1"):
        training.train(model, x, y + 3)
    with pytest.raises(ValueError, match="1 output unit"):
        training.train(training.build_mlp([2, 3], he_init), x, y)
    with pytest.raises(ValueError, match=r"class indices y must lie in 0 \.\. 2"):
        training.train(training.build_mlp([2, 3], he_init, loss="softmax_cross_entropy"), x, y + 2)
    with pytest.raises(TypeError, match="must be integers"):
        training.train(
            training.build_mlp([2, 3], he_init, loss="softmax_cross_entropy"), x, y + 0.5
        )
    with pytest.raises(ValueError, match="Unknown activation: activation='relu6'"):
        training.build_mlp([2, 3, 1], he_init, activation="relu6")
    with pytest.raises(ValueError, match="Unknown loss: loss='hinge'"):
        training.build_mlp([2, 3, 1], he_init, loss="hinge")
    with pytest.raises(TypeError, match="loss must be a name"):
        training.build_mlp([2, 3, 1], he_init, loss=3)
    with pytest.raises(ValueError, match=r"\(fan_in, fan_out\) = \(2, 3\)"):
        training.build_mlp([2, 3, 1], lambda fan_in, fan_out, rng: np.zeros((fan_out, fan_in)))
    with pytest.raises(ValueError, match="one per layer"):
        training.build_mlp([2, 3, 1], [he_init])
    with pytest.raises(TypeError, match="init_fn must be a callable"):
        training.build_mlp([2, 3, 1], "he_normal")
    with pytest.raises(ValueError, match="layer_sizes must list at least 2"):
        training.build_mlp([2], he_init)
    with pytest.raises(
        ValueError, match="bias_std must be a finite number >= 0; received bias_std=-1"
    ):
        training.build_mlp([2, 3, 1], he_init, bias_std=-1.0)
    with pytest.raises(ValueError, match="needs biases"):
        training.build_mlp([2, 3, 1], he_init, bias_std=0.1, use_bias=False)
    with pytest.raises(
        ValueError, match="learning_rate must be a finite number > 0; received learning_rate=0"
    ):
        training.train(model, x, y, learning_rate=0)
    with pytest.raises(
        ValueError, match=r"momentum must be a finite number >= 0 and < 1; received momentum=1\.0"
    ):
        training.train(model, x, y, momentum=1.0)
    with pytest.raises(TypeError, match="momentum must be a number"):
        training.train(model, x, y, momentum="0.9")
    with pytest.raises(ValueError, match="batch_size must be at most the number of samples"):
        training.train(model, x, y, batch_size=21)
    with pytest.raises(TypeError, match=r"steps must be an int; received steps=10\.5"):
        training.train(model, x, y, steps=10.5)
    with pytest.raises(ValueError, match="decision_surface needs 2-D inputs"):
        training.decision_surface(training.build_mlp([3, 1], he_init), np.zeros((4, 3)))
    with pytest.raises(ValueError, match="margin must be a finite number >= 0"):
        training.decision_surface(model, x, margin=-1.0)


def test_the_classic_comparison_in_brief():
    """Zeros stay at ln 2 with every hidden weight untouched; He learns the circles."""
    x, y = datasets.make_circles(300, noise=0.05, seed=1)
    zeros = training.build_mlp(
        [2, 10, 5, 1], lambda fan_in, fan_out, rng: np.zeros((fan_in, fan_out))
    )
    history = training.train(zeros, x, y, steps=200, learning_rate=0.01)
    assert history.loss[0] == pytest.approx(math.log(2), abs=1e-12)
    assert all(np.all(w == 0.0) for w in zeros.weights)
    assert training.accuracy(zeros, x, y) == 0.5


def test_the_training_figures_draw_what_they_are_given():
    import matplotlib.pyplot as plt

    from weight_init import plots

    x, y = datasets.make_circles(60, seed=0)
    model = training.build_mlp([2, 4, 1], he_init, seed=0)
    fig = plots.plot_cost_curves(
        {"a": [1.0, 0.5], "b": [0.9, 0.4]}, "costs", reference=("ln 2", math.log(2))
    )
    assert len(fig.axes[0].lines) == 3 and fig.axes[0].get_legend() is not None
    grid_x, grid_y, classes = training.decision_surface(model, x, resolution=20)
    fig, ax = plt.subplots()
    plots.shade_decision_surface(ax, grid_x, grid_y, classes, x, y)
    assert len(ax.collections) >= 3  # the shaded classes and two point sets
    plt.close(fig)


def test_forward_pass_holds_layer_l_at_index_l_minus_1_like_network_pass():
    model = training.build_mlp([4, 6, 5, 3], he_init, activation="tanh", seed=2)
    x = np.random.default_rng(0).standard_normal((7, 4))
    forward = model.forward(x)
    np.testing.assert_array_equal(forward.inputs, x)
    assert [z.shape for z in forward.pre_activations] == [(7, 6), (7, 5), (7, 3)]
    assert [a.shape for a in forward.activations] == [(7, 6), (7, 5)]  # hidden layers only
    np.testing.assert_array_equal(forward.activations[0], np.tanh(forward.pre_activations[0]))
    # the experiment's pass through the same kernels, without biases, agrees index by index
    kernels = iter(model.weights)
    run = experiment.propagate([6, 5], lambda fan_in, fan_out, rng: next(kernels), inputs=x)
    np.testing.assert_allclose(run.activations[0], forward.activations[0], rtol=1e-12)
    np.testing.assert_allclose(run.activations[1], forward.activations[1], rtol=1e-12)


def test_gradient_step_without_and_with_momentum():
    parameter, gradient = np.array([1.0, 2.0]), np.array([0.5, -1.0])
    training.gradient_step([parameter], [gradient], 0.1)
    np.testing.assert_allclose(parameter, [0.95, 2.1], rtol=1e-15)
    velocity = np.array([1.0, 1.0])
    training.gradient_step([parameter], [gradient], 0.1, [velocity], momentum=0.5)
    np.testing.assert_allclose(velocity, [1.0, -0.5], rtol=1e-15)  # v ← 0.5 v + g
    np.testing.assert_allclose(parameter, [0.85, 2.15], rtol=1e-15)  # θ ← θ - 0.1 v
    stacked = np.ones((2, 3))
    training.gradient_step([stacked], [np.ones((2, 3))], np.array([[0.5], [0.25]]))
    np.testing.assert_allclose(stacked, [[0.5] * 3, [0.75] * 3])
    with pytest.raises(ValueError):
        training.gradient_step([parameter], [], 0.1)  # one gradient per parameter


def test_momentum_training_follows_the_update_rule():
    x, y = datasets.make_circles(40, seed=0)
    model = training.build_mlp([2, 4, 1], he_init, seed=1)
    replay = model.copy()
    training.train(model, x, y, steps=3, learning_rate=0.1, momentum=0.9)
    velocities = [np.zeros_like(p) for p in replay.weights + replay.biases]
    for _ in range(3):
        grads = replay.loss_and_gradients(x, y)
        for parameter, gradient, velocity in zip(
            replay.weights + replay.biases, grads.weights + grads.biases, velocities, strict=True
        ):
            velocity[...] = 0.9 * velocity + gradient
            parameter -= 0.1 * velocity
    for got, want in zip(model.weights + model.biases, replay.weights + replay.biases, strict=True):
        np.testing.assert_allclose(got, want, rtol=1e-12)


def test_probability_surface_gives_p_class_1_on_the_decision_surfaces_grid():
    import matplotlib.pyplot as plt

    from weight_init import plots

    x, y = datasets.make_circles(100, seed=0)
    model = training.build_mlp([2, 4, 1], he_init, activation="relu", seed=0)
    grid_x, grid_y, probability = training.probability_surface(model, x, resolution=20)
    same_x, _, classes = training.decision_surface(model, x, resolution=20)
    np.testing.assert_array_equal(grid_x, same_x)
    assert probability.shape == (20, 20) and np.all((probability > 0) & (probability < 1))
    np.testing.assert_array_equal(probability > 0.5, classes == 1)
    softmax = training.build_mlp([2, 3], he_init, loss="softmax_cross_entropy")
    with pytest.raises(ValueError, match="one sigmoid output"):
        training.probability_surface(softmax, x)
    fig = plots.plot_probability_surfaces(
        {"a": (grid_x, grid_y, probability), "b": (grid_x, grid_y, probability)}, x, y, "t"
    )
    assert len(fig.axes) == 3  # two panels and the colour bar
    plt.close(fig)
