"""weight_init.initializers: the API, fans, seeds, dtypes, serialization and every error."""

import json
import math

import numpy as np
import pytest

from weight_init import experiment as ex
from weight_init import init_fns
from weight_init import initializers as I

RANDOM = [
    "RandomNormal",
    "RandomUniform",
    "TruncatedNormal",
    "VarianceScaling",
    "Orthogonal",
    "GlorotNormal",
    "GlorotUniform",
    "HeNormal",
    "HeUniform",
    "LecunNormal",
    "LecunUniform",
]


# ---------------------------------------------------------------- fans
@pytest.mark.parametrize(
    "shape, fans",
    [
        ((), (1, 1)),
        ((7,), (7, 7)),
        ((3, 4), (3, 4)),
        ((3, 3, 4, 8), (36, 72)),
        ((5, 2, 6), (10, 30)),
        ((0, 4), (0, 4)),
        ([2, 3], (2, 3)),
    ],
)
def test_compute_fans_follows_keras_rules(shape, fans):
    assert I.compute_fans(shape) == fans
    assert all(type(f) is int for f in I.compute_fans(shape))


def test_compute_fans_uses_axes_only_when_both_are_given():
    assert I.compute_fans((3, 4, 5), input_axes=[0], output_axes=[1, 2]) == (3, 20)
    assert I.compute_fans((3, 4, 5), input_axes=[0, -1], output_axes=[1]) == (15, 4)
    assert I.compute_fans((3, 4, 5), input_axes=[0]) == I.compute_fans((3, 4, 5)) == (12, 15)


@pytest.mark.parametrize(
    "kwargs, error, text",
    [
        (dict(shape=(3, -1)), ValueError, "shape=(3, -1)"),
        (dict(shape=(3, 2.0)), TypeError, "2.0"),
        (dict(shape=(3, True)), TypeError, "True"),
        (dict(shape="34"), TypeError, "shape='34'"),
        (dict(shape=5), TypeError, "shape=5"),
        (dict(shape=(3, 4), input_axes=[2], output_axes=[1]), ValueError, "input_axes=[2]"),
        (dict(shape=(3, 4), input_axes=[0], output_axes=[1.0]), TypeError, "output_axes"),
    ],
)
def test_compute_fans_rejects_bad_input_by_name(kwargs, error, text):
    with pytest.raises(error, match=None) as info:
        I.compute_fans(**kwargs)
    assert text in str(info.value)


# ---------------------------------------------------------------- calls, shapes, dtypes
@pytest.mark.parametrize("name", RANDOM)
@pytest.mark.parametrize("shape", [(), (5,), (4, 6), (3, 3, 2, 5), (0, 3)])
def test_every_random_initializer_returns_float32_of_exactly_the_shape(name, shape):
    if name == "Orthogonal" and len(shape) < 2:
        with pytest.raises(ValueError, match=f"of rank {len(shape)}"):
            I.Orthogonal(seed=3)(shape)
        return
    values = getattr(I, name)(seed=3)(shape)
    assert values.shape == shape and values.dtype == np.float32
    assert np.all(np.isfinite(values))


@pytest.mark.parametrize("name", RANDOM)
@pytest.mark.parametrize("dtype", ["float16", np.float64, np.dtype("float32")])
def test_dtype_is_honoured(name, dtype):
    assert getattr(I, name)(seed=1)((4, 3), dtype=dtype).dtype == np.dtype(dtype)


def test_float64_is_the_float64_stream_and_float32_its_rounding():
    wide = I.HeNormal(seed=5)((6, 4), dtype="float64")
    assert np.array_equal(wide.astype(np.float32), I.HeNormal(seed=5)((6, 4)))


@pytest.mark.parametrize("dtype", ["int32", "uint8", "bool", "float64"])
def test_constants_accept_integer_and_bool_dtypes(dtype):
    assert np.array_equal(I.Zeros()((2, 3), dtype), np.zeros((2, 3), dtype))
    assert np.array_equal(I.Ones()((2, 3), dtype), np.ones((2, 3), dtype))
    assert I.Constant(2.7)((2,), dtype).dtype == np.dtype(dtype)


def test_constant_casts_the_value_to_the_dtype_first():
    assert I.Constant(2.7)((2, 2), "int32").tolist() == [[2, 2], [2, 2]]
    assert I.Constant(2.5)(()).item() == 2.5 and I.Constant(2.5)(()).shape == ()


def test_identity_is_gain_times_a_rectangular_eye():
    assert np.array_equal(I.Identity(gain=3.0)((2, 3)), 3.0 * np.eye(2, 3, dtype=np.float32))
    assert I.Identity()((3, 3), "float16").dtype == np.float16


@pytest.mark.parametrize("shape", [(6, 6), (8, 3), (3, 8), (3, 3, 4, 5), (2, 2, 9, 4)])
def test_orthogonal_columns_or_rows_are_orthonormal_times_gain(shape):
    gain = 1.5
    values = I.Orthogonal(gain=gain, seed=2)(shape, "float64")
    flat = values.reshape(-1, shape[-1])
    gram = flat.T @ flat if flat.shape[0] >= flat.shape[1] else flat @ flat.T
    assert np.allclose(gram, gain**2 * np.eye(gram.shape[0]), atol=1e-12)


def test_a_numpy_gain_does_not_change_the_dtype():
    assert I.Identity(gain=np.float64(2.0))((2, 2)).dtype == np.float32
    assert I.Orthogonal(gain=np.float64(2.0), seed=1)((3, 2), "float16").dtype == np.float16


def test_orthogonal_in_float16_is_the_float32_result_rounded():
    half = I.Orthogonal(seed=4)((5, 3), "float16")
    assert half.dtype == np.float16
    assert np.allclose(half, I.Orthogonal(seed=4)((5, 3)), atol=1e-3)


# ---------------------------------------------------------------- seeds
@pytest.mark.parametrize("name", RANDOM)
def test_an_int_seed_reproduces_across_calls_and_instances(name):
    first = getattr(I, name)(seed=11)
    assert np.array_equal(first((5, 4)), first((5, 4)))
    assert np.array_equal(first((5, 4)), getattr(I, name)(seed=11)((5, 4)))
    assert not np.array_equal(first((5, 4)), getattr(I, name)(seed=12)((5, 4)))


def test_the_stream_is_keras_numpy_backends_uint32_pair():
    expected = np.random.default_rng(np.array([9, 0], dtype=np.uint32)).normal(0.0, 0.05, (3, 2))
    assert np.array_equal(I.RandomNormal(seed=9)((3, 2)), expected.astype(np.float32))


def test_seed_none_is_fixed_per_instance_but_new_for_clones():
    init = I.GlorotUniform()
    assert np.array_equal(init((8, 8)), init((8, 8)))
    assert not np.array_equal(init((8, 8)), init.clone()((8, 8)))
    assert init.get_config()["seed"] is None and isinstance(init.seed, int)


def test_a_generator_seed_continues_its_stream():
    rng = np.random.default_rng(0)
    init = I.HeNormal(seed=rng)
    first, second = init((4, 4)), init((4, 4))
    assert not np.array_equal(first, second)
    again = I.HeNormal(seed=np.random.default_rng(0))
    assert np.array_equal(again((4, 4)), first) and np.array_equal(again((4, 4)), second)
    assert init.get_config()["seed"] is None


@pytest.mark.parametrize("seed", [1.5, "1", np.int64(3), True, [1]])
def test_non_int_seeds_raise_keras_value_error(seed):
    with pytest.raises(ValueError, match=r"`seed` argument should be .* Received: seed="):
        I.RandomNormal(seed=seed)


@pytest.mark.parametrize("seed", [-1, 2**32])
def test_seeds_outside_uint32_fail_at_construction(seed):
    with pytest.raises(ValueError, match=rf"seed={seed}"):
        I.HeUniform(seed=seed)


# ---------------------------------------------------------------- argument errors
@pytest.mark.parametrize(
    "make, error, text",
    [
        (
            lambda: I.VarianceScaling(scale=0),
            ValueError,
            "Argument `scale` must be positive float. Received: scale=0",
        ),
        (lambda: I.VarianceScaling(scale=-2.0), ValueError, "scale=-2.0"),
        (lambda: I.VarianceScaling(scale=float("nan")), ValueError, "scale=nan"),
        (lambda: I.VarianceScaling(scale="1"), TypeError, "scale='1'"),
        (lambda: I.VarianceScaling(mode="FAN_IN"), ValueError, "Invalid `mode` argument: FAN_IN"),
        (
            lambda: I.VarianceScaling(distribution="foo"),
            ValueError,
            "Invalid `distribution` argument: foo",
        ),
        (lambda: I.VarianceScaling(distribution=3), TypeError, "distribution=3"),
        (lambda: I.VarianceScaling(input_axes="01"), TypeError, "input_axes='01'"),
        (lambda: I.RandomNormal(stddev=-0.1), ValueError, "stddev=-0.1"),
        (lambda: I.RandomNormal(mean=float("inf")), ValueError, "mean=inf"),
        (lambda: I.RandomUniform(maxval=None), TypeError, "maxval=None"),
        (lambda: I.RandomUniform(minval=1.0, maxval=-1.0), ValueError, "minval=1.0, maxval=-1.0"),
        (lambda: I.TruncatedNormal(stddev=float("nan")), ValueError, "stddev=nan"),
        (lambda: I.Orthogonal(gain=float("inf")), ValueError, "gain=inf"),
        (lambda: I.Identity(gain="2"), TypeError, "gain='2'"),
        (lambda: I.Constant(value=[1, 2]), TypeError, "value=[1, 2]"),
        (lambda: I.Constant(value=float("nan")), ValueError, "value=nan"),
    ],
)
def test_constructor_errors_name_the_argument_and_value(make, error, text):
    with pytest.raises(error) as info:
        make()
    assert text in str(info.value)


@pytest.mark.parametrize(
    "call, error, text",
    [
        (
            lambda: I.Orthogonal(seed=1)((3,)),
            ValueError,
            "The tensor to initialize must be at least two-dimensional. Received: shape=(3,) of "
            "rank 1.",
        ),
        (
            lambda: I.Identity()((3, 3, 3)),
            ValueError,
            "Identity matrix initializer can only be used for 2D matrices. "
            "Received: shape=(3, 3, 3) of rank 3.",
        ),
        (lambda: I.HeNormal(seed=1)((3, -2)), ValueError, "shape=(3, -2)"),
        (lambda: I.HeNormal(seed=1)((3, 2.0)), TypeError, "2.0"),
        (lambda: I.RandomNormal(seed=1)((3,), "int32"), TypeError, "dtype='int32'"),
        (lambda: I.GlorotUniform(seed=1)((3,), bool), TypeError, "GlorotUniform"),
        (lambda: I.Identity()((2, 2), "int32"), TypeError, "dtype='int32'"),
        (lambda: I.Zeros()((2,), "complex64"), TypeError, "dtype='complex64'"),
        (lambda: I.Ones()((2,), "not-a-dtype"), TypeError, "dtype='not-a-dtype'"),
        (
            lambda: I.VarianceScaling(seed=1, input_axes=[5], output_axes=[0])((2, 3)),
            ValueError,
            "input_axes=[5]",
        ),
    ],
)
def test_call_errors_name_the_argument_and_value(call, error, text):
    with pytest.raises(error) as info:
        call()
    assert text in str(info.value)


# ---------------------------------------------------------------- names and serialization
def test_names_snake_case_and_aliases_resolve_case_sensitively():
    public_classes = {
        cls
        for name, cls in vars(I).items()
        if isinstance(cls, type) and issubclass(cls, I.Initializer) and not name.startswith("_")
    }
    abstract = {I.Initializer, I.RandomInitializer}
    assert set(I.CATALOGUE) == public_classes - abstract  # every initializer, listed once
    assert len(set(I.CATALOGUE)) == len(I.CATALOGUE)
    for cls in I.CATALOGUE:
        assert type(I.get(cls.__name__)) is cls
        assert type(I.get(I.snake_case(cls.__name__))) is cls
    assert I.snake_case("GlorotUniform") == "glorot_uniform"
    with pytest.raises(TypeError, match="name=3"):
        I.snake_case(3)
    assert type(I.get("normal")) is I.RandomNormal and type(I.get("uniform")) is I.RandomUniform
    assert type(I.get("zero")) is I.Zeros and type(I.get("one")) is I.Ones
    assert type(I.get("OrthogonalInitializer")) is I.Orthogonal
    with pytest.raises(
        ValueError, match="Could not interpret initializer identifier: Glorot_Uniform"
    ):
        I.get("Glorot_Uniform")


@pytest.mark.parametrize("identifier", ["xavier_uniform", 3, 2.5, [1], {"class_name": "Nope"}])
def test_unknown_identifiers_raise_value_error(identifier):
    with pytest.raises(ValueError, match="Could not interpret initializer identifier"):
        I.get(identifier)


def test_get_passes_none_instances_and_callables_and_builds_classes():
    def ones(shape, dtype=None):
        return np.ones(shape, dtype)

    instance = I.HeNormal(seed=1)
    assert I.get(None) is None and I.get(instance) is instance and I.get(ones) is ones
    assert type(I.get(I.LecunUniform)) is I.LecunUniform
    with pytest.raises(ValueError, match="Could not interpret"):
        I.get(dict)


def test_get_constant_works_unlike_keras_3_15():
    constant = I.get("constant")
    assert constant.value == 0.0 and np.array_equal(constant((2,)), np.zeros(2, np.float32))


def test_identity_config_keeps_its_gain_unlike_keras_3_15():
    assert I.Identity(gain=2.0).get_config() == {"gain": 2.0}
    assert I.Identity(gain=2.0).clone().gain == 2.0


@pytest.mark.parametrize(
    "initializer, config",
    [
        (I.Zeros(), {}),
        (I.Constant(1.5), {"value": 1.5}),
        (I.RandomNormal(seed=3), {"seed": 3, "mean": 0.0, "stddev": 0.05}),
        (I.RandomUniform(-1, 2, seed=3), {"seed": 3, "minval": -1, "maxval": 2}),
        (I.TruncatedNormal(seed=None), {"seed": None, "mean": 0.0, "stddev": 0.05}),
        (
            I.VarianceScaling(2.0, "fan_out", "Normal", seed=4),
            {
                "seed": 4,
                "scale": 2.0,
                "mode": "fan_out",
                "distribution": "truncated_normal",
                "input_axes": None,
                "output_axes": None,
            },
        ),
        (
            I.GlorotUniform(seed=5, input_axes=[0], output_axes=[1]),
            {"seed": 5, "input_axes": [0], "output_axes": [1]},
        ),
        (I.Orthogonal(gain=0.5, seed=6), {"seed": 6, "gain": 0.5}),
    ],
)
def test_get_config_has_kerass_keys_in_order_and_round_trips(initializer, config):
    assert initializer.get_config() == config
    assert list(initializer.get_config()) == list(config)
    json.dumps(initializer.get_config())
    rebuilt = I.deserialize(json.loads(json.dumps(I.serialize(initializer))))
    assert type(rebuilt) is type(initializer) and rebuilt.get_config() == config
    assert type(initializer).from_config(config).get_config() == config
    if config.get("seed") is not None:
        assert np.array_equal(rebuilt((3, 4)), initializer((3, 4)))
        assert np.array_equal(initializer.clone()((3, 4)), initializer((3, 4)))


def test_serialize_has_kerass_envelope():
    assert I.serialize(I.HeUniform(seed=1)) == {
        "module": "keras.initializers",
        "class_name": "HeUniform",
        "config": {"seed": 1, "input_axes": None, "output_axes": None},
        "registered_name": None,
    }
    with pytest.raises(TypeError, match="initializer="):
        I.serialize("he_uniform")
    with pytest.raises(ValueError, match="'class_name'"):
        I.deserialize({"config": {}})


def test_presets_are_variance_scaling_with_the_table_settings():
    for name, (scale, mode, distribution) in I.PRESETS.items():
        preset = getattr(I, name)(seed=8)
        assert isinstance(preset, I.VarianceScaling)
        assert (preset.scale, preset.mode, preset.distribution) == (scale, mode, distribution)
        twin = I.VarianceScaling(scale, mode, distribution, seed=8)
        assert np.array_equal(preset((6, 5)), twin((6, 5)))


def test_a_subclass_of_a_preset_keeps_its_rule():
    class MyHe(I.HeNormal):
        pass

    assert np.array_equal(MyHe(seed=2)((5, 3)), I.HeNormal(seed=2)((5, 3)))
    assert MyHe(seed=2).clone().get_config() == I.HeNormal(seed=2).get_config()


def test_variance_uses_max_one_n():
    assert I.HeNormal(seed=1).variance((0, 4)) == 2.0
    assert math.isclose(I.GlorotUniform(seed=1).variance((3, 4)), 1 / 3.5)
    assert I.fan_for_mode(3, 4, "fan_avg") == 3.5
    with pytest.raises(ValueError, match="Invalid `mode` argument: FAN_IN"):
        I.fan_for_mode(3, 4, "FAN_IN")


@pytest.mark.parametrize(
    "call, error, text",
    [
        (lambda: I.keras_generator(-1), ValueError, "seed=-1"),
        (lambda: I.keras_generator(1.5), ValueError, "seed=1.5"),
        (
            lambda: I.draw_truncated_normal(
                np.random.default_rng(0), (2,), 0.0, math.nan, np.float32
            ),
            ValueError,
            "stddev=nan",
        ),
        (
            lambda: I.draw_truncated_normal(
                np.random.default_rng(0), (2,), math.nan, 1.0, np.float32
            ),
            ValueError,
            "mean=nan",
        ),
        (
            lambda: I.draw_truncated_normal(np.random.default_rng(0), (2,), 0.0, -1.0, np.float32),
            ValueError,
            "stddev=-1.0",
        ),
    ],
)
def test_public_draw_helpers_reject_bad_arguments(call, error, text):
    with pytest.raises(error) as info:
        call()
    assert text in str(info.value)


def test_repr_reads_like_the_constructor():
    assert repr(I.Orthogonal(gain=2.0, seed=1)) == "Orthogonal(seed=1, gain=2.0)"


# ---------------------------------------------------------------- the init_fn adapter
def test_catalogue_init_gives_float64_fan_in_by_fan_out_matrices():
    init_fn = init_fns.catalogue_init("he_uniform")
    weights = init_fn(4, 2, rng=1)
    assert weights.shape == (4, 2) and weights.dtype == np.float64
    assert np.array_equal(weights.astype(np.float32), I.HeUniform(seed=1)((4, 2)))
    assert np.all(np.abs(weights) <= math.sqrt(6 / 4))
    assert init_fn.__name__ == "he_uniform"


def test_catalogue_init_accepts_classes_configs_instances_and_overrides():
    by_class = init_fns.catalogue_init(I.VarianceScaling, scale=2.0, mode="fan_out")(3, 5, rng=2)
    by_dict = init_fns.catalogue_init(
        {"class_name": "VarianceScaling", "config": {"scale": 2.0, "mode": "fan_out"}}
    )(3, 5, rng=2)
    by_instance = init_fns.catalogue_init(I.VarianceScaling(2.0, "fan_out"))(3, 5, rng=2)
    expected = I.VarianceScaling(2.0, "fan_out", seed=2)((3, 5), "float64")
    for weights in (by_class, by_dict, by_instance):
        assert np.array_equal(weights, expected)
    assert np.array_equal(init_fns.catalogue_init("identity", gain=2.0)(2, 3), 2 * np.eye(2, 3))


def test_catalogue_init_drives_propagate_from_one_seed():
    first = ex.propagate([30, 30], init_fns.catalogue_init("orthogonal"), seed=4, backward=False)
    second = ex.propagate([30, 30], init_fns.catalogue_init("orthogonal"), seed=4, backward=False)
    assert np.array_equal(first.weights[1], second.weights[1])
    assert not np.array_equal(first.weights[0], first.weights[1])
    assert np.allclose(first.weights[1].T @ first.weights[1], np.eye(30))


@pytest.mark.parametrize(
    "make, error, text",
    [
        (lambda: init_fns.catalogue_init("xavier"), ValueError, "xavier"),
        (lambda: init_fns.catalogue_init(lambda shape, dtype=None: None), TypeError, "identifier="),
        (lambda: init_fns.catalogue_init("he_normal", seed=3), TypeError, "rng="),
        (lambda: init_fns.catalogue_init("variance_scaling", mode="in"), ValueError, "mode"),
        (lambda: init_fns.catalogue_init("glorot_uniform")(3, 0), ValueError, "(fan_in, fan_out)"),
    ],
)
def test_catalogue_init_errors(make, error, text):
    with pytest.raises(error) as info:
        make()
    assert text in str(info.value)
