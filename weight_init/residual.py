r"""A residual MLP without normalization, and Fixup (Zhang, Dauphin & Ma 2019) to initialize it.

Shapes (Keras layout): a batch is ``(samples, features)``, every kernel ``(fan_in, fan_out)``.
The net has a linear stem, ``L`` residual blocks of two layers each, and a linear head:

.. math::

    h_0 &= x W_{\text{in}} + b_{\text{in}}
        \qquad (\text{samples}, \text{width}) \\
    u_l &= \phi(z_l), \quad z_l = h_{l-1} A_l + a_l
        \qquad \text{the branch's hidden layer} \\
    h_l &= h_{l-1} + u_l B_l + b_l
        \qquad l = 1, \ldots, L \\
    \text{logits} &= h_L W_{\text{out}} + b_{\text{out}}
        \qquad (\text{samples}, \text{outputs})

With He init on ``A_l`` and ``B_l`` (ReLU) the branch adds :math:`2 \cdot \mathbb{E}[h^2]` to the
:math:`\mathbb{E}[h^2]` carried by the skip connection, so the signal grows by a factor 3 per block,
:math:`3^L` in all (:func:`he_growth_factor`). Fixup keeps the skip path alone at initialization:

* :math:`B_l = 0` and :math:`W_{\text{out}} = 0` (the last layer of every branch and the head start
  at zero);
* ``A_l`` = the standard init times :math:`L^{-1/(2m-2)}`, :math:`m = 2` layers per branch:
  :math:`L^{-1/2}`;
* biases start at 0.

(The paper also adds a scalar multiplier and scalar biases per branch; this net has ordinary
vector biases and no multiplier.) Back-propagation, with :math:`g = \partial L/\partial h_l`:

.. math::

    \frac{\partial L}{\partial B_l} &= u_l^\top g, \quad
    \frac{\partial L}{\partial b_l} = \sum g, \quad
    \delta_l = (g B_l^\top) \odot \phi'(z_l), \\
    \frac{\partial L}{\partial A_l} &= h_{l-1}^\top \delta_l, \quad
    \frac{\partial L}{\partial a_l} = \sum \delta_l, \quad
    \frac{\partial L}{\partial h_{l-1}} = g + \delta_l A_l^\top.

The loss is one of :data:`weight_init.training.LOSSES`, the kernels come from any
``init_fn(fan_in, fan_out, rng=...)`` (see :mod:`weight_init.init_fns`). :meth:`ResidualMLP.forward`
returns a :class:`ResidualPass` and :meth:`ResidualMLP.loss_and_gradients` a
:class:`ResidualGradients`, as :class:`weight_init.training.MLP` returns dataclasses.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Union

import numpy as np

from ._checks import check_bool, check_int, check_layer_sizes, check_number
from .activations import Activation, ActivationLike, get_activation
from .experiment import second_moments
from .init_fns import InitFn, draw_weights
from .randomness import SeedLike, make_rng
from .training import (
    Loss,
    _check_batch,
    _prepare_targets,
    check_training_settings,
    get_loss,
    gradient_step,
)


@dataclass
class ResidualPass:
    r"""One forward pass of a :class:`ResidualMLP`.

    ``inputs`` is ``x`` ``(samples, input_dim)``; ``stream[l]`` is ``h_l`` for
    ``l = 0 .. L`` (``L + 1`` entries, ``(samples, width)``); ``pre_activations[l - 1]`` and
    ``activations[l - 1]`` are block ``l``'s ``z_l`` and :math:`u_l = \phi(z_l)` (the package's
    convention: block ``l`` at index ``l - 1``); ``logits`` is ``(samples, outputs)``.
    """

    inputs: np.ndarray
    stream: list[np.ndarray]
    pre_activations: list[np.ndarray]
    activations: list[np.ndarray]
    logits: np.ndarray


@dataclass
class ResidualGradients:
    """The mean loss, its gradient for every array of :attr:`ResidualMLP.parameters` (same
    order and shapes), and the forward pass they came from."""

    loss: float
    parameters: list[np.ndarray]
    forward: ResidualPass


@dataclass
class ResidualMLP:
    """The parameters of a residual MLP (see the module docstring for the names and shapes).

    ``blocks[l]`` is the list ``[A, a, B, b]`` of block ``l + 1``.
    """

    stem: list[np.ndarray]
    blocks: list[list[np.ndarray]]
    head: list[np.ndarray]
    activation: Activation
    loss: Loss

    @property
    def parameters(self) -> list[np.ndarray]:
        """Every array, in a fixed order (stem, blocks, head); gradients come in the same order."""
        return self.stem + [p for block in self.blocks for p in block] + self.head

    def forward(self, x: np.ndarray) -> ResidualPass:
        """Every ``h_l``, ``z_l``, ``u_l`` and the logits for a batch ``x`` (samples, input_dim)."""
        x = self._check_inputs(x)
        w_in, b_in = self.stem
        h = x @ w_in + b_in
        stream, pre_activations, activations = [h], [], []
        for a_kernel, a_bias, b_kernel, b_bias in self.blocks:
            z = h @ a_kernel + a_bias
            u = self.activation.forward(z)
            h = h + u @ b_kernel + b_bias
            pre_activations.append(z)
            activations.append(u)
            stream.append(h)
        w_out, b_out = self.head
        return ResidualPass(x, stream, pre_activations, activations, h @ w_out + b_out)

    def stream_second_moments(self, x: np.ndarray) -> list[float]:
        r""":math:`\mathbb{E}[h_l^2]` for ``l = 0 .. L``: the size of the residual stream after each
        block."""
        return second_moments(self.forward(x).stream)

    def loss_and_gradients(self, x: np.ndarray, y: np.ndarray) -> ResidualGradients:
        """The mean loss on ``(x, y)`` and its gradient for every array of :attr:`parameters`."""
        x = self._check_inputs(x)
        targets = _prepare_targets(self.loss, self.head[0].shape[1], x, y)
        forward = self.forward(x)
        stream, pre_activations, activations = (
            forward.stream,
            forward.pre_activations,
            forward.activations,
        )
        loss, delta = self.loss.value_and_gradient(forward.logits, targets)
        head_grads = [stream[-1].T @ delta, delta.sum(axis=0)]
        g = delta @ self.head[0].T
        block_grads = []
        for index in range(len(self.blocks) - 1, -1, -1):
            a_kernel, _, b_kernel, _ = self.blocks[index]
            u, z, h_before = activations[index], pre_activations[index], stream[index]
            branch_delta = (g @ b_kernel.T) * self.activation.derivative(z)
            block_grads.append(
                [h_before.T @ branch_delta, branch_delta.sum(axis=0), u.T @ g, g.sum(axis=0)]
            )
            g = g + branch_delta @ a_kernel.T
        stem_grads = [x.T @ g, g.sum(axis=0)]
        block_grads.reverse()
        gradients = stem_grads + [p for block in block_grads for p in block] + head_grads
        return ResidualGradients(loss, gradients, forward)

    def _check_inputs(self, x: np.ndarray) -> np.ndarray:
        return _check_batch(x, self.stem[0].shape[0])


def fixup_scale(blocks: int, layers_per_branch: int = 2) -> float:
    """Fixup's factor :math:`L^{-1/(2m-2)}` for the inner layers of ``L`` branches of ``m``
    layers."""
    blocks = check_int(blocks, "blocks")
    layers_per_branch = check_int(layers_per_branch, "layers_per_branch", minimum=2)
    return blocks ** (-1.0 / (2 * layers_per_branch - 2))


def he_growth_factor(branch_gain_squared: float = 2.0) -> float:
    r"""Per-block growth of :math:`\mathbb{E}[h^2]` for ReLU branches with He's ``A``:
    :math:`1 + g_B^2`.

    ``A`` with He's variance ``2/n`` keeps :math:`\mathbb{E}[u^2] = \mathbb{E}[h^2]`; ``B`` with
    variance :math:`g_B^2/n` (:math:`g_B^2 = \text{branch\_gain\_squared}`) adds
    :math:`g_B^2 \cdot \mathbb{E}[h^2]`. He on both (:math:`g_B^2 = 2`) gives 3 per block; LeCun on
    ``B`` gives 2.
    """
    return 1.0 + check_number(branch_gain_squared, "branch_gain_squared", minimum=0.0)


def build_residual_mlp(
    input_dim: int,
    width: int,
    blocks: int,
    outputs: int,
    init_fn: InitFn,
    activation: ActivationLike = "relu",
    loss: Union[str, Loss] = "softmax_cross_entropy",
    fixup: bool = False,
    seed: SeedLike = 0,
) -> ResidualMLP:
    """A residual MLP with ``blocks`` blocks of ``width`` units, kernels from ``init_fn``.

    ``fixup=False``: every kernel from ``init_fn`` (e.g. ``init_fns.he_init``). ``fixup=True``:
    the stem from ``init_fn``, each ``A_l`` from ``init_fn`` times :func:`fixup_scale`, every
    ``B_l`` and the head zero. Biases are zero. One ``seed`` fixes every draw.
    """
    input_dim, width, outputs = check_layer_sizes(
        [input_dim, width, outputs], "(input_dim, width, outputs)"
    )
    blocks = check_int(blocks, "blocks")
    fixup = check_bool(fixup, "fixup")
    rng = make_rng(seed)
    stem = [draw_weights(init_fn, input_dim, width, rng), np.zeros(width)]
    scale = fixup_scale(blocks) if fixup else 1.0
    block_list = []
    for _ in range(blocks):
        a_kernel = scale * draw_weights(init_fn, width, width, rng)
        b_kernel = np.zeros((width, width)) if fixup else draw_weights(init_fn, width, width, rng)
        block_list.append([a_kernel, np.zeros(width), b_kernel, np.zeros(width)])
    w_out = np.zeros((width, outputs)) if fixup else draw_weights(init_fn, width, outputs, rng)
    return ResidualMLP(
        stem, block_list, [w_out, np.zeros(outputs)], get_activation(activation), get_loss(loss)
    )


def train_residual(
    model: ResidualMLP, x: np.ndarray, y: np.ndarray, steps: int = 500, learning_rate: float = 0.01
) -> np.ndarray:
    """Full-batch gradient descent on ``model`` in place; returns the loss before each step
    ``(steps,)``.

    A loss that is no longer finite stays so: the remaining entries are ``inf`` and training stops
    (the parameters are left as they were when it happened).
    """
    steps, learning_rate, _ = check_training_settings(steps, learning_rate)
    losses = np.full(steps, np.inf)
    parameters = model.parameters
    for step in range(steps):
        grads = model.loss_and_gradients(x, y)
        if not math.isfinite(grads.loss):
            break
        losses[step] = grads.loss
        gradient_step(parameters, grads.parameters, learning_rate)
    return losses
