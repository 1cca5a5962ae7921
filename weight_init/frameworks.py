r"""The same dense layer in Keras, PyTorch and Flax: default initializer, layout, effective std.

Each framework's default is one :class:`~weight_init.initializers.VarianceScaling` of the
catalogue, so the std it gives a dense layer with ``n_in`` inputs and ``n_out`` outputs is
:math:`\sqrt{\text{scale} / n}` computed by the catalogue itself:

- Keras 3 ``Dense``: ``glorot_uniform`` = VarianceScaling(1, fan_avg, uniform),
  std :math:`\sqrt{2 / (n_{\text{in}} + n_{\text{out}})}`; kernel stored ``(in, out)``.
- PyTorch ``nn.Linear``: ``kaiming_uniform_(a=sqrt(5))``, bound
  :math:`\text{gain} \cdot \sqrt{3 / n_{\text{in}}}` with the leaky-ReLU gain
  :math:`\sqrt{2 / (1 + a^2)} = \sqrt{1/3}`, i.e. :math:`\mathcal{U}(\pm 1/\sqrt{n_{\text{in}}})` =
  VarianceScaling(1/3, fan_in, uniform), std :math:`1 / \sqrt{3 \cdot n_{\text{in}}}`; weight stored
  ``(out, in)``.
- Flax ``nn.Dense``: ``lecun_normal`` = VarianceScaling(1, fan_in, truncated normal),
  std :math:`1 / \sqrt{n_{\text{in}}}`; kernel stored ``(in, out)``.

Fans are always read in Keras's ``(in, out)`` sense here; a PyTorch weight is the transpose.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from .activations import leaky_relu_gain
from .initializers import VarianceScaling

PYTORCH_LINEAR_SLOPE = math.sqrt(5.0)
"""The ``a`` that ``nn.Linear.reset_parameters`` passes to ``kaiming_uniform_``."""


@dataclass(frozen=True)
class DenseDefault:
    """One framework's default dense-layer initializer, as a VarianceScaling of the catalogue."""

    framework: str
    layer: str
    initializer_name: str
    layout: str
    scale: float
    mode: str
    distribution: str

    def initializer(self, seed=None) -> VarianceScaling:
        """The catalogue initializer that draws what this framework draws (in ``(in, out)``)."""
        return VarianceScaling(self.scale, self.mode, self.distribution, seed=seed)

    def std(self, n_in: int, n_out: int) -> float:
        r"""Effective std of the weights of an :math:`n_{\text{in}} \to n_{\text{out}}` dense
        layer."""
        return math.sqrt(self.initializer(seed=0).variance((n_in, n_out)))


DENSE_DEFAULTS: tuple[DenseDefault, ...] = (
    DenseDefault("Keras 3", "Dense", "glorot_uniform", "(in, out)", 1.0, "fan_avg", "uniform"),
    DenseDefault(
        "PyTorch",
        "nn.Linear",
        "kaiming_uniform_(a=sqrt(5))",
        "(out, in)",
        leaky_relu_gain(PYTORCH_LINEAR_SLOPE) ** 2,
        "fan_in",
        "uniform",
    ),
    DenseDefault(
        "Flax", "nn.Dense", "lecun_normal", "(in, out)", 1.0, "fan_in", "truncated_normal"
    ),
)


def dense_defaults_table(n_in: int, n_out: int) -> list[dict]:
    """One row per framework: layer, initializer, weight layout and the std it gives."""
    return [
        {
            "framework": d.framework,
            "layer": d.layer,
            "initializer": d.initializer_name,
            "layout": d.layout,
            "distribution": d.distribution,
            "std": d.std(n_in, n_out),
        }
        for d in DENSE_DEFAULTS
    ]
