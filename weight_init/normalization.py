r"""Normalization layers (BatchNorm, LayerNorm) with their backward pass, and residual nets built
on them.

Shapes (Keras layout): a batch is ``(samples, features)``, every kernel ``(fan_in, fan_out)``.
Both layers standardize and then apply a learned scale :math:`\gamma` and shift :math:`\beta` (each
``(features,)``):

.. math::

    \hat{x} = \frac{x - \mu}{\sqrt{\sigma^2 + \varepsilon}}, \qquad y = \gamma \odot \hat{x} + \beta

BatchNorm (Ioffe & Szegedy 2015) takes :math:`\mu, \sigma^2` of each feature over the samples (axis
0); LayerNorm (Ba, Kiros & Hinton 2016) takes them over the features of each sample (last axis).
With :math:`g = \gamma \odot \partial L/\partial y` and :math:`\langle \cdot \rangle` the mean over
the normalized axis, the backward pass is

.. math::

    \frac{\partial L}{\partial x}
    = \frac{g - \langle g \rangle - \hat{x} \langle g \odot \hat{x} \rangle}{\sqrt{\sigma^2 +
    \varepsilon}}, \qquad
    \frac{\partial L}{\partial \gamma} = \sum \frac{\partial L}{\partial y} \odot \hat{x}, \qquad
    \frac{\partial L}{\partial \beta} = \sum \frac{\partial L}{\partial y}

(sums over every axis but the features). Because :math:`\hat{x}` does not change when ``x`` is
multiplied by :math:`c > 0` (up to :math:`\varepsilon`), a layer :math:`\operatorname{norm}(x W)`
gives the same output for :math:`c W` and a gradient
:math:`\partial L/\partial(c W) = (1/c) \partial L/\partial W`: :func:`normalized_linear` shows it.

Two nets use the layers:

* :class:`NormalizedMLP`: :math:`a_l = \operatorname{relu}(\operatorname{norm}(a_{l-1} W_l))` (or
  without ``norm``), a linear head,
  softmax cross-entropy, back-propagation and :func:`train_normalized`.
* :class:`NormalizedResidualNet`: residual blocks with the branch
  :math:`F(u) = \operatorname{relu}(u A_l) B_l`, the normalization placed in one of four ways (see
  :data:`PLACEMENTS`) and a scalar :math:`\alpha_l` on the branch (ReZero: :math:`\alpha_l = 0`);
  forward, input-output Jacobian and the gradient of every kernel.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

import numpy as np

from ._checks import check_int, check_layer_sizes, check_number
from .randomness import SeedLike, make_rng
from .training import get_loss

EPSILON = 1e-5
r"""The :math:`\varepsilon` of PyTorch's BatchNorm and LayerNorm defaults (Keras uses 1e-3)."""

NORMS = ("batch", "layer")
"""``"batch"``: statistics over the samples (axis 0); ``"layer"``: over the features (axis -1)."""

PLACEMENTS = ("none", "pre", "post", "branch")
r"""Where a residual block normalizes, with :math:`F(u) = \operatorname{relu}(u A) B` and
:math:`N` the norm:

==========  ==========================  ====================================================
placement   the block computes          note
==========  ==========================  ====================================================
``none``    :math:`h + \alpha F(h)`     no normalization
``pre``     :math:`h + \alpha F(N(h))`  pre-LN (GPT-2); the net ends with one more :math:`N`
``post``    :math:`N(h + \alpha F(h))`  post-LN (the original Transformer)
``branch``  :math:`h + \alpha N(F(h))`  the branch ends with :math:`N` (a ResNet block's last
                                        BN; zero-:math:`\gamma` sets its :math:`\gamma`)
==========  ==========================  ====================================================
"""


@dataclass
class NormCache:
    r"""What a normalization's backward pass needs: :math:`\hat{x}`,
    :math:`1/\sqrt{\sigma^2 + \varepsilon}`, :math:`\gamma`, the axis."""

    x_hat: np.ndarray
    inverse_std: np.ndarray
    gamma: np.ndarray
    axis: int


def _check_kind(kind: str) -> int:
    if kind not in NORMS:
        raise ValueError(f"kind must be one of {NORMS}; received kind={kind!r}.")
    return 0 if kind == "batch" else -1


def _check_features(x: np.ndarray, gamma: np.ndarray, beta: np.ndarray) -> None:
    if x.ndim < 2:
        raise ValueError(f"x must have a features axis, shape (..., features); received {x.shape}.")
    for name, value in (("gamma", gamma), ("beta", beta)):
        if value.shape != (x.shape[-1],):
            raise ValueError(
                f"{name} must have shape ({x.shape[-1]},) to match x's features; "
                f"received {value.shape}."
            )


def normalize(
    x: np.ndarray, gamma: np.ndarray, beta: np.ndarray, kind: str, eps: float = EPSILON
) -> tuple[np.ndarray, NormCache]:
    r""":math:`(\gamma \odot \hat{x} + \beta, \text{cache})` with :math:`\hat{x}` standardized along
    ``kind``'s axis (``"batch"``: 0, ``"layer"``: -1).

    ``x``: ``(samples, features)`` for BatchNorm, ``(..., features)`` for LayerNorm.
    """
    axis = _check_kind(kind)
    x, gamma, beta = np.asarray(x), np.asarray(gamma), np.asarray(beta)
    _check_features(x, gamma, beta)
    eps = check_number(eps, "eps", positive=True)
    mean = x.mean(axis=axis, keepdims=True)
    centred = x - mean
    inverse_std = 1.0 / np.sqrt(np.mean(centred * centred, axis=axis, keepdims=True) + eps)
    x_hat = centred * inverse_std
    return gamma * x_hat + beta, NormCache(x_hat, inverse_std, gamma, axis)


def normalize_backward(
    grad_output: np.ndarray, cache: NormCache
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    r""":math:`(\partial L/\partial x, \partial L/\partial \gamma, \partial L/\partial \beta)` from
    :math:`\partial L/\partial y` (the module docstring's formula)."""
    g = grad_output * cache.gamma
    axis = cache.axis
    grad_x = cache.inverse_std * (
        g
        - g.mean(axis=axis, keepdims=True)
        - cache.x_hat * np.mean(g * cache.x_hat, axis=axis, keepdims=True)
    )
    leading = tuple(range(grad_output.ndim - 1))
    return grad_x, np.sum(grad_output * cache.x_hat, axis=leading), grad_output.sum(axis=leading)


def batch_norm(
    x: np.ndarray, gamma: np.ndarray, beta: np.ndarray, eps: float = EPSILON
) -> tuple[np.ndarray, NormCache]:
    """BatchNorm in training mode: each feature of ``x`` ``(samples, features)`` standardized over
    the batch."""
    return normalize(x, gamma, beta, "batch", eps)


def layer_norm(
    x: np.ndarray, gamma: np.ndarray, beta: np.ndarray, eps: float = EPSILON
) -> tuple[np.ndarray, NormCache]:
    """LayerNorm: each row of ``x`` ``(..., features)`` standardized over its features."""
    return normalize(x, gamma, beta, "layer", eps)


def normalized_linear(
    x: np.ndarray,
    kernel: np.ndarray,
    grad_output: np.ndarray,
    kind: str | None = "batch",
    eps: float = EPSILON,
) -> tuple[np.ndarray, np.ndarray]:
    r""":math:`(y, \partial L/\partial W)` for :math:`y = \operatorname{norm}(x W)`
    (:math:`\gamma = 1, \beta = 0`), :math:`\partial L/\partial y = \text{grad\_output}`.

    ``kind=None`` leaves out the normalization (:math:`y = x W`). Multiplying ``W`` by ``c`` leaves
    ``y`` unchanged with a norm and divides :math:`\partial L/\partial W` by ``c``, as long as the
    variance of :math:`x W` stays far above ``eps``; without a norm ``y`` scales by ``c``.
    """
    z = np.asarray(x) @ np.asarray(kernel)
    if kind is None:
        return z, x.T @ grad_output
    ones, zeros = np.ones(z.shape[-1]), np.zeros(z.shape[-1])
    y, cache = normalize(z, ones, zeros, kind, eps)
    return y, x.T @ normalize_backward(grad_output, cache)[0]


def _relu(z: np.ndarray) -> np.ndarray:
    return np.maximum(z, 0.0)


def _check_norm_option(norm: str | None) -> None:
    if norm is not None:
        _check_kind(norm)


# --------------------------------------------------------------------------------------
# A plain MLP with an optional normalization after every hidden linear map
# --------------------------------------------------------------------------------------
@dataclass
class NormalizedMLP:
    r""":math:`a_0 = x`, :math:`a_l = \operatorname{relu}(\operatorname{norm}(a_{l-1} W_l))` for
    hidden layers, :math:`\text{logits} = a W_{\text{out}} + b`.

    ``weights[l]`` is ``(fan_in, fan_out)``; ``gammas``/``betas`` hold each hidden layer's
    :math:`\gamma, \beta` (unused when ``norm`` is None). Hidden layers have no bias (a norm's
    :math:`\beta` plays its part).
    """

    weights: list[np.ndarray]
    gammas: list[np.ndarray]
    betas: list[np.ndarray]
    output_bias: np.ndarray
    norm: str | None
    eps: float = EPSILON

    @property
    def parameters(self) -> list[np.ndarray]:
        """Every array in a fixed order (weights, gammas, betas, output bias), as the gradients."""
        return self.weights + self.gammas + self.betas + [self.output_bias]

    def forward(self, x: np.ndarray) -> tuple[list[np.ndarray], list, np.ndarray]:
        r"""``(activations, caches, logits)`` with the activations :math:`a_0, \ldots, a_{L-1}`;
        a cache is ``(z, norm cache or None)``."""
        activations, caches = [np.asarray(x, dtype=float)], []
        for kernel, gamma, beta in zip(self.weights[:-1], self.gammas, self.betas):
            z = activations[-1] @ kernel
            normed, cache = (
                normalize(z, gamma, beta, self.norm, self.eps) if self.norm else (z, None)
            )
            caches.append((normed, cache))
            activations.append(_relu(normed))
        return activations, caches, activations[-1] @ self.weights[-1] + self.output_bias

    def hidden_stds(self, x: np.ndarray) -> list[float]:
        """The std of each hidden layer's activations on ``x``."""
        return [float(np.std(a)) for a in self.forward(x)[0][1:]]

    def loss_and_gradients(self, x: np.ndarray, y: np.ndarray) -> tuple[float, list[np.ndarray]]:
        """Mean softmax cross-entropy on class indices ``y`` and the gradient of every parameter."""
        loss_fn = get_loss("softmax_cross_entropy")
        activations, caches, logits = self.forward(x)
        loss, delta = loss_fn.value_and_gradient(
            logits, loss_fn.prepare_targets(np.asarray(y), logits.shape[1])
        )
        grad_weights = [activations[-1].T @ delta]
        grad_gammas, grad_betas = [], []
        grad_a = delta @ self.weights[-1].T
        for index in range(len(caches) - 1, -1, -1):
            normed, cache = caches[index]
            grad_normed = grad_a * (normed > 0)
            if cache is None:
                grad_z = grad_normed
                grad_gammas.append(np.zeros_like(self.gammas[index]))
                grad_betas.append(np.zeros_like(self.betas[index]))
            else:
                grad_z, grad_gamma, grad_beta = normalize_backward(grad_normed, cache)
                grad_gammas.append(grad_gamma)
                grad_betas.append(grad_beta)
            grad_weights.append(activations[index].T @ grad_z)
            grad_a = grad_z @ self.weights[index].T
        grad_weights.reverse()
        grad_gammas.reverse()
        grad_betas.reverse()
        return loss, grad_weights + grad_gammas + grad_betas + [delta.sum(axis=0)]


def build_normalized_mlp(
    layer_sizes: list[int],
    weight_std: float,
    norm: str | None = "batch",
    eps: float = EPSILON,
    seed: SeedLike = 0,
) -> NormalizedMLP:
    r"""An MLP on ``layer_sizes`` (input, hidden…, classes) with every kernel
    :math:`\text{weight\_std} \cdot \mathcal{N}(0, 1)`.

    :math:`\gamma = 1`, :math:`\beta = 0`, output bias 0. ``norm`` is ``"batch"``, ``"layer"`` or
    None; ``eps`` its :math:`\varepsilon`.
    """
    sizes = check_layer_sizes(layer_sizes, "layer_sizes", minimum_length=3)
    weight_std = check_number(weight_std, "weight_std", positive=True)
    _check_norm_option(norm)
    rng = make_rng(seed)
    weights = [weight_std * rng.standard_normal((m, n)) for m, n in itertools.pairwise(sizes)]
    hidden = sizes[1:-1]
    return NormalizedMLP(
        weights,
        [np.ones(n) for n in hidden],
        [np.zeros(n) for n in hidden],
        np.zeros(sizes[-1]),
        norm,
        check_number(eps, "eps", positive=True),
    )


def train_normalized(
    model: NormalizedMLP,
    x: np.ndarray,
    y: np.ndarray,
    steps: int = 100,
    learning_rate: float = 0.1,
    batch_size: int = 64,
    seed: SeedLike = 0,
) -> np.ndarray:
    """Mini-batch SGD on ``model`` in place; returns the mini-batch loss before each step
    ``(steps,)``.

    A loss that is no longer finite stops training; the remaining entries stay ``inf``.
    """
    steps = check_int(steps, "steps")
    batch_size = check_int(batch_size, "batch_size", minimum=2)
    learning_rate = check_number(learning_rate, "learning_rate", positive=True)
    rng = make_rng(seed)
    losses = np.full(steps, np.inf)
    parameters = model.parameters
    for step in range(steps):
        rows = rng.choice(len(x), size=min(batch_size, len(x)), replace=False)
        loss, gradients = model.loss_and_gradients(x[rows], y[rows])
        if not math.isfinite(loss):
            break
        losses[step] = loss
        for parameter, gradient in zip(parameters, gradients):
            parameter -= learning_rate * gradient
    return losses


# --------------------------------------------------------------------------------------
# Residual blocks with normalization
# --------------------------------------------------------------------------------------
@dataclass
class NormalizedResidualNet:
    r"""``L`` residual blocks of width ``n`` on an input already of width ``n`` (no stem, no head).

    ``kernels[l] = (A_l, B_l)``, each ``(n, n)``; ``gammas[l]`` is the :math:`\gamma` of block
    ``l``'s normalization (:math:`\beta = 0` throughout); ``alphas[l]`` the scalar on its branch.
    ``placement`` is one of :data:`PLACEMENTS`, ``norm`` one of :data:`NORMS`.
    """

    kernels: list[tuple[np.ndarray, np.ndarray]]
    gammas: list[np.ndarray]
    alphas: np.ndarray
    placement: str
    norm: str

    def _norm(self, x: np.ndarray, gamma: np.ndarray) -> tuple[np.ndarray, NormCache]:
        return normalize(x, gamma, np.zeros_like(gamma), self.norm)

    def forward(self, x: np.ndarray) -> tuple[list[np.ndarray], list[dict], np.ndarray]:
        """``(stream h_0 .. h_L, per-block caches, output)``; the output is ``N(h_L)`` for
        ``"pre"``, else ``h_L``."""
        h = np.asarray(x, dtype=float)
        stream, caches = [h], []
        ones = np.ones(h.shape[-1])
        for (a_kernel, b_kernel), gamma, alpha in zip(self.kernels, self.gammas, self.alphas):
            cache: dict = {}
            u = h
            if self.placement == "pre":
                u, cache["pre"] = self._norm(h, gamma)
            z = u @ a_kernel
            r = _relu(z)
            f = r @ b_kernel
            if self.placement == "branch":
                f, cache["branch"] = self._norm(f, gamma)
            cache.update(u=u, z=z, r=r)
            h = h + alpha * f
            if self.placement == "post":
                h, cache["post"] = self._norm(h, gamma)
            caches.append(cache)
            stream.append(h)
        if self.placement == "pre":
            h, final = self._norm(h, ones)
            caches.append({"final": final})
        return stream, caches, h

    def kernel_gradients(self, x: np.ndarray, grad_top: np.ndarray) -> list[tuple[float, float]]:
        r""":math:`(\| \partial L/\partial A_l\|_F, \| \partial L/\partial B_l\|_F)` per block for
        :math:`L = \sum \text{grad\_top} \odot \text{output}`."""
        caches = self.forward(x)[1]
        g = np.asarray(grad_top, dtype=float)
        if self.placement == "pre":
            g = normalize_backward(g, caches[-1]["final"])[0]
        norms = []
        for index in range(len(self.kernels) - 1, -1, -1):
            cache, alpha = caches[index], self.alphas[index]
            a_kernel, b_kernel = self.kernels[index]
            if self.placement == "post":
                g = normalize_backward(g, cache["post"])[0]
            grad_f = alpha * g
            if self.placement == "branch":
                grad_f = normalize_backward(grad_f, cache["branch"])[0]
            grad_b = cache["r"].T @ grad_f
            grad_z = (grad_f @ b_kernel.T) * (cache["z"] > 0)
            grad_a = cache["u"].T @ grad_z
            grad_u = grad_z @ a_kernel.T
            if self.placement == "pre":
                grad_u = normalize_backward(grad_u, cache["pre"])[0]
            g = g + grad_u
            norms.append((float(np.linalg.norm(grad_a)), float(np.linalg.norm(grad_b))))
        norms.reverse()
        return norms

    def input_output_jacobian(self, x: np.ndarray) -> np.ndarray:
        r""":math:`\partial h_L/\partial h_0` ``(n, n)`` for one input row ``x`` ``(n,)``, layer
        norm or no norm only.

        Row-vector convention: :math:`dh_L = dh_0 \, J`. BatchNorm couples the samples, so it is
        refused.
        """
        if self.placement != "none" and self.norm != "layer":
            raise ValueError(
                f"the Jacobian of one sample needs norm='layer' or placement='none'; "
                f"received norm={self.norm!r}, placement={self.placement!r}."
            )
        row = np.asarray(x, dtype=float).reshape(1, -1)
        width = row.shape[1]
        basis = np.eye(width)
        caches = self.forward(row)[1]
        jacobian = np.eye(width)
        for index in range(len(self.kernels)):
            cache, alpha = caches[index], self.alphas[index]
            a_kernel, b_kernel = self.kernels[index]
            step = basis.copy()
            if self.placement == "pre":
                step = _layer_norm_rows_jacobian(cache["pre"])
            branch = (step @ a_kernel) * (cache["z"] > 0) @ b_kernel
            if self.placement == "branch":
                branch = branch @ _layer_norm_rows_jacobian(cache["branch"])
            block = basis + alpha * branch
            if self.placement == "post":
                block = block @ _layer_norm_rows_jacobian(cache["post"])
            jacobian = jacobian @ block
        if self.placement == "pre":
            jacobian = jacobian @ _layer_norm_rows_jacobian(caches[-1]["final"])
        return jacobian


def _layer_norm_rows_jacobian(cache: NormCache) -> np.ndarray:
    r""":math:`\partial y/\partial x` ``(n, n)`` of LayerNorm for one row (row-vector convention),
    from its cache."""
    x_hat, inverse_std, gamma = cache.x_hat[0], float(cache.inverse_std[0, 0]), cache.gamma
    width = x_hat.size
    projector = np.eye(width) - 1.0 / width - np.outer(x_hat, x_hat) / width
    return inverse_std * projector * gamma[np.newaxis, :]


def build_normalized_residual_net(
    width: int,
    blocks: int,
    placement: str = "branch",
    norm: str = "batch",
    branch_gain: float = math.sqrt(2.0),
    alpha: float = 1.0,
    zero_gamma: bool = False,
    seed: SeedLike = 0,
) -> NormalizedResidualNet:
    r"""``blocks`` residual blocks of ``width`` units: ``A_l`` He normal (std :math:`\sqrt{2/n}`),
    ``B_l`` :math:`\text{branch\_gain}/\sqrt{n}` normal, every :math:`\alpha_l = \text{alpha}`.

    ``zero_gamma=True`` starts each block's :math:`\gamma` at 0 (Goyal et al. 2017's
    zero-:math:`\gamma` for the last BN of a block; only meaningful with ``placement="branch"``),
    else 1. ReZero is ``placement="none", alpha=0``.
    """
    width = check_int(width, "width")
    blocks = check_int(blocks, "blocks")
    if placement not in PLACEMENTS:
        raise ValueError(
            f"placement must be one of {PLACEMENTS}; received placement={placement!r}."
        )
    _check_kind(norm)
    branch_gain = check_number(branch_gain, "branch_gain", minimum=0.0)
    alpha = check_number(alpha, "alpha")
    if not isinstance(zero_gamma, (bool, np.bool_)):
        raise TypeError(f"zero_gamma must be True or False; received zero_gamma={zero_gamma!r}.")
    if zero_gamma and placement != "branch":
        raise ValueError(
            "zero_gamma needs placement='branch' (the block's last norm); "
            f"received placement={placement!r}."
        )
    rng = make_rng(seed)
    kernels = []
    for _ in range(blocks):
        a_kernel = math.sqrt(2.0 / width) * rng.standard_normal((width, width))
        b_kernel = branch_gain / math.sqrt(width) * rng.standard_normal((width, width))
        kernels.append((a_kernel, b_kernel))
    gamma_value = 0.0 if zero_gamma else 1.0
    return NormalizedResidualNet(
        kernels,
        [np.full(width, gamma_value) for _ in range(blocks)],
        np.full(blocks, alpha),
        placement,
        norm,
    )
