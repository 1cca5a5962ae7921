"""The same dense layer in Keras, PyTorch and Flax: default initializer, layout, effective std.

Each framework's default is one :class:`~weight_init.initializers.VarianceScaling` of the
catalogue, so the std it gives a dense layer with ``n_in`` inputs and ``n_out`` outputs is
``sqrt(scale / n)`` computed by the catalogue itself:

- Keras 3 ``Dense``: ``glorot_uniform`` = VarianceScaling(1, fan_avg, uniform),
  std ``sqrt(2 / (n_in + n_out))``; kernel stored ``(in, out)``.
- PyTorch ``nn.Linear``: ``kaiming_uniform_(a=sqrt(5))``, bound ``gain · sqrt(3 / n_in)`` with
  the leaky-ReLU gain ``sqrt(2 / (1 + a²)) = sqrt(1/3)``, i.e. U(±1/sqrt(n_in)) =
  VarianceScaling(1/3, fan_in, uniform), std ``1 / sqrt(3 · n_in)``; weight stored ``(out, in)``.
- Flax ``nn.Dense``: ``lecun_normal`` = VarianceScaling(1, fan_in, truncated normal),
  std ``1 / sqrt(n_in)``; kernel stored ``(in, out)``.

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
        """Effective std of the weights of an ``n_in → n_out`` dense layer."""
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
