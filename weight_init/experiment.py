r"""The deep-net experiment of the series: push data through many layers and watch it.

Shape convention: Keras layout. A weight matrix is ``(fan_in, fan_out)``, a batch of
activations is ``(samples, units)``, and a layer computes :math:`z = x W`, :math:`a = \phi(z)`
(no bias, as in the classic experiment).

The seed notebook's call form keeps working::

    acts, means, stds = forward_prop([500] * 10, small_random_init)

``acts`` is a dict keyed ``0 .. L-1`` of ``(samples, units)`` arrays and ``means`` and
``stds`` are lists indexed the same way. The defaults reproduce that experiment: 1000
samples of a 500-dimensional standard normal input, tanh, seed 0.

:func:`propagate` is the same pass with the backward view: for an upstream gradient
:math:`\partial L/\partial a_L \sim \mathcal{N}(0, 1)` it back-propagates

.. math::

    \frac{\partial L}{\partial z_l} = \frac{\partial L}{\partial a_l} \odot \phi'(z_l), \qquad
    \frac{\partial L}{\partial W_l} = a_{l-1}^\top \frac{\partial L}{\partial z_l}, \qquad
    \frac{\partial L}{\partial a_{l-1}} = \frac{\partial L}{\partial z_l} W_l^\top.

The sources' scratch initializers live in :mod:`weight_init.init_fns` (with an explicit
``rng``); they can be imported from here too, as the source's code does.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field
from typing import Optional, Sequence

import numpy as np

from ._checks import check_int, check_layer_sizes, check_number
from .activations import ActivationLike, get_activation
from .init_fns import InitFn, draw_weights

# The sources' init functions, importable from here as their code does.
from .init_fns import big_random_init as big_random_init
from .init_fns import glorot_init as glorot_init
from .init_fns import he_init as he_init
from .init_fns import lecun_init as lecun_init
from .init_fns import small_random_init as small_random_init
from .init_fns import weight_initializer as weight_initializer
from .init_fns import weight_initializer_for_relu as weight_initializer_for_relu
from .init_fns import weight_initializer_for_sigmoid as weight_initializer_for_sigmoid
from .init_fns import xavier_init as xavier_init
from .randomness import SeedLike, make_rng


# --------------------------------------------------------------------------------------
# The experiment
# --------------------------------------------------------------------------------------
@dataclass
class NetworkPass:
    """Everything one forward (and optional backward) pass produced, layer by layer.

    The package's one layer convention (as :class:`weight_init.training.ForwardPass`):
    layers are numbered ``1 .. L`` and every per-layer list holds layer ``l`` at index
    ``l - 1``, so ``activations[0]`` is the first layer's output ``a_1`` and the input
    ``a_0`` is ``inputs``. The seed's ``acts`` dict is indexed the same way. Shapes: ``inputs``
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
    r"""Per-layer :math:`\mathbb{E}[x^2]` over all entries: the quantity He's rule keeps at 1 for
    ReLU."""
    return [float(np.dot(a.ravel(), a.ravel())) / a.size for a in arrays]


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
    r"""Run the deep-net experiment and return every intermediate array.

    ``inputs`` (``(samples, features)``) defaults to :math:`\mathcal{N}(0, 1)` of shape
    ``(n_samples, input_dim)`` drawn from ``seed``. Weights come from ``init_fn`` layer
    by layer; if ``init_fn`` takes an ``rng`` keyword it receives the same generator, so
    one seed fixes the whole experiment. With ``backward=True`` the pre-activations ``z_l``
    are kept and an upstream gradient :math:`\partial L/\partial a_L \sim \mathcal{N}(0, 1)` (from
    the same generator) is back-propagated.

    ``bias_std > 0`` adds a bias :math:`b_l \sim \mathcal{N}(0, \text{bias\_std}^2)` to each layer,
    :math:`z = x W + b` (the :math:`\sigma_b` of mean-field theory), drawn right after that layer's
    weights; the default 0 draws nothing, so the classic bias-free experiment is unchanged.
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
        w = draw_weights(init_fn, layer_input.shape[1], fan_out, rng)
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
    return [later / earlier for earlier, later in itertools.pairwise(numbers)]


def backward_ratios(values: Sequence[float]) -> list[float]:
    """Per-layer factors ``values[l] / values[l + 1]``: how much a gradient changes on its way
    back through one layer (index ``l`` is the layer it arrives at)."""
    return [1.0 / ratio for ratio in layer_ratios(values)]


def layer_jacobian_singular_values(
    net: NetworkPass, layer: int, activation: ActivationLike, samples: int = 3
) -> np.ndarray:
    r"""Singular values of one layer's Jacobian
    :math:`\partial a_l/\partial a_{l-1} = \operatorname{diag}(\phi'(z_l)) \cdot W_l^\top`.

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
    layer = check_int(layer, "layer", minimum=0, maximum=len(net.weights) - 1)
    samples = check_int(samples, "samples", minimum=1, maximum=net.inputs.shape[0])
    slopes = get_activation(activation).derivative(
        net.pre_activations[layer][:samples]
    )  # (samples, fan_out)
    jacobians = slopes[:, :, None] * net.weights[layer].T[None, :, :]
    return np.linalg.svd(jacobians, compute_uv=False)


def signal_ratios(net: NetworkPass) -> tuple[float, float]:
    r"""How much of the signal survives the depth of ``net`` (a pass with ``backward=True``).

    Returns ``(forward, backward)``: :math:`\text{forward} = \mathbb{E}[z_L^2] / \mathbb{E}[z_1^2]`
    (pre-activations of the last layer over the first) and
    :math:`\text{backward} = \mathbb{E}[\delta_1^2] / \mathbb{E}[\delta_L^2]` with
    :math:`\delta = \partial L/\partial z` (gradient reaching the first layer over the gradient at
    the last). 1 means the signal keeps its size; far below 1 it vanishes, far above it explodes.
    """
    if not net.pre_activation_grads:
        raise ValueError(
            "signal_ratios needs a pass with backward=True (no gradients were computed)."
        )
    forward = second_moments([net.pre_activations[0], net.pre_activations[-1]])
    backward = second_moments([net.pre_activation_grads[0], net.pre_activation_grads[-1]])
    return forward[1] / forward[0], backward[0] / backward[1]


def input_dependent_ratio(net: NetworkPass) -> float:
    r"""How much of the *input-dependent* signal survives the depth of ``net``.

    ``Var_n(z_L) / Var_n(z_1)``: for every unit, the variance of its pre-activation across the
    samples (the part of ``z`` that changes with the input), averaged over the units of the
    last layer, over the same for the first. Unlike :math:`\mathbb{E}[z^2]` it does not count an
    offset that every input shares (sigmoid's mean of 1/2, ReLU's positive mean, pushed through the
    weights): a net whose units output the same number for every input scores 0.
    """
    first, last = net.pre_activations[0], net.pre_activations[-1]
    return float(np.mean(last.var(axis=0)) / np.mean(first.var(axis=0)))


def activation_initializer_table(
    activations: Sequence[ActivationLike],
    init_fns: dict[str, InitFn],
    hidden_layer_sizes: Sequence[int],
    seeds: Sequence[int] = (0, 1, 2),
    n_samples: int = 300,
    input_dim: Optional[int] = None,
) -> dict[tuple[str, str], np.ndarray]:
    r""":func:`signal_ratios` and :func:`input_dependent_ratio` for every activation × initializer.

    Returns ``{(activation name, initializer name): array of shape (len(seeds), 3)}`` whose
    columns are one seed's forward ratio :math:`\mathbb{E}[z_L^2]/\mathbb{E}[z_1^2]`, backward ratio
    :math:`\mathbb{E}[\delta_1^2]/\mathbb{E}[\delta_L^2]` and input-dependent ratio
    ``Var_n(z_L)/Var_n(z_1)``. ``init_fns`` maps each initializer's name to its ``init_fn``.
    ``input_dim`` defaults to the first hidden width; inputs are :math:`\mathcal{N}(0, 1)`.
    """
    sizes = check_layer_sizes(hidden_layer_sizes, "hidden_layer_sizes")
    if not seeds:
        raise ValueError(f"seeds must list at least one seed; received seeds={list(seeds)!r}.")
    table = {}
    for activation in activations:
        act = get_activation(activation)
        for name, init_fn in init_fns.items():
            runs = []
            for seed in seeds:
                net = propagate(
                    sizes,
                    init_fn,
                    activation=act,
                    n_samples=n_samples,
                    input_dim=sizes[0] if input_dim is None else input_dim,
                    seed=seed,
                )
                runs.append((*signal_ratios(net), input_dependent_ratio(net)))
            table[(act.name, name)] = np.array(runs)
    return table
