r"""The init_fn protocol: how every model of the package draws its weights, and the rules it names.

An *init_fn* is a callable ``init_fn(fan_in, fan_out, rng=...)`` returning a
``(fan_in, fan_out)`` weight matrix (Keras layout) drawn from the ``numpy.random.Generator``
``rng``. The models (:func:`weight_init.experiment.propagate`,
:func:`weight_init.training.build_mlp`, :func:`weight_init.residual.build_residual_mlp`,
:func:`weight_init.deep_linear.stacked_weights`) call it through :func:`draw_weights`, which
always passes the model's generator as ``rng=``. One seed therefore fixes every weight,
whatever the init_fn looks like: a plain function, one taking ``**kwargs``, a
``functools.partial`` or a decorated function all receive the same generator.

The source material writes its init functions as ``init_fn(fan_in, fan_out)`` drawing from
NumPy's global random state. Such a function is wrapped explicitly with
:func:`from_global_state`, which seeds the global state from the model's generator for the
one call and puts it back afterwards; passed unwrapped it is refused with a ``TypeError``.

The module holds:

* the scratch rules of the sources,
  :math:`W = \operatorname{std} \cdot \operatorname{randn}(\text{fan\_in}, \text{fan\_out})` with an
  explicit ``rng`` (:func:`small_random_init`, :func:`big_random_init`, :func:`lecun_init`,
  :func:`xavier_init`, :func:`glorot_init`, :func:`he_init`), and the sources' layer-dictionary
  builders in PyTorch's ``(out, in)`` layout (:func:`weight_initializer` and its ReLU and sigmoid
  variants);
* :func:`catalogue_init`, which turns any initializer of :mod:`weight_init.initializers`
  into an init_fn;
* :data:`INIT_FNS`, the one table from a name to its init_fn (:data:`SCRATCH_RULES` followed
  by every class of :data:`weight_init.initializers.CATALOGUE`), which the explorer, the
  tests and every count read.
"""

from __future__ import annotations

import functools
import math
from typing import Any, Callable, Sequence

import numpy as np

from . import initializers
from ._checks import check_layer_sizes
from .randomness import SeedLike, make_rng

InitFn = Callable[..., np.ndarray]
"""``init_fn(fan_in, fan_out, rng=generator)`` returning a ``(fan_in, fan_out)`` matrix."""


# --------------------------------------------------------------------------------------
# Drawing through the protocol
# --------------------------------------------------------------------------------------
def _name(init_fn: Any) -> str:
    return str(getattr(init_fn, "__name__", repr(init_fn)))


def draw_weights(
    init_fn: InitFn, fan_in: int, fan_out: int, rng: np.random.Generator
) -> np.ndarray:
    """``init_fn(fan_in, fan_out, rng=rng)`` as a float64 ``(fan_in, fan_out)`` array.

    The generator is always passed, so every init_fn that draws from its ``rng`` is
    reproducible from the model's seed. Raises ``TypeError`` when ``init_fn`` takes no
    ``rng`` (wrap a global-state function with :func:`from_global_state`) and ``ValueError``
    when it returns another shape.
    """
    if not isinstance(rng, np.random.Generator):
        raise TypeError(
            f"rng must be a numpy.random.Generator; received rng={rng!r} of type "
            f"{type(rng).__name__}."
        )
    try:
        weights = init_fn(fan_in, fan_out, rng=rng)
    except TypeError as error:
        if "'rng'" not in str(error):
            raise
        raise TypeError(
            f"init_fn must accept the generator as rng=...; {_name(init_fn)!r} does not "
            f"({error}). Wrap an init_fn(fan_in, fan_out) that draws from NumPy's global state "
            "with weight_init.init_fns.from_global_state."
        ) from error
    weights = np.array(weights, dtype=float)  # a copy: training updates it in place
    if weights.shape != (fan_in, fan_out):
        raise ValueError(
            f"init_fn must return a (fan_in, fan_out) = ({fan_in}, {fan_out}) matrix; "
            f"{_name(init_fn)!r} returned shape {weights.shape}."
        )
    return weights


def from_global_state(init_fn: Callable[[int, int], np.ndarray]) -> InitFn:
    """Wrap the sources' ``init_fn(fan_in, fan_out)``, which draws from NumPy's global state.

    The wrapper takes ``rng`` like every init_fn: it seeds the global state with a number
    drawn from ``rng``, calls ``init_fn(fan_in, fan_out)`` and restores the global state it
    found, so the same seed gives the same weights and nothing else sees the change.
    """
    if not callable(init_fn):
        raise TypeError(f"init_fn must be callable; received init_fn={init_fn!r}.")

    @functools.wraps(init_fn)
    def seeded(fan_in: int, fan_out: int, rng: SeedLike = None) -> np.ndarray:
        generator = make_rng(rng)
        # The one place the package touches NumPy's global state, and it puts it back.
        saved = np.random.get_state()  # noqa: NPY002
        np.random.seed(int(generator.integers(2**32)))  # noqa: NPY002
        try:
            return np.asarray(init_fn(fan_in, fan_out))
        finally:
            np.random.set_state(saved)  # noqa: NPY002

    return seeded


# --------------------------------------------------------------------------------------
# The sources' scratch rules: W = std · randn(fan_in, fan_out)
# --------------------------------------------------------------------------------------
def _scaled_normal(fan_in: int, fan_out: int, std: float, rng: SeedLike) -> np.ndarray:
    return std * make_rng(rng).standard_normal((fan_in, fan_out))


def small_random_init(fan_in: int, fan_out: int, rng: SeedLike = None) -> np.ndarray:
    r""":math:`0.01 \cdot \mathcal{N}(0, 1)`, shape ``(fan_in, fan_out)``: the classic "small random
    numbers"."""
    return _scaled_normal(fan_in, fan_out, 0.01, rng)


def big_random_init(fan_in: int, fan_out: int, rng: SeedLike = None) -> np.ndarray:
    r""":math:`1 \cdot \mathcal{N}(0, 1)`, shape ``(fan_in, fan_out)``: unit-variance weights, no
    fan scaling."""
    return _scaled_normal(fan_in, fan_out, 1.0, rng)


def lecun_init(fan_in: int, fan_out: int, rng: SeedLike = None) -> np.ndarray:
    r"""LeCun's rule :math:`\mathcal{N}(0, 1) / \sqrt{\text{fan\_in}}`, so
    :math:`\operatorname{Var}(W) = 1 / \text{fan\_in}`.

    Shape ``(fan_in, fan_out)``.
    """
    return _scaled_normal(fan_in, fan_out, 1.0 / math.sqrt(fan_in), rng)


def xavier_init(fan_in: int, fan_out: int, rng: SeedLike = None) -> np.ndarray:
    r"""A source's name for
    :math:`\operatorname{randn}(\text{fan\_in}, \text{fan\_out}) / \sqrt{\text{fan\_in}}`, kept so
    its code runs.

    The name is wrong: :math:`\operatorname{Var}(W) = 1 / \text{fan\_in}` is LeCun's rule (see
    :func:`lecun_init`). Glorot and Bengio's ("Xavier") rule is
    :math:`\operatorname{Var}(W) = 2 / (\text{fan\_in} + \text{fan\_out})` (see
    :func:`glorot_init`). The two agree only when ``fan_in == fan_out``.
    """
    return lecun_init(fan_in, fan_out, rng)


def glorot_init(fan_in: int, fan_out: int, rng: SeedLike = None) -> np.ndarray:
    r"""Glorot/Xavier normal
    :math:`\mathcal{N}(0, 1) \cdot \sqrt{2 / (\text{fan\_in} + \text{fan\_out})}`.

    Shape ``(fan_in, fan_out)``.
    """
    return _scaled_normal(fan_in, fan_out, math.sqrt(2.0 / (fan_in + fan_out)), rng)


def he_init(fan_in: int, fan_out: int, rng: SeedLike = None) -> np.ndarray:
    r"""He/Kaiming normal :math:`\mathcal{N}(0, 1) \cdot \sqrt{2 / \text{fan\_in}}`, for ReLU; shape
    ``(fan_in, fan_out)``."""
    return _scaled_normal(fan_in, fan_out, math.sqrt(2.0 / fan_in), rng)


SCRATCH_RULES: dict[str, tuple[InitFn, str]] = {
    init_fn.__name__: (init_fn, label)
    for init_fn, label in (
        (small_random_init, "0.01·randn"),
        (big_random_init, "1·randn"),
        (lecun_init, "LeCun, randn/√fan_in"),
        (glorot_init, "Glorot, randn·√(2/(fan_in+fan_out))"),
        (he_init, "He, randn·√(2/fan_in)"),
    )
}
"""The scratch rules a menu offers, by function name: ``(init_fn, what a menu shows)``.

``xavier_init`` is left out: it is ``lecun_init`` under a source's wrong name.
"""


# --------------------------------------------------------------------------------------
# The sources' layer dictionaries: {"W1": (l[1], l[0]), ...}, PyTorch's (out, in) layout
# --------------------------------------------------------------------------------------
def _layer_dictionary(
    layer_sizes: Sequence[int], std_rule: Callable[[int, int], float], rng: SeedLike
) -> dict[str, np.ndarray]:
    sizes = check_layer_sizes(layer_sizes, "l", minimum_length=2)
    generator = make_rng(rng)
    parameters = {}
    for i in range(1, len(sizes)):
        fan_in, fan_out = sizes[i - 1], sizes[i]
        parameters[f"W{i}"] = std_rule(fan_in, fan_out) * generator.standard_normal(
            (fan_out, fan_in)
        )
    return parameters


def weight_initializer(l: Sequence[int], rng: SeedLike = None) -> dict[str, np.ndarray]:  # noqa: E741
    r"""The source's plain random init: :math:`W_i \sim \mathcal{N}(0, 1)` of shape
    ``(l[i], l[i-1])`` (out, in)."""
    return _layer_dictionary(l, lambda fan_in, fan_out: 1.0, rng)


def weight_initializer_for_relu(l: Sequence[int], rng: SeedLike = None) -> dict[str, np.ndarray]:  # noqa: E741
    r"""The source's He init: :math:`W_i \sim \mathcal{N}(0, 1) \cdot \sqrt{2 / l[i-1]}`, shape
    ``(l[i], l[i-1])``."""
    return _layer_dictionary(l, lambda fan_in, fan_out: math.sqrt(2.0 / fan_in), rng)


def weight_initializer_for_sigmoid(
    l: Sequence[int],  # noqa: E741
    rng: SeedLike = None,
) -> dict[str, np.ndarray]:
    r"""The source's Glorot init:
    :math:`W_i \sim \mathcal{N}(0, 1) \cdot \sqrt{2 / (l[i-1] + l[i])}`.

    Shape ``(l[i], l[i-1])``.
    """
    return _layer_dictionary(l, lambda fan_in, fan_out: math.sqrt(2.0 / (fan_in + fan_out)), rng)


# --------------------------------------------------------------------------------------
# Any initializer of the Keras-equivalent catalogue, in the init_fn protocol
# --------------------------------------------------------------------------------------
def catalogue_init(identifier: Any, **config: Any) -> InitFn:
    """An ``init_fn(fan_in, fan_out, rng=None)`` drawing from a catalogue initializer.

    ``identifier`` is anything :func:`weight_init.initializers.get` takes (a name such as
    ``"he_uniform"``, a class, a config dict or an instance); ``config`` overrides its
    constructor arguments (``catalogue_init("variance_scaling", scale=2.0, mode="fan_out")``).
    Each call builds the initializer with ``seed=rng`` and returns a float64
    ``(fan_in, fan_out)`` matrix: an int ``rng`` gives Keras's values for that seed, a
    ``Generator`` continues its stream (so a model draws every layer from one seed),
    ``None`` a fresh draw.
    """
    template = initializers.get(identifier)
    if not isinstance(template, initializers.Initializer):
        raise TypeError(
            "catalogue_init needs an initializer of weight_init.initializers; "
            f"received identifier={identifier!r}."
        )
    if "seed" in config:
        raise TypeError("catalogue_init takes no seed: pass rng= to the init_fn it returns.")
    settings = {**template.get_config(), **config}
    seeded = isinstance(template, initializers.RandomInitializer)
    settings.pop("seed", None)
    type(template).from_config(settings)  # bad settings fail here, not at the first draw

    def init_fn(fan_in: int, fan_out: int, rng: SeedLike = None) -> np.ndarray:
        shape = tuple(check_layer_sizes([fan_in, fan_out], "(fan_in, fan_out)"))
        arguments = {**settings, "seed": rng} if seeded else settings
        return np.asarray(type(template).from_config(arguments)(shape, dtype=np.float64))

    init_fn.__name__ = initializers.snake_case(type(template).__name__)
    return init_fn


# --------------------------------------------------------------------------------------
# The one name → init_fn table
# --------------------------------------------------------------------------------------
CATALOGUE_INIT_FNS: dict[str, InitFn] = {
    initializers.snake_case(cls.__name__): catalogue_init(cls) for cls in initializers.CATALOGUE
}
"""Every class of :data:`weight_init.initializers.CATALOGUE` as an init_fn, by snake_case name."""

INIT_FNS: dict[str, InitFn] = {
    **{name: init_fn for name, (init_fn, _) in SCRATCH_RULES.items()},
    **CATALOGUE_INIT_FNS,
}
"""Every initializer a learner can pick by name: the scratch rules, then the catalogue."""


def init_fn_label(name: str) -> str:
    """What a menu shows for ``name``: the rule, and where it comes from."""
    if name in SCRATCH_RULES:
        return f"{SCRATCH_RULES[name][1]} (scratch)"
    if name in CATALOGUE_INIT_FNS:
        return f"{name} (Keras)"
    raise ValueError(f"Unknown initializer: name={name!r}. Use one of: {', '.join(INIT_FNS)}.")
