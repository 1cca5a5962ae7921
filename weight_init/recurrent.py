r"""How a recurrent net's state Jacobian :math:`\partial h_T/\partial h_0` grows or shrinks over
time.

A recurrent layer without input or bias updates its state ``h`` (a row of ``n`` units, the
package's row convention) with the same ``(n, n)`` kernel ``W`` at every step:

.. math::

    z_t = h_{t-1} W, \qquad h_t = \phi(z_t), \qquad
    \frac{\partial h_t}{\partial h_{t-1}} = W \cdot \operatorname{diag}(\phi'(z_t))

so :math:`\partial h_T/\partial h_0 = \prod_t W \operatorname{diag}(\phi'(z_t))`, a product of ``T``
matrices like a deep net's (notebooks 09 and 10), except that every factor uses the same ``W``. Its
spectral norm (largest singular value) says how much of a change at step 0 survives to step ``T``:
for a linear layer with orthogonal ``W`` it is exactly 1 at every ``T``.
"""

from __future__ import annotations

import itertools
from typing import Sequence

import numpy as np

from ._checks import check_int
from .activations import get_activation


def state_jacobian_norms(
    recurrent_weights: np.ndarray,
    h0: np.ndarray,
    steps: Sequence[int],
    activation: str = "linear",
) -> np.ndarray:
    r""":math:`\| \partial h_t/\partial h_0\|_2` for every ``t`` in ``steps`` (increasing, at least
    1), starting from the state ``h0`` of shape ``(n,)``, for :math:`h_t = \phi(h_{t-1} W)` with
    ``W`` of shape ``(n, n)`` and :math:`\phi` a name of
    :data:`weight_init.activations.ACTIVATIONS`."""
    w = np.asarray(recurrent_weights, dtype=float)
    if w.ndim != 2 or w.shape[0] != w.shape[1]:
        raise ValueError(
            f"recurrent_weights must be a square (n, n) matrix; received shape {w.shape}."
        )
    h = np.asarray(h0, dtype=float)
    if h.shape != (w.shape[0],):
        raise ValueError(f"h0 must have shape ({w.shape[0]},); received shape {h.shape}.")
    steps = [check_int(t, "steps") for t in steps]
    if not steps or any(b <= a for a, b in itertools.pairwise(steps)):
        raise ValueError(f"steps must be increasing positive ints; received steps={steps!r}.")
    phi = get_activation(activation)
    product = np.eye(w.shape[0])
    norms = []
    wanted = set(steps)
    for t in range(1, steps[-1] + 1):
        z = h @ w
        h = phi.forward(z)
        product = (product @ w) * phi.derivative(z)
        if t in wanted:
            norms.append(float(np.linalg.norm(product, ord=2)))
    return np.array(norms)
