r"""Dynamical isometry: singular values of products of random matrices and of a net's Jacobian.

Shapes: kernels are ``(fan_in, fan_out)`` (Keras layout) and a layer computes
:math:`a_l = \phi(a_{l-1} W_l + b_l)`. The input-output Jacobian of an ``L``-layer net at one input
is

.. math::

    J = \frac{\partial a_L}{\partial a_0} = D_L W_L^\top \cdots D_1 W_1^\top, \qquad
    D_l = \operatorname{diag}(\phi'(z_l)),

so :math:`J^\top = W_1 D_1 W_2 D_2 \cdots W_L D_L` (shape ``(n_0, n_L)``), which is what
:func:`jacobian_singular_values` builds. A net is *dynamically isometric* when all singular
values of ``J`` are close to 1: then every direction of the input, and every direction of the
gradient on the way back, keeps its size.

Pennington, Schoenholz & Ganguli (2017) predict the spread of the squared singular values
:math:`\lambda` of ``J`` at criticality
(:math:`\mathbb{E}[\lambda] = \sigma_w^2 \mathbb{E}[\phi'(z)^2] = \chi_1 = 1`) for wide layers:

.. math::

    \operatorname{Var}(\lambda) = L \left(\frac{\mu_2}{\mu_1^2} - 1 - s_1\right), \qquad
    \mu_k = \mathbb{E}[\phi'(z)^{2k}], \quad z \sim \mathcal{N}(0, q^*),

with :math:`s_1 = -1` for Gaussian and ``0`` for orthogonal weights (the first coefficient of the
power series of the S-transform of :math:`W^\top W`, not a moment). Linear: ``L`` (Gaussian)
and ``0`` (orthogonal); ReLU: :math:`\mu_2/\mu_1^2 = 2`, so never 0; tanh:
:math:`\mu_2/\mu_1^2 \to 1` as :math:`q^* \to 0`, so orthogonal weights approach isometry.
:func:`critical_point` gives the :math:`(\sigma_w^2, \sigma_b^2)` that put a net at a chosen
:math:`q^*` with :math:`\chi_1 = 1`.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np

from ._checks import check_choice, check_int, check_number
from .activations import ActivationLike, get_activation
from .experiment import NetworkPass
from .theory import activation_second_moment, derivative_second_moment, gaussian_expectation

WEIGHT_KINDS = {"gaussian": -1.0, "orthogonal": 0.0}
r""":math:`s_1`, the first coefficient of the S-transform of :math:`W^\top W`, for each kind of
weight matrix."""


def product_singular_values(matrices: Sequence[np.ndarray]) -> list[np.ndarray]:
    r"""Singular values (largest first) of the running products ``M_1``, ``M_1 M_2``, …,
    :math:`M_1 \cdots M_L`.

    ``matrices[l]`` is :math:`(n_l, n_{l+1})`; entry ``l`` of the result belongs to the product of
    the first ``l + 1`` matrices.
    """
    if len(matrices) == 0:
        raise ValueError("matrices must hold at least one matrix; received an empty sequence.")
    spectra, product = [], None
    for index, matrix in enumerate(matrices):
        matrix = np.asarray(matrix, dtype=float)
        if matrix.ndim != 2 or (product is not None and product.shape[1] != matrix.shape[0]):
            raise ValueError(
                f"matrices[{index}] has shape {matrix.shape}; it must be 2-D and match the "
                f"previous product's columns ({None if product is None else product.shape[1]})."
            )
        product = matrix if product is None else product @ matrix
        spectra.append(np.linalg.svd(product, compute_uv=False))
    return spectra


def jacobian_singular_values(
    net: NetworkPass, activation: ActivationLike, samples: int = 1
) -> np.ndarray:
    r"""Singular values of the input-output Jacobian :math:`\partial a_L/\partial a_0` at the first
    ``samples`` inputs.

    ``net`` is a :func:`weight_init.experiment.propagate` pass made with ``backward=True`` (it
    keeps the pre-activations ``z_l``). Returns ``(samples, min(n_0, n_L))``, largest first.
    """
    if not net.pre_activations:
        raise ValueError("jacobian_singular_values needs a pass with backward=True (it keeps z_l).")
    samples = check_int(samples, "samples")
    if samples > net.inputs.shape[0]:
        raise ValueError(
            f"samples must be at most the {net.inputs.shape[0]} inputs of net; received "
            f"samples={samples}."
        )
    act = get_activation(activation)
    transpose = np.broadcast_to(
        np.eye(net.inputs.shape[1]), (samples,) + (net.inputs.shape[1],) * 2
    )
    for w, z in zip(net.weights, net.pre_activations):
        transpose = (transpose @ w) * act.derivative(z[:samples])[
            :, None, :
        ]  # Jᵀ = W_1 D_1 ⋯ W_l D_l
    return np.linalg.svd(transpose, compute_uv=False)


def critical_point(q_star: float, activation: ActivationLike = "tanh") -> tuple[float, float]:
    r""":math:`(\sigma_w^2, \sigma_b^2)` for which :math:`q^*` is the fixed point of the variance
    map and :math:`\chi_1 = 1`.

    :math:`\chi_1 = \sigma_w^2 \mathbb{E}[\phi'(z)^2] = 1` gives
    :math:`\sigma_w^2 = 1 / \mathbb{E}[\phi'(z)^2]`; the fixed point
    :math:`q^* = \sigma_w^2 \mathbb{E}[\phi(z)^2] + \sigma_b^2` then gives :math:`\sigma_b^2`
    (:math:`z \sim \mathcal{N}(0, q^*)`). Only :math:`q^*` with :math:`\sigma_b^2 \ge 0` exist; for
    ReLU every :math:`q^*` gives ``(2, 0)``.
    """
    q_star = check_number(q_star, "q_star", positive=True)
    sigma_w2 = 1.0 / derivative_second_moment(activation, q_star)
    sigma_b2 = q_star - sigma_w2 * activation_second_moment(activation, q_star)
    if sigma_b2 < -1e-12 * q_star:
        raise ValueError(
            f"q_star={q_star} cannot be a critical fixed point for "
            f"{get_activation(activation).name}: "
            f"it would need sigma_b2={sigma_b2:.3g} < 0."
        )
    return sigma_w2, max(sigma_b2, 0.0)


def derivative_moment_ratio(activation: ActivationLike, q_star: float) -> float:
    r""":math:`\mu_2/\mu_1^2` with :math:`\mu_k = \mathbb{E}[\phi'(z)^{2k}]`,
    :math:`z \sim \mathcal{N}(0, q^*)`: 1 for linear, 2 for ReLU.

    For the piecewise-linear activations (``Activation.slopes``, a derivative that is constant
    on each side of 0) the moments are exact, :math:`\mu_k = (s_+^{2k} + s_-^{2k}) / 2`; otherwise
    quadrature.
    """
    act = get_activation(activation)
    mu1 = derivative_second_moment(act, q_star)  # exact for the piecewise-linear ones
    mu2 = act.derivative_moment(4)
    if mu2 is None:
        mu2 = gaussian_expectation(lambda z: act.derivative(z) ** 4, q_star)
    return mu2 / mu1**2


def predicted_jacobian_variance(
    depth: int, activation: ActivationLike, q_star: float, weights: str
) -> float:
    r"""Pennington et al.'s :math:`\operatorname{Var}(\lambda) = L (\mu_2/\mu_1^2 - 1 - s_1)`, for
    the eigenvalues of :math:`J J^\top` at criticality."""
    weights = check_choice(weights, "weights", sorted(WEIGHT_KINDS))
    depth = check_int(depth, "depth")
    return depth * (derivative_moment_ratio(activation, q_star) - 1.0 - WEIGHT_KINDS[weights])
