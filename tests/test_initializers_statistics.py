"""weight_init.initializers without Keras: each distribution against its own formula.

For every random initializer the sample mean, variance and range are held to the formula,
and the Kolmogorov-Smirnov distance to the analytic CDF (built on math.erf) must stay below
the 0.1 % critical value 1.95 / sqrt(n). Then seeded property checks over random shapes and
arguments. The formulas are re-derived here on purpose, independently of the package.
"""

import math

import numpy as np
import pytest

from weight_init import initializers as I

SHAPE = (300, 200)  # fan_in 300, fan_out 200: the rules all differ here
FAN_IN, FAN_OUT = SHAPE
FAN_AVG = (FAN_IN + FAN_OUT) / 2
N = FAN_IN * FAN_OUT
KS_CRITICAL = 1.95 / math.sqrt(N)


def phi(x: float) -> float:
    return 0.5 * (1.0 + math.erf(x / math.sqrt(2.0)))


def normal_cdf(mean, std):
    return lambda x: phi((x - mean) / std)


def truncated_cdf(mean, std):
    low, high = phi(-2.0), phi(2.0)
    return lambda x: min(1.0, max(0.0, (phi((x - mean) / std) - low) / (high - low)))


def uniform_cdf(low, high):
    return lambda x: min(1.0, max(0.0, (x - low) / (high - low)))


def truncated_variance_factor() -> float:
    """Var of N(0, 1) truncated to [-2, 2]: 1 - 2·2·φ(2)/(Φ(2) - Φ(-2))."""
    density = math.exp(-2.0) / math.sqrt(2 * math.pi)
    return 1 - 4 * density / (phi(2.0) - phi(-2.0))


def ks_distance(samples: np.ndarray, cdf) -> float:
    ordered = np.sort(samples.ravel())
    model = np.frompyfunc(cdf, 1, 1)(ordered).astype(float)
    ranks = np.arange(1, ordered.size + 1) / ordered.size
    return float(max(np.max(ranks - model), np.max(model - (ranks - 1 / ordered.size))))


def spec(kind, centre, width):
    """``(cdf, mean, variance, lower, upper)`` for a normal, truncated normal or uniform."""
    if kind == "normal":
        return normal_cdf(centre, width), centre, width**2, -math.inf, math.inf
    if kind == "truncated":
        return (
            truncated_cdf(centre, width),
            centre,
            width**2 * truncated_variance_factor(),
            centre - 2 * width,
            centre + 2 * width,
        )
    return (
        uniform_cdf(centre - width, centre + width),
        centre,
        width**2 / 3,
        centre - width,
        centre + width,
    )


SIGMA = 0.87962566103423978
CASES = {
    "RandomNormal": (I.RandomNormal(0.3, 0.7, seed=0), spec("normal", 0.3, 0.7)),
    "RandomUniform": (I.RandomUniform(-1.0, 3.0, seed=0), spec("uniform", 1.0, 2.0)),
    "TruncatedNormal": (I.TruncatedNormal(-0.5, 2.0, seed=0), spec("truncated", -0.5, 2.0)),
    "GlorotUniform": (
        I.GlorotUniform(seed=0),
        spec("uniform", 0.0, math.sqrt(6 / (FAN_IN + FAN_OUT))),
    ),
    "GlorotNormal": (
        I.GlorotNormal(seed=0),
        spec("truncated", 0.0, math.sqrt(1 / FAN_AVG) / SIGMA),
    ),
    "HeUniform": (I.HeUniform(seed=0), spec("uniform", 0.0, math.sqrt(6 / FAN_IN))),
    "HeNormal": (I.HeNormal(seed=0), spec("truncated", 0.0, math.sqrt(2 / FAN_IN) / SIGMA)),
    "LecunUniform": (I.LecunUniform(seed=0), spec("uniform", 0.0, math.sqrt(3 / FAN_IN))),
    "LecunNormal": (I.LecunNormal(seed=0), spec("truncated", 0.0, math.sqrt(1 / FAN_IN) / SIGMA)),
    "VarianceScaling untruncated fan_out": (
        I.VarianceScaling(3.0, "fan_out", "untruncated_normal", seed=0),
        spec("normal", 0.0, math.sqrt(3.0 / FAN_OUT)),
    ),
    "VarianceScaling uniform fan_avg": (
        I.VarianceScaling(0.5, "fan_avg", "uniform", seed=0),
        spec("uniform", 0.0, math.sqrt(3 * 0.5 / FAN_AVG)),
    ),
}


@pytest.mark.parametrize("name", list(CASES))
def test_moments_range_and_ks_distance_match_the_formula(name):
    initializer, (cdf, mean, variance, lower, upper) = CASES[name]
    values = initializer(SHAPE, dtype="float64")
    assert lower <= values.min() and values.max() <= upper
    standard_error = math.sqrt(variance / N)
    assert abs(values.mean() - mean) < 5 * standard_error
    assert abs(values.var() / variance - 1) < 5 * math.sqrt(2 / N)
    assert ks_distance(values, cdf) < KS_CRITICAL


def test_the_ks_check_catches_a_wrong_formula():
    values = I.HeNormal(seed=0)(SHAPE, dtype="float64")
    wrong = truncated_cdf(0.0, math.sqrt(2 / FAN_IN))  # forgot the 0.8796 correction
    assert ks_distance(values, wrong) > 3 * KS_CRITICAL


def test_variance_scaling_normal_has_the_promised_std_after_truncation():
    values = I.VarianceScaling(2.0, "fan_in", seed=3)(SHAPE, dtype="float64")
    assert abs(values.std() / math.sqrt(2 / FAN_IN) - 1) < 0.01


def test_truncation_alone_shrinks_the_std_by_0_8796():
    values = I.TruncatedNormal(0.0, 1.0, seed=5)(SHAPE, dtype="float64")
    assert abs(values.std() - math.sqrt(truncated_variance_factor())) < 0.005
    assert math.isclose(
        I.truncated_normal_std(2.0), math.sqrt(truncated_variance_factor()), rel_tol=1e-15
    )
    assert math.isclose(I.TRUNCATED_NORMAL_STD, I.truncated_normal_std(2.0), rel_tol=1e-15)
    assert I.truncated_normal_std(50.0) == pytest.approx(1.0)


def test_orthogonal_entries_have_variance_one_over_rows():
    rows, cols = 160, 100
    values = I.Orthogonal(seed=2)((rows, cols), dtype="float64")
    assert abs(values.var() * rows - 1) < 0.02
    assert abs(float(np.sum(values * values)) - cols) < 1e-9


# ------------------------------------------------------------ seeded property checks
PROPERTY_RNG_SEED = 20240601


def random_shape(rng, minimum_rank=0):
    rank = int(rng.integers(minimum_rank, 5))
    return tuple(int(d) for d in rng.integers(1, 9, size=rank))


def test_properties_over_random_shapes_and_arguments():
    rng = np.random.default_rng(PROPERTY_RNG_SEED)
    for _ in range(200):
        shape = random_shape(rng)
        seed = int(rng.integers(2**32))
        scale = float(rng.uniform(0.01, 10))
        mode = ["fan_in", "fan_out", "fan_avg"][int(rng.integers(3))]
        distribution = ["truncated_normal", "untruncated_normal", "uniform"][int(rng.integers(3))]
        initializer = I.VarianceScaling(scale, mode, distribution, seed=seed)
        values = initializer(shape, dtype="float64")
        fan_in, fan_out = I.compute_fans(shape)
        n = {"fan_in": fan_in, "fan_out": fan_out, "fan_avg": (fan_in + fan_out) / 2}[mode]
        variance = scale / max(1.0, n)
        assert values.shape == shape and np.array_equal(values, initializer(shape, "float64"))
        if distribution == "uniform":
            assert np.all(np.abs(values) <= math.sqrt(3 * variance))
        elif distribution == "truncated_normal":
            assert np.all(np.abs(values) <= 2 * math.sqrt(variance) / SIGMA)
        unit = I.VarianceScaling(1.0, mode, distribution, seed=seed)(shape, dtype="float64")
        assert np.allclose(values, math.sqrt(scale) * unit, rtol=1e-12, atol=1e-15)
        if len(shape) >= 3:
            receptive_field = math.prod(shape[:-2])
            assert fan_in * fan_out == shape[-2] * shape[-1] * receptive_field**2


def test_orthogonal_property_over_random_shapes():
    rng = np.random.default_rng(PROPERTY_RNG_SEED + 1)
    for _ in range(100):
        shape = random_shape(rng, minimum_rank=2)
        gain = float(rng.uniform(-3, 3))
        flat = I.Orthogonal(gain, seed=int(rng.integers(2**32)))(shape, "float64").reshape(
            -1, shape[-1]
        )
        small = min(flat.shape)
        gram = flat.T @ flat if flat.shape[0] >= flat.shape[1] else flat @ flat.T
        assert np.allclose(gram, gain**2 * np.eye(small), atol=1e-10)


def test_generator_seeds_continue_the_stream_property():
    rng = np.random.default_rng(PROPERTY_RNG_SEED + 2)
    for _ in range(50):
        shape = random_shape(rng, minimum_rank=1)
        name = ["RandomNormal", "RandomUniform", "TruncatedNormal", "HeUniform", "GlorotNormal"][
            int(rng.integers(5))
        ]
        stream_seed = int(rng.integers(1000))
        shared = getattr(I, name)(seed=np.random.default_rng(stream_seed))
        first, second = shared(shape), shared(shape)
        replay = getattr(I, name)(seed=np.random.default_rng(stream_seed))
        assert np.array_equal(replay(shape), first) and np.array_equal(replay(shape), second)
