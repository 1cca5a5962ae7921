r"""Activation functions, their derivatives and their gains, in one table.

Each entry of :data:`ACTIVATIONS` is an :class:`Activation` holding

* ``forward(z)``: the function applied element-wise to pre-activations ``z``;
* ``derivative(z)``: :math:`d\phi/dz` at the same pre-activations, used by back-propagation;
* ``gain``: the recommended initialization gain, the same value as PyTorch's
  ``torch.nn.init.calculate_gain``:

  ======================  ===============================================
  linear, sigmoid         :math:`1`
  tanh                    :math:`5/3`
  relu                    :math:`\sqrt{2}`
  leaky_relu (slope a)    :math:`\sqrt{2 / (1 + a^2)}`, :math:`a = 0.01`
  selu                    :math:`3/4`
  ======================  ===============================================

An initializer multiplies its standard deviation by ``gain`` (variance by :math:`\text{gain}^2`).
For linear, ReLU and leaky ReLU the gain is exact:
:math:`\text{gain}^2 \cdot \mathbb{E}[\phi(z)^2] = \mathbb{E}[z^2]` for zero-mean symmetric ``z``,
so the forward second moment stays steady. For tanh, sigmoid and selu it is a convention (PyTorch's
3/4 for selu trades self-normalization for gradient flow; a self-normalizing net uses gain 1).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable, Optional, Union

import numpy as np

from ._checks import check_number

ArrayFunction = Callable[[np.ndarray], np.ndarray]
r"""A function applied element-wise to an array, :math:`\phi(z)`."""

LEAKY_RELU_SLOPE = 0.01
SELU_ALPHA = 1.6732632423543772848170429916717
SELU_SCALE = 1.0507009873554804934193349852946


@dataclass(frozen=True)
class Activation:
    r"""An activation :math:`\phi` with its derivative :math:`\phi'` and its initialization gain.

    ``slopes`` is :math:`(\phi'(z > 0), \phi'(z < 0))` for a piecewise-linear :math:`\phi`
    through 0 (linear, ReLU, leaky ReLU), whose Gaussian moments are then exact:
    :math:`\mathbb{E}[\phi(z)^2] = q (s_+^2 + s_-^2) / 2` and
    :math:`\mathbb{E}[\phi'(z)^{2k}] = (s_+^{2k} + s_-^{2k}) / 2` for
    :math:`z \sim \mathcal{N}(0, q)`; ``None`` for every other :math:`\phi`.
    """

    name: str
    forward: ArrayFunction
    derivative: ArrayFunction
    gain: float
    slopes: Optional[tuple[float, float]] = None

    def derivative_moment(self, power: int) -> Optional[float]:
        r""":math:`\mathbb{E}[\phi'(z)^\text{power}]`, :math:`z \sim \mathcal{N}(0, q)` (any ``q``),
        if :math:`\phi` is piecewise linear; else None."""
        if self.slopes is None:
            return None
        positive, negative = self.slopes
        return (positive**power + negative**power) / 2.0


ActivationLike = Union[str, Activation, ArrayFunction]
r"""What every function taking an activation accepts: a name of :data:`ACTIVATIONS`, an
:class:`Activation`, or a callable :math:`\phi` (see :func:`get_activation`)."""


def leaky_relu_gain(slope: float = LEAKY_RELU_SLOPE) -> float:
    r""":math:`\sqrt{2 / (1 + \text{slope}^2)}`, the gain of a leaky ReLU with negative-side
    ``slope``.

    PyTorch's ``calculate_gain("leaky_relu", slope)``; ``slope = 0`` gives ReLU's :math:`\sqrt{2}`.
    """
    slope = check_number(slope, "slope")
    return math.sqrt(2.0 / (1.0 + slope**2))


def _sigmoid(z: np.ndarray) -> np.ndarray:
    # exp of a negative magnitude never overflows, so both halves are stable.
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def _sigmoid_derivative(z: np.ndarray) -> np.ndarray:
    s = _sigmoid(z)
    return s * (1.0 - s)


def _tanh_derivative(z: np.ndarray) -> np.ndarray:
    t = np.tanh(z)
    return 1.0 - t * t


def _relu(z: np.ndarray) -> np.ndarray:
    return np.maximum(z, 0.0)


def _relu_derivative(z: np.ndarray) -> np.ndarray:
    return (z > 0).astype(z.dtype)


def _leaky_relu(z: np.ndarray) -> np.ndarray:
    return np.where(z > 0, z, LEAKY_RELU_SLOPE * z)


def _leaky_relu_derivative(z: np.ndarray) -> np.ndarray:
    return np.where(z > 0, 1.0, LEAKY_RELU_SLOPE).astype(z.dtype)


def _selu(z: np.ndarray) -> np.ndarray:
    negative_part = SELU_ALPHA * np.expm1(np.minimum(z, 0.0))
    return SELU_SCALE * np.where(z > 0, z, negative_part)


def _selu_derivative(z: np.ndarray) -> np.ndarray:
    negative_part = SELU_ALPHA * np.exp(np.minimum(z, 0.0))
    return SELU_SCALE * np.where(z > 0, 1.0, negative_part)


def _identity(z: np.ndarray) -> np.ndarray:
    return z


def _ones_like(z: np.ndarray) -> np.ndarray:
    return np.ones_like(z)


ACTIVATIONS: dict[str, Activation] = {
    "tanh": Activation("tanh", np.tanh, _tanh_derivative, 5.0 / 3.0),
    "relu": Activation("relu", _relu, _relu_derivative, math.sqrt(2.0), slopes=(1.0, 0.0)),
    "sigmoid": Activation("sigmoid", _sigmoid, _sigmoid_derivative, 1.0),
    "linear": Activation("linear", _identity, _ones_like, 1.0, slopes=(1.0, 1.0)),
    "leaky_relu": Activation(
        "leaky_relu",
        _leaky_relu,
        _leaky_relu_derivative,
        leaky_relu_gain(LEAKY_RELU_SLOPE),
        slopes=(1.0, LEAKY_RELU_SLOPE),
    ),
    "selu": Activation("selu", _selu, _selu_derivative, 0.75),
}
"""Every activation by name: the one table the models, the theory and the explorer read."""


def get_activation(activation: ActivationLike) -> Activation:
    r"""Return the :class:`Activation` for a name, an ``Activation`` or a callable.

    A bare callable :math:`\phi(z)` is wrapped with a central finite-difference derivative
    (step 1e-5) and gain 1, so custom activations still get a backward pass.
    """
    if isinstance(activation, Activation):
        return activation
    if isinstance(activation, str):
        try:
            return ACTIVATIONS[activation]
        except KeyError:
            known = ", ".join(sorted(ACTIVATIONS))
            raise ValueError(
                f"Unknown activation: activation={activation!r}. Use one of: {known}, "
                "or pass a callable."
            ) from None
    if callable(activation):
        function = activation

        def numerical_derivative(z: np.ndarray, step: float = 1e-5) -> np.ndarray:
            return (function(z + step) - function(z - step)) / (2.0 * step)

        name = getattr(function, "__name__", "custom")
        return Activation(name, function, numerical_derivative, 1.0)
    raise TypeError(
        "activation must be a name, an Activation or a callable; "
        f"received activation={activation!r} of type {type(activation).__name__}."
    )


def gain(activation: str) -> float:
    """The recommended gain for ``activation`` (see the module table)."""
    return get_activation(activation).gain
