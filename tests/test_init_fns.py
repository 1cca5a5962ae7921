"""The init_fn protocol: every supported form draws the same weights from the same seed."""

import functools
import math

import numpy as np
import pytest

from weight_init import deep_linear, experiment, explorer_views, initializers, residual, training
from weight_init import init_fns as F


# ---------------------------------------------------------------- the supported forms
def plain(fan_in, fan_out, rng):
    return rng.standard_normal((fan_in, fan_out)) / math.sqrt(fan_in)


def keyword_only(fan_in, fan_out, *, rng=None):
    return rng.uniform(-1.0, 1.0, (fan_in, fan_out))


def with_kwargs(fan_in, fan_out, **kwargs):
    return F.he_init(fan_in, fan_out, **kwargs)


def scaled(fan_in, fan_out, rng, scale=1.0):
    return scale * rng.standard_normal((fan_in, fan_out))


def doubled(init_fn):
    @functools.wraps(init_fn)
    def wrapper(*args, **kwargs):
        return 2.0 * init_fn(*args, **kwargs)

    return wrapper


class Drawer:
    def __call__(self, fan_in, fan_out, rng=None):
        return rng.normal(0.0, 0.1, (fan_in, fan_out))


def global_state_source(fan_in, fan_out):
    """A source's own code: draws from NumPy's global random state."""
    return np.random.randn(fan_in, fan_out) * 0.1  # noqa: NPY002 (the source's form)


FORMS = {
    "plain": plain,
    "keyword-only rng": keyword_only,
    "**kwargs": with_kwargs,
    "functools.partial": functools.partial(scaled, scale=0.5),
    "decorated": doubled(F.lecun_init),
    "callable object": Drawer(),
    "lambda": lambda fan_in, fan_out, rng: rng.standard_normal((fan_in, fan_out)),
    "scratch rule": F.glorot_init,
    "catalogue_init": F.catalogue_init("he_uniform"),
    "catalogue orthogonal": F.catalogue_init("orthogonal"),
    "explorer's make_init_fn": explorer_views.make_init_fn("glorot_normal", gain=1.5),
    "from_global_state": F.from_global_state(global_state_source),
}


def propagate_weights(init_fn, seed):
    return experiment.propagate([6, 5, 4], init_fn, n_samples=3, input_dim=7, seed=seed).weights


def mlp_weights(init_fn, seed):
    return training.build_mlp([7, 6, 5, 2], init_fn, seed=seed).weights


def residual_weights(init_fn, seed):
    return residual.build_residual_mlp(4, 6, 2, 3, init_fn, seed=seed).parameters


def deep_linear_weights(init_fn, seed):
    return [deep_linear.stacked_weights(5, 3, init_fn, replicas=2, seed=seed)]


MODELS = [propagate_weights, mlp_weights, residual_weights, deep_linear_weights]


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
@pytest.mark.parametrize("form", list(FORMS))
def test_same_seed_same_weights_and_another_seed_other_weights(form, model):
    init_fn = FORMS[form]
    first, again, other = model(init_fn, 3), model(init_fn, 3), model(init_fn, 4)
    assert len(first) == len(again) and all(
        np.array_equal(a, b) for a, b in zip(first, again, strict=True)
    )
    assert any(not np.array_equal(a, b) for a, b in zip(first, other, strict=True))


def test_the_models_draw_the_same_stream_through_draw_weights():
    # build_mlp draws each kernel, then its bias (none here: zeros), from one generator
    model = training.build_mlp([7, 6, 5], plain, seed=11)
    rng = np.random.default_rng(11)
    expected = [plain(7, 6, rng), plain(6, 5, rng)]
    for got, want in zip(model.weights, expected, strict=True):
        np.testing.assert_array_equal(got, want)


def test_from_global_state_restores_the_global_state():
    np.random.seed(123)  # noqa: NPY002 (checking that the wrapper leaves it alone)
    before = np.random.get_state()  # noqa: NPY002
    wrapped = F.from_global_state(global_state_source)
    first = wrapped(4, 3, rng=np.random.default_rng(5))
    after = np.random.get_state()  # noqa: NPY002
    assert before[0] == after[0] and np.array_equal(before[1], after[1]) and before[2] == after[2]
    np.testing.assert_array_equal(first, wrapped(4, 3, rng=np.random.default_rng(5)))
    assert wrapped.__name__ == "global_state_source"
    with pytest.raises(TypeError, match="init_fn must be callable"):
        F.from_global_state("he_init")


def test_a_two_argument_init_fn_is_refused_with_the_way_out():
    with pytest.raises(TypeError, match="from_global_state") as info:
        training.build_mlp([3, 2], global_state_source)
    assert "global_state_source" in str(info.value)


def test_a_type_error_inside_an_init_fn_is_not_disguised():
    def broken(fan_in, fan_out, rng):
        return rng.standard_normal("three")

    with pytest.raises(TypeError) as info:
        experiment.propagate([3], broken, n_samples=2, input_dim=2)
    assert "from_global_state" not in str(info.value)


def test_draw_weights_checks_the_shape_and_returns_a_float_copy():
    kept = np.ones((3, 2), dtype=np.float32)
    weights = F.draw_weights(lambda fan_in, fan_out, rng: kept, 3, 2, np.random.default_rng(0))
    assert weights.dtype == np.float64 and np.array_equal(weights, kept)
    weights += 1.0
    assert np.all(kept == 1.0)  # training in place never changes what the init_fn returned
    with pytest.raises(ValueError, match=r"\(fan_in, fan_out\) = \(3, 2\).*shape \(2, 3\)"):
        F.draw_weights(lambda fan_in, fan_out, rng: np.ones((2, 3)), 3, 2, np.random.default_rng())
    with pytest.raises(TypeError, match=r"rng must be a numpy\.random\.Generator; received rng=0"):
        F.draw_weights(plain, 3, 2, 0)


# ---------------------------------------------------------------- the scratch rules
@pytest.mark.parametrize(
    ("init_fn", "std"),
    [
        (F.small_random_init, lambda i, o: 0.01),
        (F.big_random_init, lambda i, o: 1.0),
        (F.lecun_init, lambda i, o: 1 / math.sqrt(i)),
        (F.xavier_init, lambda i, o: 1 / math.sqrt(i)),
        (F.glorot_init, lambda i, o: math.sqrt(2 / (i + o))),
        (F.he_init, lambda i, o: math.sqrt(2 / i)),
    ],
)
def test_each_scratch_rule_is_its_std_times_the_generator_s_normals(init_fn, std):
    # fan_in != fan_out, so a rule using the wrong fan gives another std
    for fan_in, fan_out in ((8, 2), (3, 50)):
        expected = std(fan_in, fan_out) * np.random.default_rng(9).standard_normal(
            (fan_in, fan_out)
        )
        np.testing.assert_allclose(init_fn(fan_in, fan_out, rng=9), expected, rtol=1e-15)


# ---------------------------------------------------------------- the one table
def test_init_fns_is_the_scratch_rules_then_the_whole_catalogue():
    catalogue = [initializers.snake_case(cls.__name__) for cls in initializers.CATALOGUE]
    assert list(F.INIT_FNS) == [*F.SCRATCH_RULES, *catalogue]
    assert list(F.CATALOGUE_INIT_FNS) == catalogue
    assert "xavier_init" not in F.INIT_FNS  # lecun_init under a wrong name is not offered twice
    for name, init_fn in F.INIT_FNS.items():
        weights = F.draw_weights(init_fn, 6, 4, np.random.default_rng(0))
        assert weights.shape == (6, 4), name
    assert F.INIT_FNS["he_init"] is F.he_init
    assert F.init_fn_label("he_init") == "He, randn·√(2/fan_in) (scratch)"
    assert F.init_fn_label("orthogonal") == "orthogonal (Keras)"
    with pytest.raises(ValueError, match="Unknown initializer: name='xavier'"):
        F.init_fn_label("xavier")


def test_the_sources_names_still_import_from_experiment():
    for name in (
        "small_random_init",
        "big_random_init",
        "lecun_init",
        "xavier_init",
        "glorot_init",
        "he_init",
        "weight_initializer",
        "weight_initializer_for_relu",
        "weight_initializer_for_sigmoid",
    ):
        assert getattr(experiment, name) is getattr(F, name)
    assert callable(experiment.forward_prop)


def test_the_sources_layer_dictionaries_draw_from_their_rng():
    sizes = [4, 3, 2]
    first = F.weight_initializer_for_relu(sizes, rng=5)
    again = F.weight_initializer_for_relu(sizes, rng=np.random.default_rng(5))
    rng = np.random.default_rng(5)
    by_hand = {
        "W1": math.sqrt(2 / 4) * rng.standard_normal((3, 4)),
        "W2": math.sqrt(2 / 3) * rng.standard_normal((2, 3)),
    }
    for name in ("W1", "W2"):
        np.testing.assert_array_equal(first[name], again[name])
        np.testing.assert_allclose(first[name], by_hand[name], rtol=1e-15)
    assert not np.array_equal(F.weight_initializer(sizes, rng=6)["W1"], first["W1"])
