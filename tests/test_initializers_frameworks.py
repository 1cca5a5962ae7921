"""weight_init.frameworks (the cross-framework table), sample_catalogue and the gallery figure."""

import math

import matplotlib.pyplot as plt
import numpy as np
import pytest

from weight_init import activations, plots
from weight_init import frameworks as F
from weight_init import initializers as I


def test_default_dense_stds_follow_each_frameworks_formula():
    n_in, n_out = 784, 256
    stds = {row["framework"]: row["std"] for row in F.dense_defaults_table(n_in, n_out)}
    assert math.isclose(stds["Keras 3"], math.sqrt(2 / (n_in + n_out)))
    assert math.isclose(stds["PyTorch"], 1 / math.sqrt(3 * n_in))
    assert math.isclose(stds["Flax"], 1 / math.sqrt(n_in))


def test_pytorch_linear_is_uniform_within_one_over_sqrt_fan_in():
    assert math.isclose(activations.leaky_relu_gain(F.PYTORCH_LINEAR_SLOPE), math.sqrt(1 / 3))
    assert activations.leaky_relu_gain(0.0) == activations.gain("relu")
    assert activations.leaky_relu_gain() == activations.gain("leaky_relu")
    with pytest.raises(TypeError, match=r"slope='0\.2'"):
        activations.leaky_relu_gain("0.2")
    with pytest.raises(ValueError, match="slope=inf"):
        activations.leaky_relu_gain(math.inf)
    pytorch = F.DENSE_DEFAULTS[1]
    weights = pytorch.initializer(seed=0)((400, 50), "float64")
    assert np.abs(weights).max() <= 1 / math.sqrt(400)
    assert abs(weights.std() / pytorch.std(400, 50) - 1) < 0.02


def test_keras_default_equals_the_glorot_uniform_preset():
    keras = F.DENSE_DEFAULTS[0]
    assert np.array_equal(keras.initializer(seed=3)((6, 5)), I.GlorotUniform(seed=3)((6, 5)))
    assert [row["layout"] for row in F.dense_defaults_table(3, 4)] == [
        "(in, out)",
        "(out, in)",
        "(in, out)",
    ]


def test_sample_catalogue_draws_every_initializer_reproducibly():
    samples = I.sample_catalogue((20, 10), seed=1)
    assert list(samples) == [cls.__name__ for cls in I.CATALOGUE]
    assert all(
        values.shape == (20, 10) and values.dtype == np.float32 for values in samples.values()
    )
    assert np.all(samples["Constant"] == np.float32(0.05))
    assert np.array_equal(samples["HeNormal"], I.sample_catalogue((20, 10), seed=1)["HeNormal"])


def test_gallery_has_one_labelled_panel_per_random_initializer_and_lists_the_constants():
    samples = I.sample_catalogue((20, 10), seed=0)
    fig = plots.plot_initializer_scales(samples, "gallery")
    titles = [ax.get_title() for ax in fig.axes if ax.get_visible() and ax.get_title()]
    constant = [name for name, values in samples.items() if np.unique(values).size <= 2]
    assert titles == [name for name in samples if name not in constant]
    listed = "".join(text.get_text() for ax in fig.axes for text in ax.texts)
    assert constant and all(name in listed for name in constant)
    assert fig._suptitle.get_text() == "gallery"
    plt.close(fig)


def test_the_dense_defaults_table_rows():
    rows = F.dense_defaults_table(3, 4)
    assert [set(row) for row in rows] == [
        {"framework", "layer", "initializer", "layout", "distribution", "std"}
    ] * 3
    assert [(r["framework"], r["layer"], r["initializer"], r["distribution"]) for r in rows] == [
        ("Keras 3", "Dense", "glorot_uniform", "uniform"),
        ("PyTorch", "nn.Linear", "kaiming_uniform_(a=sqrt(5))", "uniform"),
        ("Flax", "nn.Dense", "lecun_normal", "truncated_normal"),
    ]
    assert [r["std"] for r in rows] == pytest.approx(
        [math.sqrt(2 / 7), 1 / math.sqrt(9), 1 / math.sqrt(3)], rel=1e-12
    )
