"""weight_init.precision: round-off printed as the claim that holds on every machine."""

import numpy as np
import pytest

from weight_init import precision


def test_epsilon_is_float64_spacing_at_one():
    assert precision.FLOAT64_EPSILON == 2.0**-52
    assert 1.0 + precision.FLOAT64_EPSILON != 1.0
    assert 1.0 + precision.FLOAT64_EPSILON / 2 == 1.0


@pytest.mark.parametrize("gap", [0.0, 9.2e-16, -1.3e-15, 9.99e-13])
def test_gap_below_bound_prints_the_claim(gap):
    assert precision.describe_gap(gap) == "below 1e-12 (rounding only)"


@pytest.mark.parametrize(
    ("gap", "text"), [(1e-12, "1.0e-12"), (-2.2e-6, "2.2e-06"), (0.5, "5.0e-01")]
)
def test_gap_at_or_above_bound_prints_the_value(gap, text):
    assert precision.describe_gap(gap) == text


def test_gap_bound_is_configurable():
    assert precision.describe_gap(3e-9, bound=1e-8) == "below 1e-08 (rounding only)"
    assert precision.describe_gap(3e-9, bound=1e-9) == "3.0e-09"


def test_singular_value_floor_matches_numpy_rank_tolerance():
    rng = np.random.default_rng(0)
    matrix = (
        rng.standard_normal((30, 30)) @ np.diag([1.0] * 29 + [0.0]) @ rng.standard_normal((30, 30))
    )
    values = np.linalg.svd(matrix, compute_uv=False)
    floor = precision.singular_value_floor(values[0], 30)
    assert floor == pytest.approx(values[0] * 30 * np.finfo(np.float64).eps, rel=1e-15)
    assert int(np.sum(values > floor)) == np.linalg.matrix_rank(matrix) == 29


def test_describe_above_floor():
    assert precision.describe_above_floor(2.77e-18, floor=9.0e-14) == "< 1e-13"
    assert precision.describe_above_floor(1.546e-10, floor=9.0e-14) == "1.546e-10"
    assert precision.describe_above_floor(2.5, floor=1e-3, spec=".2f") == "2.50"


@pytest.mark.parametrize(
    ("call", "error", "words"),
    [
        (lambda: precision.describe_gap("0"), TypeError, "difference="),
        (lambda: precision.describe_gap(1.0, bound=0.0), ValueError, "bound=0.0"),
        (lambda: precision.singular_value_floor(1.0, 0), ValueError, "size=0"),
        (lambda: precision.singular_value_floor(-1.0, 3), ValueError, "largest=-1.0"),
        (lambda: precision.describe_above_floor(1.0, floor=-1.0), ValueError, "floor=-1.0"),
        (lambda: precision.describe_above_floor(float("nan"), floor=1.0), ValueError, "value=nan"),
    ],
)
def test_bad_input_names_the_argument(call, error, words):
    with pytest.raises(error, match=words):
        call()
