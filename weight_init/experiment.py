"""The deep-net experiment of the series: push data through many layers and watch it.

Shape convention: Keras layout. A weight matrix is ``(fan_in, fan_out)``, a batch of
activations is ``(samples, units)``, and a layer computes ``z = x @ W``, ``a = φ(z)``
(no bias, as in the classic experiment).

The seed notebook's call form keeps working::

    acts, means, stds = forward_prop([500] * 10, small_random_init)

``acts`` is a dict keyed ``0 .. L-1`` of ``(samples, units)`` arrays and ``means`` and
``stds`` are lists indexed the same way. The defaults reproduce that experiment: 1000
samples of a 500-dimensional standard normal input, tanh, seed 0.

:func:`propagate` is the same pass with the backward view: for an upstream gradient
``∂L/∂a_L ~ N(0, 1)`` it back-propagates

    ∂L/∂z_l = ∂L/∂a_l ⊙ φ'(z_l),   ∂L/∂W_l = a_{l-1}ᵀ ∂L/∂z_l,   ∂L/∂a_{l-1} = ∂L/∂z_l W_lᵀ.

The scratch initializers here are the seeds' code, written with an explicit ``rng``.
"""

from __future__ import annotations

import inspect
import math
from dataclasses import dataclass, field
from typing import Any, Callable, Optional, Sequence, Union

import numpy as np

from . import initializers
from ._checks import check_layer_sizes, check_number
from .activations import Activation, ArrayFunction, get_activation
from .randomness import SeedLike, make_rng

InitFn = Callable[..., np.ndarray]
"""``init_fn(fan_in, fan_out)`` (optionally ``rng=``) returning a ``(fan_in, fan_out)`` matrix."""

ActivationLike = Union[str, Activation, ArrayFunction]


# --------------------------------------------------------------------------------------
# Seed 002's scratch initializers: W = std * randn(fan_in, fan_out)
# --------------------------------------------------------------------------------------
def _scaled_normal(fan_in: int, fan_out: int, std: float, rng: SeedLike) -> np.ndarray:
    return std * make_rng(rng).standard_normal((fan_in, fan_out))


def small_random_init(fan_in: int, fan_out: int, rng: SeedLike = None) -> np.ndarray:
    """``0.01 · N(0, 1)``, shape ``(fan_in, fan_out)``: the classic "small random numbers"."""
    return _scaled_normal(fan_in, fan_out, 0.01, rng)


def big_random_init(fan_in: int, fan_out: int, rng: SeedLike = None) -> np.ndarray:
    """``1 · N(0, 1)``, shape ``(fan_in, fan_out)``: unit-variance weights, no fan scaling."""
    return _scaled_normal(fan_in, fan_out, 1.0, rng)


def lecun_init(fan_in: int, fan_out: int, rng: SeedLike = None) -> np.ndarray:
    """LeCun's rule ``N(0, 1) / sqrt(fan_in)``, so ``Var(W) = 1 / fan_in``; shape ``(fan_in, fan_out)``."""
    return _scaled_normal(fan_in, fan_out, 1.0 / math.sqrt(fan_in), rng)


def xavier_init(fan_in: int, fan_out: int, rng: SeedLike = None) -> np.ndarray:
    """The seed's name for ``randn(fan_in, fan_out) / sqrt(fan_in)``, kept so its code runs.

    The name is wrong: ``Var(W) = 1 / fan_in`` is LeCun's rule (see :func:`lecun_init`).
    Glorot and Bengio's ("Xavier") rule is ``Var(W) = 2 / (fan_in + fan_out)``
    (see :func:`glorot_init`). The two agree only when ``fan_in == fan_out``.
    """
    return lecun_init(fan_in, fan_out, rng)


def glorot_init(fan_in: int, fan_out: int, rng: SeedLike = None) -> np.ndarray:
    """Glorot/Xavier normal ``N(0, 1) · sqrt(2 / (fan_in + fan_out))``; shape ``(fan_in, fan_out)``."""
    return _scaled_normal(fan_in, fan_out, math.sqrt(2.0 / (fan_in + fan_out)), rng)


def he_init(fan_in: int, fan_out: int, rng: SeedLike = None) -> np.ndarray:
    """He/Kaiming normal ``N(0, 1) · sqrt(2 / fan_in)``, for ReLU; shape ``(fan_in, fan_out)``."""
    return _scaled_normal(fan_in, fan_out, math.sqrt(2.0 / fan_in), rng)


# --------------------------------------------------------------------------------------
# Seed 000's scratch initializers: {"W1": (l[1], l[0]), ...}, PyTorch's (out, in) layout
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


def weight_initializer(l: Sequence[int], rng: SeedLike = None) -> dict[str, np.ndarray]:
    """Seed 000's plain random init: ``W_i ~ N(0, 1)`` of shape ``(l[i], l[i-1])`` (out, in)."""
    return _layer_dictionary(l, lambda fan_in, fan_out: 1.0, rng)


def weight_initializer_for_relu(l: Sequence[int], rng: SeedLike = None) -> dict[str, np.ndarray]:
    """Seed 000's He init: ``W_i ~ N(0, 1) · sqrt(2 / l[i-1])``, shape ``(l[i], l[i-1])``."""
    return _layer_dictionary(l, lambda fan_in, fan_out: math.sqrt(2.0 / fan_in), rng)


def weight_initializer_for_sigmoid(l: Sequence[int], rng: SeedLike = None) -> dict[str, np.ndarray]:
    """Seed 000's Glorot init: ``W_i ~ N(0, 1) · sqrt(2 / (l[i-1] + l[i]))``, shape ``(l[i], l[i-1])``."""
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
    ``Generator`` continues its stream (so :func:`propagate` draws every layer from one
    seed), ``None`` a fresh draw.
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
        return type(template).from_config(arguments)(shape, dtype=np.float64)

    init_fn.__name__ = initializers.snake_case(type(template).__name__)
    return init_fn


# --------------------------------------------------------------------------------------
# The experiment
# --------------------------------------------------------------------------------------
@dataclass
class NetworkPass:
    """Everything one forward (and optional backward) pass produced, layer by layer.

    Lists are indexed ``0 .. L-1`` like the seed's ``acts`` dict. Shapes: ``inputs``
    ``(samples, input_dim)``; ``weights[l]`` ``(fan_in, fan_out)``; ``pre_activations[l]``,
    ``activations[l]`` and ``pre_activation_grads[l]`` ``(samples, units_l)``;
    ``weight_grads[l]`` like ``weights[l]``. Without a backward pass ``pre_activations``
    and the gradient lists are empty (keeping ``z_l`` would slow the forward-only pass).
    ``biases[l]`` ``(units_l,)`` is empty unless biases were drawn.
    """

    inputs: np.ndarray
    weights: list[np.ndarray]
    pre_activations: list[np.ndarray]
    activations: list[np.ndarray]
    pre_activation_grads: list[np.ndarray]
    weight_grads: list[np.ndarray]
    biases: list[np.ndarray] = field(default_factory=list)


def mean_and_std(values: np.ndarray) -> tuple[float, float]:
    """Population mean and standard deviation of all entries, as Python floats."""
    flat = values.ravel()
    mean = float(flat.mean())
    centred = flat - mean
    return mean, math.sqrt(float(np.dot(centred, centred)) / flat.size)


def layer_stats(arrays: Sequence[np.ndarray]) -> tuple[list[float], list[float]]:
    """Per-layer ``(means, stds)`` of a list of arrays."""
    pairs = [mean_and_std(a) for a in arrays]
    return [m for m, _ in pairs], [s for _, s in pairs]


def second_moments(arrays: Sequence[np.ndarray]) -> list[float]:
    """Per-layer ``E[x²]`` over all entries: the quantity He's rule keeps at 1 for ReLU."""
    return [float(np.dot(a.ravel(), a.ravel())) / a.size for a in arrays]


def _accepts_rng(init_fn: InitFn) -> bool:
    try:
        return "rng" in inspect.signature(init_fn).parameters
    except (TypeError, ValueError):
        return False


def _draw_weights(
    init_fn: InitFn, fan_in: int, fan_out: int, rng: np.random.Generator
) -> np.ndarray:
    weights = (
        init_fn(fan_in, fan_out, rng=rng) if _accepts_rng(init_fn) else init_fn(fan_in, fan_out)
    )
    weights = np.asarray(weights)
    if weights.shape != (fan_in, fan_out):
        raise ValueError(
            f"init_fn must return a (fan_in, fan_out) = ({fan_in}, {fan_out}) matrix; "
            f"{getattr(init_fn, '__name__', init_fn)!r} returned shape {weights.shape}."
        )
    return weights


def propagate(
    hidden_layer_sizes: Sequence[int],
    init_fn: InitFn,
    activation: ActivationLike = "tanh",
    inputs: Optional[np.ndarray] = None,
    n_samples: int = 1000,
    input_dim: int = 500,
    seed: SeedLike = 0,
    backward: bool = True,
    bias_std: float = 0.0,
) -> NetworkPass:
    """Run the deep-net experiment and return every intermediate array.

    ``inputs`` (``(samples, features)``) defaults to ``N(0, 1)`` of shape
    ``(n_samples, input_dim)`` drawn from ``seed``. Weights come from ``init_fn`` layer
    by layer; if ``init_fn`` takes an ``rng`` keyword it receives the same generator, so
    one seed fixes the whole experiment. With ``backward=True`` the pre-activations ``z_l``
    are kept and an upstream gradient ``∂L/∂a_L ~ N(0, 1)`` (from the same generator) is
    back-propagated.

    ``bias_std > 0`` adds a bias ``b_l ~ N(0, bias_std²)`` to each layer, ``z = x @ W + b``
    (the σ_b of mean-field theory), drawn right after that layer's weights; the default 0
    draws nothing, so the classic bias-free experiment is unchanged.
    """
    sizes = check_layer_sizes(hidden_layer_sizes, "hidden_layer_sizes")
    bias_std = check_number(bias_std, "bias_std", minimum=0.0)
    act = get_activation(activation)
    rng = make_rng(seed)
    if inputs is None:
        check_layer_sizes([n_samples, input_dim], "(n_samples, input_dim)")
        x = rng.standard_normal((n_samples, input_dim))
    else:
        x = np.asarray(inputs)
        if x.ndim != 2 or 0 in x.shape:
            raise ValueError(
                f"inputs must be a non-empty (samples, features) matrix; received shape {x.shape}."
            )

    weights, biases, pre_activations, activations = [], [], [], []
    layer_input = x
    for fan_out in sizes:
        w = _draw_weights(init_fn, layer_input.shape[1], fan_out, rng)
        z = layer_input @ w
        if bias_std > 0:
            b = bias_std * rng.standard_normal(fan_out)
            z += b
            biases.append(b)
        layer_input = act.forward(z)
        weights.append(w)
        activations.append(layer_input)
        if backward:
            pre_activations.append(z)

    pre_activation_grads: list[np.ndarray] = []
    weight_grads: list[np.ndarray] = []
    if backward:
        upstream = rng.standard_normal(activations[-1].shape)
        for layer in reversed(range(len(sizes))):
            delta = upstream * act.derivative(pre_activations[layer])
            previous = activations[layer - 1] if layer > 0 else x
            pre_activation_grads.append(delta)
            weight_grads.append(previous.T @ delta)
            upstream = delta @ weights[layer].T
        pre_activation_grads.reverse()
        weight_grads.reverse()
    return NetworkPass(
        x, weights, pre_activations, activations, pre_activation_grads, weight_grads, biases
    )


def forward_prop(
    hidden_layer_sizes: Sequence[int],
    init_fn: InitFn,
    activation: ActivationLike = "tanh",
    inputs: Optional[np.ndarray] = None,
    n_samples: int = 1000,
    input_dim: int = 500,
    seed: SeedLike = 0,
) -> tuple[dict[int, np.ndarray], list[float], list[float]]:
    """The seed's experiment: ``(acts, means, stds)`` of each hidden layer's activations.

    ``acts[l]`` is layer ``l``'s ``(samples, units)`` output for ``l = 0 .. L-1``;
    ``means[l]`` and ``stds[l]`` summarise it. Arguments as in :func:`propagate`
    (forward pass only).
    """
    result = propagate(
        hidden_layer_sizes,
        init_fn,
        activation=activation,
        inputs=inputs,
        n_samples=n_samples,
        input_dim=input_dim,
        seed=seed,
        backward=False,
    )
    means, stds = layer_stats(result.activations)
    return dict(enumerate(result.activations)), means, stds


# --------------------------------------------------------------------------------------
# Measurements behind the classic rules: shrink factors, layer Jacobians, health tables
# --------------------------------------------------------------------------------------
def layer_ratios(values: Sequence[float]) -> list[float]:
    """Per-layer factors ``values[l + 1] / values[l]`` for ``l = 0 .. L-2``.

    Applied to per-layer activation stds this is the forward shrink (or growth) factor of
    each layer; applied to gradient stds, read it backwards: ``values[l] / values[l + 1]``
    is ``1 / ratio`` (see :func:`backward_ratios`).
    """
    numbers = [float(v) for v in values]
    if len(numbers) < 2:
        raise ValueError(f"values must hold at least two layers; received values={numbers!r}.")
    if any(v == 0 for v in numbers[:-1]):
        raise ValueError(f"values must be non-zero to form ratios; received values={numbers!r}.")
    return [later / earlier for earlier, later in zip(numbers, numbers[1:])]


def backward_ratios(values: Sequence[float]) -> list[float]:
    """Per-layer factors ``values[l] / values[l + 1]``: how much a gradient changes on its way
    back through one layer (index ``l`` is the layer it arrives at)."""
    return [1.0 / ratio for ratio in layer_ratios(values)]


def layer_jacobian_singular_values(
    net: NetworkPass, layer: int, activation: ActivationLike, samples: int = 3
) -> np.ndarray:
    """Singular values of one layer's Jacobian ``∂a_l/∂a_{l-1} = diag(φ'(z_l)) · W_lᵀ``.

    ``W_l`` is ``(fan_in, fan_out)``, so the Jacobian is ``(fan_out, fan_in)``. It depends on
    the sample through ``z_l``; it is evaluated at the first ``samples`` inputs of ``net``, a
    :func:`propagate` pass with ``backward=True`` (it keeps ``z_l``).
    Returns an array of shape ``(samples, min(fan_in, fan_out))``, largest value first in
    each row. Glorot and Bengio (2010) report the mean of these values.
    """
    if not net.pre_activations:
        raise ValueError(
            "layer_jacobian_singular_values needs a pass with backward=True (it keeps z_l)."
        )
    count = len(net.weights)
    if (
        isinstance(layer, (bool, np.bool_))
        or not isinstance(layer, (int, np.integer))
        or not (0 <= layer < count)
    ):
        raise ValueError(f"layer must be an int in 0 .. {count - 1}; received layer={layer!r}.")
    if (
        isinstance(samples, (bool, np.bool_))
        or not isinstance(samples, (int, np.integer))
        or not (1 <= samples <= net.inputs.shape[0])
    ):
        raise ValueError(
            f"samples must be an int in 1 .. {net.inputs.shape[0]}; received samples={samples!r}."
        )
    slopes = get_activation(activation).derivative(
        net.pre_activations[layer][:samples]
    )  # (samples, fan_out)
    jacobians = slopes[:, :, None] * net.weights[layer].T[None, :, :]
    return np.linalg.svd(jacobians, compute_uv=False)


def signal_ratios(net: NetworkPass) -> tuple[float, float]:
    """How much of the signal survives the depth of ``net`` (a pass with ``backward=True``).

    Returns ``(forward, backward)``: ``forward = E[z_L²] / E[z_1²]`` (pre-activations of the
    last layer over the first) and ``backward = E[δ_1²] / E[δ_L²]`` with ``δ = ∂L/∂z``
    (gradient reaching the first layer over the gradient at the last). 1 means the signal
    keeps its size; far below 1 it vanishes, far above it explodes.
    """
    if not net.pre_activation_grads:
        raise ValueError(
            "signal_ratios needs a pass with backward=True (no gradients were computed)."
        )
    forward = second_moments([net.pre_activations[0], net.pre_activations[-1]])
    backward = second_moments([net.pre_activation_grads[0], net.pre_activation_grads[-1]])
    return forward[1] / forward[0], backward[0] / backward[1]


def activation_initializer_table(
    activations: Sequence[ActivationLike],
    init_fns: dict[str, InitFn],
    hidden_layer_sizes: Sequence[int],
    seeds: Sequence[int] = (0, 1, 2),
    n_samples: int = 300,
    input_dim: Optional[int] = None,
) -> dict[tuple[str, str], np.ndarray]:
    """:func:`signal_ratios` for every activation × initializer, over several seeds.

    Returns ``{(activation name, initializer name): array of shape (len(seeds), 2)}`` whose
    columns are the forward and backward ratios of one seed's net. ``init_fns`` maps each
    initializer's name to its ``init_fn``. ``input_dim`` defaults to the first hidden width;
    inputs are ``N(0, 1)``.
    """
    sizes = check_layer_sizes(hidden_layer_sizes, "hidden_layer_sizes")
    if not seeds:
        raise ValueError(f"seeds must list at least one seed; received seeds={list(seeds)!r}.")
    table = {}
    for activation in activations:
        act = get_activation(activation)
        for name, init_fn in init_fns.items():
            runs = [
                signal_ratios(
                    propagate(
                        sizes,
                        init_fn,
                        activation=act,
                        n_samples=n_samples,
                        input_dim=sizes[0] if input_dim is None else input_dim,
                        seed=seed,
                    )
                )
                for seed in seeds
            ]
            table[(act.name, name)] = np.array(runs)
    return table
