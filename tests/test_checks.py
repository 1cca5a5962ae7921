"""The shared argument checks: TypeError for a wrong kind, ValueError for a wrong value."""

import numpy as np
import pytest

from weight_init import _checks as C
from weight_init import experiment, explorer_views, isometry, lsuv, residual, theory, training


def test_check_int_bounds_and_kinds():
    assert C.check_int(np.int64(3), "n") == 3 and type(C.check_int(np.int64(3), "n")) is int
    assert C.check_int(0, "n", minimum=0) == 0
    assert C.check_int(4, "n", minimum=0, maximum=4) == 4
    with pytest.raises(ValueError, match=r"n must be at least 1; received n=0\."):
        C.check_int(0, "n")
    with pytest.raises(ValueError, match=r"n must be at most 4; received n=5\."):
        C.check_int(5, "n", maximum=4)
    for wrong in (True, 1.0, "1", None):
        with pytest.raises(TypeError, match="n must be an int"):
            C.check_int(wrong, "n")


def test_check_number_bounds_and_kinds():
    assert C.check_number(np.float32(0.5), "x", minimum=0.0, maximum=0.5) == 0.5
    assert C.check_number(-1, "x", minimum=-1.0) == -1.0
    cases = [
        (dict(minimum=0.0), -0.1, ">= 0"),
        (dict(positive=True), 0.0, "> 0"),
        (dict(below=1.0), 1.0, "< 1"),
        (dict(maximum=1.0), 1.5, "<= 1"),
        ({}, float("nan"), "a finite number"),
        ({}, float("inf"), "a finite number"),
    ]
    for bounds, value, text in cases:
        with pytest.raises(ValueError, match=text):
            C.check_number(value, "x", **bounds)
    for wrong in (True, "0.5", None, [0.5]):
        with pytest.raises(TypeError, match="x must be a number"):
            C.check_number(wrong, "x")


def test_check_bool_and_check_choice():
    assert C.check_bool(np.bool_(True), "flag") is True
    for wrong in (1, 0, "yes", None):
        with pytest.raises(TypeError, match="flag must be True or False"):
            C.check_bool(wrong, "flag")
    assert C.check_choice("b", "letter", ("a", "b")) == "b"
    with pytest.raises(ValueError, match=r"Unknown letter: letter='c'\. Use one of: a, b\."):
        C.check_choice("c", "letter", ("a", "b"))
    with pytest.raises(TypeError, match="letter must be a str; received letter=1"):
        C.check_choice(1, "letter", ("a", "b"))


@pytest.mark.parametrize(
    ("call", "error", "text"),
    [
        # a wrong kind is a TypeError, wherever the check sits
        (
            lambda net: experiment.layer_jacobian_singular_values(net, 0.0, "tanh"),
            TypeError,
            "layer",
        ),
        (
            lambda net: experiment.layer_jacobian_singular_values(net, 0, "tanh", 1.5),
            TypeError,
            "samples",
        ),
        (lambda net: theory.depth_scale("1"), TypeError, "chi"),
        (lambda net: theory.preactivation_variance(2.0, 0.1, 1.0), TypeError, "fan_in"),
        (
            lambda net: residual.build_residual_mlp(2, 3, 1, 2, experiment.he_init, fixup=1),
            TypeError,
            "fixup",
        ),
        (
            lambda net: training.build_mlp([2, 1], experiment.he_init, use_bias="no"),
            TypeError,
            "use_bias",
        ),
        (lambda net: isometry.predicted_jacobian_variance(2, "tanh", 0.5, 1), TypeError, "weights"),
        # a wrong value is a ValueError
        (
            lambda net: experiment.layer_jacobian_singular_values(net, 1, "tanh"),
            ValueError,
            "layer=1",
        ),
        (
            lambda net: experiment.layer_jacobian_singular_values(net, -1, "tanh"),
            ValueError,
            "layer=-1",
        ),
        (lambda net: theory.depth_scale(0.0), ValueError, "chi"),
        (lambda net: theory.preactivation_variance(0, 0.1, 1.0), ValueError, "fan_in=0"),
        (lambda net: theory.preactivation_variance(2, -0.1, 1.0), ValueError, "weight_variance"),
        (
            lambda net: isometry.predicted_jacobian_variance(2, "tanh", 0.5, "uniform"),
            ValueError,
            "weights='uniform'",
        ),
        (
            lambda net: explorer_views.SignalSettings(activation="softsign"),
            ValueError,
            "activation='softsign'",
        ),
        (lambda net: explorer_views.SignalSettings(activation=3), TypeError, "activation=3"),
    ],
)
def test_one_error_type_per_kind_of_mistake(call, error, text):
    net = experiment.propagate([3], experiment.lecun_init, n_samples=2, input_dim=2, seed=0)
    with pytest.raises(error, match=text):
        call(net)


def test_lsuv_measure_is_a_choice():
    model = training.build_mlp([2, 3, 1], experiment.he_init)
    with pytest.raises(ValueError, match="Unknown measure: measure='mean'"):
        lsuv.lsuv_init(model, np.ones((4, 2)), measure="mean")


def test_check_layer_sizes_kinds_and_values():
    assert C.check_layer_sizes((np.int64(3), 4), "sizes", minimum_length=2) == [3, 4]
    for wrong in (5, "34", None):
        with pytest.raises(TypeError, match="sizes must be a sequence of layer widths"):
            C.check_layer_sizes(wrong, "sizes")
    with pytest.raises(TypeError, match="sizes must hold integers"):
        C.check_layer_sizes([3, 4.0], "sizes")
    with pytest.raises(ValueError, match="every width in sizes must be positive"):
        C.check_layer_sizes([3, 0], "sizes")
    with pytest.raises(ValueError, match=r"sizes must list at least 2 layer width\(s\)"):
        C.check_layer_sizes([3], "sizes", minimum_length=2)
