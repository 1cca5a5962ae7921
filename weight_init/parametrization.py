r"""Width-aware parametrizations of a ReLU MLP: standard (SP), NTK and maximal update (μP).

A parametrization says, for every layer, three things that may depend on the width: the std
of the initial weights, a constant multiplier in the forward pass, and the learning rate.
Shape convention as in :mod:`weight_init.training`: the kernel ``w_l`` of layer ``l`` is
``(fan_in, fan_out)``, a batch is ``(samples, features)``, and with :math:`a_0 = x`:

.. math::

    z_l &= \text{multiplier}_l \cdot (a_{l-1} w_l), \quad a_l = \operatorname{relu}(z_l)
        \qquad \text{(hidden layers, no biases)} \\
    z_L &= \text{multiplier}_L \cdot (a_{L-1} w_L) \qquad \text{(the logits, softmax cross-entropy)}

The first kernel is the *input* layer (its fan_in, the data's dimension, does not grow), the
last one the *output* layer (its fan_out, the number of classes, does not grow), the others
are *hidden* layers. With :math:`n` the layer's ``fan_in``, :math:`m = n / \text{base\_width}`
(:math:`\text{fan\_out} / \text{base\_width}` for the input layer's SGD rate) and a base learning
rate :math:`\eta`, the rules are:

=========  ========  ====================  ==================  ====================  ==============
rule       layer     init std              multiplier          SGD rate              Adam rate
=========  ========  ====================  ==================  ====================  ==============
SP         all       :math:`1/\sqrt{n}`    :math:`1`           :math:`\eta`          :math:`\eta`
NTK        all       :math:`1`             :math:`1/\sqrt{n}`  :math:`\eta`          :math:`\eta`
μP         input     :math:`1/\sqrt{n}`    :math:`1`           :math:`\eta \cdot m`  :math:`\eta`
μP         hidden    :math:`1/\sqrt{n}`    :math:`1`           :math:`\eta`          :math:`\eta/m`
μP         output    :math:`1/\sqrt{nm}`   :math:`1`           :math:`\eta/m`        :math:`\eta/m`
=========  ========  ====================  ==================  ====================  ==============

The μP rows are Table 3 of Yang et al. (2022, Tensor Programs V) with its width factors
divided by those of the base width: no multipliers, a smaller output init and per-layer
learning rates. At :math:`\text{fan\_in} = \text{base\_width}` every μP rule equals SP's, so a net
of the base width is the same net under both. (The paper's Table 8 is an equivalent form that is
easier to implement: the output layer's :math:`1/\text{fan\_in}` becomes a forward multiplier, with
init variance 1 and learning rates adjusted to match; its ``mup`` library implements that form
relative to a base width, dividing the logits by ``m``. The trained functions are the same, the
stored weights are not.) NTK follows Jacot et al.
(2018): unit-variance weights and a :math:`1/\sqrt{\text{fan\_in}}` multiplier on every layer, each
trained at :math:`\eta`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Optional, Sequence, Union

import numpy as np

from ._checks import check_int, check_layer_sizes, check_number
from .randomness import SeedLike, make_rng
from .training import Adam, get_loss

PARAMETRIZATIONS = ("sp", "ntk", "mup")
OPTIMIZERS = ("sgd", "adam")
_CROSS_ENTROPY = get_loss("softmax_cross_entropy")


@dataclass(frozen=True)
class LayerRule:
    """One layer's parametrization: its role (``"input"``, ``"hidden"`` or ``"output"``),
    its kernel shape ``(fan_in, fan_out)``, the init std, the forward multiplier and the
    learning rate of its kernel."""

    role: str
    fan_in: int
    fan_out: int
    init_std: float
    multiplier: float
    learning_rate: float


def _check_choice(value: str, name: str, choices: Sequence[str]) -> str:
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a string; received {name}={value!r}.")
    key = value.lower()
    if key not in choices:
        raise ValueError(f"Unknown {name}: {name}={value!r}. Use one of: {', '.join(choices)}.")
    return key


def layer_roles(n_layers: int) -> list[str]:
    """``["input", "hidden", ..., "output"]`` for a net of ``n_layers`` kernels (at least 2)."""
    n_layers = check_int(n_layers, "n_layers", minimum=2)
    return ["input"] + ["hidden"] * (n_layers - 2) + ["output"]


def layer_rules(
    layer_sizes: Sequence[int],
    parametrization: str,
    optimizer: str = "adam",
    learning_rate: float = 1e-3,
    base_width: Optional[int] = None,
    output_multiplier: float = 1.0,
) -> list[LayerRule]:
    r"""The init std, multiplier and learning rate of every layer (see the module's table).

    ``layer_sizes = [input_dim, hidden_1, ..., outputs]`` needs at least one hidden layer.
    ``base_width`` is the width at which μP equals SP (it must be given for ``"mup"``; the
    other rules ignore it); ``learning_rate`` is the base :math:`\eta`. ``output_multiplier`` (the
    paper's tunable :math:`\alpha_{\text{output}}`, 1 by default) multiplies the logits under any
    rule.
    """
    sizes = check_layer_sizes(layer_sizes, "layer_sizes", minimum_length=3)
    parametrization = _check_choice(parametrization, "parametrization", PARAMETRIZATIONS)
    optimizer = _check_choice(optimizer, "optimizer", OPTIMIZERS)
    eta = check_number(learning_rate, "learning_rate", positive=True)
    alpha = check_number(output_multiplier, "output_multiplier", positive=True)
    if parametrization == "mup":
        if base_width is None:
            raise ValueError("the μP rules need base_width, the width at which μP equals SP.")
        base_width = check_int(base_width, "base_width")
    rules = []
    for role, fan_in, fan_out in zip(layer_roles(len(sizes) - 1), sizes[:-1], sizes[1:]):
        std, multiplier, rate = 1.0 / math.sqrt(fan_in), 1.0, eta
        if parametrization == "ntk":
            std, multiplier = 1.0, 1.0 / math.sqrt(fan_in)
        elif parametrization == "mup":
            assert base_width is not None
            m_in, m_out = fan_in / base_width, fan_out / base_width
            if role == "input":
                rate = eta * m_out if optimizer == "sgd" else eta
            elif role == "hidden":
                rate = eta if optimizer == "sgd" else eta / m_in
            else:
                std, rate = 1.0 / math.sqrt(fan_in * m_in), eta / m_in
        if role == "output":
            multiplier *= alpha
        rules.append(LayerRule(role, fan_in, fan_out, std, multiplier, rate))
    return rules


@dataclass
class ParametrizedMLP:
    """A ReLU MLP without biases, trained under one parametrization.

    ``weights[l]`` is the trained kernel ``w_l`` ``(fan_in, fan_out)``; ``rules[l]`` its
    :class:`LayerRule`. :meth:`step` takes one SGD or Adam step with the per-layer rates.
    """

    weights: list[np.ndarray]
    rules: list[LayerRule]
    parametrization: str
    optimizer: str
    _adam: Optional[Adam] = field(default=None, repr=False)

    @property
    def layer_sizes(self) -> list[int]:
        """``[input_dim, hidden_1, ..., outputs]``."""
        return [self.rules[0].fan_in] + [rule.fan_out for rule in self.rules]

    def forward(self, x: np.ndarray) -> list[np.ndarray]:
        """``[z_1, ..., z_L]``: every layer's pre-activation, the last one being the logits."""
        x = np.asarray(x, dtype=self.weights[0].dtype)
        if x.ndim != 2 or x.shape[1] != self.rules[0].fan_in:
            raise ValueError(
                f"x must have shape (samples, {self.rules[0].fan_in}); received shape {x.shape}."
            )
        zs, a = [], x
        for w, rule in zip(self.weights, self.rules):
            z = a @ w
            if rule.multiplier != 1.0:
                z *= rule.multiplier
            zs.append(z)
            a = np.maximum(z, 0)
        return zs

    def loss_and_gradients(self, x: np.ndarray, y: np.ndarray) -> tuple[float, list[np.ndarray]]:
        r"""Mean softmax cross-entropy on ``(x, y)`` (``y`` class indices ``(samples,)``) and
        :math:`\partial L/\partial w_l` for every kernel:
        :math:`\text{multiplier}_l \cdot a_{l-1}^\top \delta_l` with
        :math:`\delta_l = \partial L/\partial z_l`."""
        zs = self.forward(x)
        targets = _CROSS_ENTROPY.prepare_targets(y, self.rules[-1].fan_out)
        if targets.shape[0] != zs[-1].shape[0]:
            raise ValueError(
                f"x and y must hold the same number of samples; received {zs[-1].shape[0]} "
                f"inputs and {targets.shape[0]} targets."
            )
        loss, delta = _CROSS_ENTROPY.value_and_gradient(zs[-1], targets.astype(zs[-1].dtype))
        inputs = [np.asarray(x, dtype=zs[0].dtype)] + [np.maximum(z, 0) for z in zs[:-1]]
        gradients: list[np.ndarray] = [np.empty(0)] * len(self.weights)
        for layer in range(len(self.weights) - 1, -1, -1):
            multiplier = self.rules[layer].multiplier
            gradients[layer] = multiplier * (inputs[layer].T @ delta)
            if layer > 0:
                delta = multiplier * (delta @ self.weights[layer].T) * (zs[layer - 1] > 0)
        return float(loss), gradients

    def step(self, x: np.ndarray, y: np.ndarray) -> float:
        r"""One update of every kernel with its own learning rate; returns the loss before it.

        SGD: :math:`w_l \leftarrow w_l - \eta_l \partial L/\partial w_l`; Adam:
        :class:`weight_init.training.Adam` with the rates :math:`\eta_l`.
        """
        loss, gradients = self.loss_and_gradients(x, y)
        if self.optimizer == "adam":
            if self._adam is None:
                self._adam = Adam([rule.learning_rate for rule in self.rules])
            self._adam.step(self.weights, gradients)
        else:
            for w, g, rule in zip(self.weights, gradients, self.rules):
                w -= rule.learning_rate * g
        return loss


def build_parametrized_mlp(
    layer_sizes: Sequence[int],
    parametrization: str,
    optimizer: str = "adam",
    learning_rate: float = 1e-3,
    base_width: Optional[int] = None,
    output_multiplier: float = 1.0,
    seed: SeedLike = 0,
    zero_readout: bool = False,
    dtype: Union[type, np.dtype] = np.float32,
) -> ParametrizedMLP:
    r"""A fresh :class:`ParametrizedMLP` with kernels :math:`\mathcal{N}(0, \text{init\_std}^2)`
    from :func:`layer_rules`.

    ``zero_readout=True`` starts the output kernel at zero (the logits are then exactly 0 at
    init). The same seed draws the same standard normals for every parametrization and width
    prefix, so nets differ only by their rules. ``dtype`` is float32 (fast) or float64.
    """
    rules = layer_rules(
        layer_sizes, parametrization, optimizer, learning_rate, base_width, output_multiplier
    )
    if not isinstance(zero_readout, (bool, np.bool_)):
        raise TypeError(
            f"zero_readout must be True or False; received zero_readout={zero_readout!r}."
        )
    dtype = np.dtype(dtype)
    if dtype not in (np.dtype(np.float32), np.dtype(np.float64)):
        raise ValueError(f"dtype must be float32 or float64; received dtype={dtype}.")
    rng = make_rng(seed)
    weights = []
    for rule in rules:
        draw = rng.standard_normal((rule.fan_in, rule.fan_out), dtype=dtype)
        if rule.role == "output" and zero_readout:
            draw[...] = 0
        else:
            draw *= dtype.type(rule.init_std)
        weights.append(draw)
    return ParametrizedMLP(weights, rules, parametrization.lower(), optimizer.lower())


# --------------------------------------------------------------------------------------
# The coordinate check and the learning-rate sweep
# --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class CoordinateCheck:
    """Typical sizes of every layer's output across widths and steps (Yang et al.'s check).

    ``mean_abs[i, t, l]`` is ``mean |h_l|`` for ``widths[i]`` after ``t`` updates and
    ``mean_change[i, t, l]`` is ``mean |h_l(t) - h_l(0)|``, both averaged over the seeds;
    ``h_l`` is hidden layer ``l``'s ReLU output and the last ``l`` is the logits. Shapes
    ``(widths, steps + 1, layers)``. ``seeds`` are the seeds averaged over.
    """

    widths: list[int]
    mean_abs: np.ndarray
    mean_change: np.ndarray
    seeds: tuple[int, ...] = ()


def layer_outputs(model: ParametrizedMLP, x: np.ndarray) -> list[np.ndarray]:
    r""":math:`[h_1, \ldots, h_{L-1}, \text{logits}]`: each hidden layer's ReLU output, then the
    logits."""
    zs = model.forward(x)
    return [np.maximum(z, 0) for z in zs[:-1]] + [zs[-1]]


def coordinate_check(
    widths: Sequence[int],
    parametrization: str,
    optimizer: str,
    learning_rate: float,
    base_width: int,
    input_dim: int = 256,
    classes: int = 10,
    batch_size: int = 32,
    steps: int = 4,
    seeds: Sequence[int] = (0, 1, 2),
    zero_readout: bool = False,
) -> CoordinateCheck:
    r"""Train ``[input_dim, n, n, classes]`` for ``steps`` updates on one fixed batch, at every
    width ``n``, and record :class:`CoordinateCheck`'s sizes after each update.

    Per seed ``s`` the batch is :math:`x \sim \mathcal{N}(0, 1)` ``(batch_size, input_dim)`` with
    uniformly random labels, drawn from ``default_rng([s, 0])``; every net's weights come from
    ``default_rng([s, 1])``. Float32, as in practice.
    """
    widths = check_layer_sizes(widths, "widths")
    seeds = [check_int(seed, "seeds", minimum=0) for seed in seeds]
    if not seeds:
        raise ValueError("seeds must hold at least one seed; received seeds=().")
    steps = check_int(steps, "steps")
    sizes = np.zeros((2, len(seeds), len(widths), steps + 1, 3))
    for s, seed in enumerate(seeds):
        data = np.random.default_rng([seed, 0])
        x = data.standard_normal((batch_size, input_dim), dtype=np.float32)
        y = data.integers(0, classes, batch_size)
        for i, width in enumerate(widths):
            model = build_parametrized_mlp(
                [input_dim, width, width, classes],
                parametrization,
                optimizer,
                learning_rate,
                base_width,
                seed=np.random.default_rng([seed, 1]),
                zero_readout=zero_readout,
            )
            start = layer_outputs(model, x)
            for t in range(steps + 1):
                if t > 0:
                    model.step(x, y)
                for layer, (h, h0) in enumerate(zip(layer_outputs(model, x), start)):
                    sizes[0, s, i, t, layer] = np.mean(np.abs(h))
                    sizes[1, s, i, t, layer] = np.mean(np.abs(h - h0))
    mean_abs, mean_change = sizes.mean(axis=1)
    return CoordinateCheck(widths, mean_abs, mean_change, tuple(seeds))


def combine_coordinate_checks(parts: Sequence[CoordinateCheck]) -> CoordinateCheck:
    r"""Checks of the same widths run on different seeds, as one check over all their seeds:
    each part's sizes weighted by its number of seeds :math:`s_k`,
    :math:`\sum_k s_k \, \text{size}_k / \sum_k s_k`, which is the mean over every seed (so a
    long check can run one seed at a time)."""
    parts = list(parts)
    if not parts or not all(isinstance(part, CoordinateCheck) for part in parts):
        raise TypeError(
            f"parts must be a non-empty sequence of CoordinateCheck; received {parts!r}."
        )
    seeds = [seed for part in parts for seed in part.seeds]
    if len(set(seeds)) != len(seeds) or any(not part.seeds for part in parts):
        raise ValueError(f"parts must each name their seeds, with no seed twice; received {seeds}.")
    shapes = {(tuple(part.widths), part.mean_abs.shape) for part in parts}
    if len(shapes) != 1:
        raise ValueError(f"parts must share their widths and steps; received {sorted(shapes)}.")
    weights = np.array([len(part.seeds) for part in parts], dtype=float) / len(seeds)
    mean_abs = sum(w * part.mean_abs for w, part in zip(weights, parts))
    mean_change = sum(w * part.mean_change for w, part in zip(weights, parts))
    return CoordinateCheck(list(parts[0].widths), mean_abs, mean_change, tuple(seeds))


def final_training_loss(
    model: ParametrizedMLP,
    x: np.ndarray,
    y: np.ndarray,
    steps: int = 120,
    batch_size: int = 32,
    last: int = 20,
    seed: SeedLike = 0,
) -> float:
    """Train ``model`` in place for ``steps`` updates on batches of ``batch_size`` samples of
    ``(x, y)`` drawn with replacement (generator of ``seed``); return the mean batch loss of
    the ``last`` updates (the loss before each of them)."""
    steps = check_int(steps, "steps")
    batch_size = check_int(batch_size, "batch_size")
    last = check_int(last, "last")
    if last > steps:
        raise ValueError(f"last must be at most steps ({steps}); received last={last}.")
    rng = make_rng(seed)
    losses = np.empty(steps)
    for step in range(steps):
        batch = rng.integers(0, len(x), batch_size)
        losses[step] = model.step(x[batch], y[batch])
    return float(np.mean(losses[-last:]))


def best_log2_rate(log2_rates: Sequence[float], losses: Sequence[float]) -> float:
    r"""The vertex of the parabola through the lowest loss of a :math:`\log_2` learning-rate grid
    and its two neighbours: the best :math:`\log_2 \eta` between grid points (the grid's end point
    when the lowest loss sits at an end). Reading it off a fitted curve, not the arg-min,
    keeps it from jumping a whole grid step when two losses are nearly equal."""
    rates = np.asarray(log2_rates, dtype=float)
    values = np.asarray(losses, dtype=float)
    if rates.shape != values.shape or rates.ndim != 1 or len(rates) < 3:
        raise ValueError(
            "log2_rates and losses must be two sequences of the same length (at least 3); "
            f"received lengths {len(rates)} and {len(values)}."
        )
    best = int(np.argmin(values))
    if best in (0, len(values) - 1):
        return float(rates[best])
    (x0, x1, x2), (f0, f1, f2) = rates[best - 1 : best + 2], values[best - 1 : best + 2]
    numerator = (x1 - x0) ** 2 * (f1 - f2) - (x1 - x2) ** 2 * (f1 - f0)
    denominator = (x1 - x0) * (f1 - f2) - (x1 - x2) * (f1 - f0)
    if denominator == 0:  # three equal losses: no curvature to read
        return float(x1)
    return float(x1 - 0.5 * numerator / denominator)
