r"""Layer-sequential unit-variance initialization (LSUV; Mishkin & Matas 2016).

Data decide the scale. Start from (semi-)orthogonal kernels, then walk through the layers in
order; for layer ``l``, push a batch through the net and rescale its kernel until the layer's
output has unit variance:

.. math::

    \text{repeat: } & v = \operatorname{Var}(z_l) \text{ on the batch}; \quad
        W_l \leftarrow W_l / \sqrt{v} \\
    \text{until } & |v - 1| < \text{tolerance} \quad (\text{or max\_iterations rescalings})

:math:`z_l = a_{l-1} W_l + b_l` is the output of the layer's linear map, shape
``(samples, fan_out)`` (what a forward hook on a dense layer sees); with
``measure="activation"`` the loop targets :math:`a_l = \phi(z_l)` instead (the logits of the last
layer have no activation and are always measured as ``z``). Without biases ``z_l`` is linear
in ``W_l``, so one rescaling lands on the target exactly; biases or a measured activation
that is not positively homogeneous (tanh) need more rounds, and a target an activation cannot
reach (:math:`\operatorname{Var}(\tanh(z)) < 1`) stops at ``max_iterations`` with ``converged``
False.

The model is a :class:`weight_init.training.MLP` and is rescaled in place, so it can be
trained right after.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ._checks import check_choice, check_int, check_number
from .training import MLP

MEASURES = ("pre_activation", "activation")


@dataclass(frozen=True)
class LSUVReport:
    """What :func:`lsuv_init` did, lists indexed by layer ``0 .. L-1``.

    ``initial_variances[l]``: the measured variance before layer ``l`` was touched (earlier
    layers already rescaled); ``variances[l]``: after its last rescaling; ``iterations[l]``:
    how many rescalings it took; ``converged[l]``: whether ``|variance - target| < tolerance``.
    """

    initial_variances: list[float]
    variances: list[float]
    iterations: list[int]
    converged: list[bool]


def lsuv_init(
    model: MLP,
    x: np.ndarray,
    tolerance: float = 0.01,
    max_iterations: int = 10,
    target_variance: float = 1.0,
    measure: str = "pre_activation",
) -> LSUVReport:
    r"""Rescale ``model``'s kernels in place, layer by layer, to unit output variance on ``x``.

    ``x`` is a batch ``(samples, input_dim)``; pre-initialize ``model`` with an orthogonal
    init (Mishkin & Matas's choice; ``init_fns.catalogue_init("orthogonal")``). Each layer
    gets at most ``max_iterations`` rescalings
    :math:`W_l \leftarrow W_l \cdot \sqrt{\text{target} / v}`; see the module docstring for
    ``measure``.
    """
    if not isinstance(model, MLP):
        raise TypeError(
            f"model must be a training.MLP; received model of type {type(model).__name__}."
        )
    x = model._check_inputs(x)
    tolerance = check_number(tolerance, "tolerance", positive=True)
    target_variance = check_number(target_variance, "target_variance", positive=True)
    max_iterations = check_int(max_iterations, "max_iterations")
    measure = check_choice(measure, "measure", MEASURES)

    last = len(model.weights) - 1

    def pre_activation(
        layer_input: np.ndarray, layer: int
    ) -> np.ndarray:  # z_l = a_{l-1} @ W_l + b_l
        z = layer_input @ model.weights[layer]
        return z + model.biases[layer] if model.biases is not None else z

    def measured(layer_input: np.ndarray, layer: int) -> np.ndarray:
        z = pre_activation(layer_input, layer)
        return model.activation.forward(z) if measure == "activation" and layer < last else z

    initial, final, rounds, converged = [], [], [], []
    layer_input = x  # a_{l-1}: the earlier layers are final, so it is computed once per layer
    for layer, kernel in enumerate(model.weights):
        variance = float(np.var(measured(layer_input, layer)))
        initial.append(variance)
        count = 0
        while abs(variance - target_variance) >= tolerance and count < max_iterations:
            if variance == 0.0 or not math.isfinite(variance):
                raise ValueError(
                    f"layer {layer}'s output variance is {variance}; LSUV cannot rescale it "
                    "(a dead or overflowing layer: check the pre-initialization)."
                )
            kernel *= math.sqrt(target_variance / variance)
            count += 1
            variance = float(np.var(measured(layer_input, layer)))
        final.append(variance)
        rounds.append(count)
        converged.append(abs(variance - target_variance) < tolerance)
        if layer < last:
            layer_input = model.activation.forward(pre_activation(layer_input, layer))
    return LSUVReport(initial, final, rounds, converged)
