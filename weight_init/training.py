r"""A small, readable NumPy multilayer perceptron: forward, backward, SGD with momentum, history.

Shape convention (Keras layout, as everywhere in the package): layer ``l`` has a kernel
``W_l`` of shape ``(fan_in, fan_out)`` and a bias ``b_l`` of shape ``(fan_out,)``; a batch is
``(samples, features)``. With :math:`a_0 = x`:

.. math::

    z_l &= a_{l-1} W_l + b_l, \quad a_l = \phi(z_l)
        \qquad \text{for the hidden layers } l = 1, \ldots, L-1, \\
    z_L &= a_{L-1} W_L + b_L \qquad \text{the logits (no activation inside the net).}

The loss turns the logits into the output and averages over the batch of :math:`m` samples; per
loss, the targets ``y``, the per-sample loss and :math:`\partial L/\partial z_L`:

* ``sigmoid_cross_entropy``: 0/1, ``(m,)`` or ``(m, 1)``;
  :math:`\operatorname{softplus}(z) - y z`; :math:`(\sigma(z) - y) / m`.
* ``softmax_cross_entropy``: class index ``(m,)`` or one-hot ``(m, k)``;
  :math:`\operatorname{logsumexp}(z) - z_y`; :math:`(\operatorname{softmax}(z) - Y) / m`.
* ``mean_squared_error``: real ``(m, k)``;
  :math:`\operatorname{mean}_k (z_k - y_k)^2`; :math:`2 (z - y) / (m k)`.

:math:`\operatorname{softplus}(z) - y z` equals
:math:`-y \log \sigma(z) - (1 - y) \log(1 - \sigma(z))` but never takes the log
of a probability that rounded to 0 or 1, so it stays finite for any logit. Back-propagation:

.. math::

    \delta_L &= \partial L/\partial z_L, \\
    \frac{\partial L}{\partial W_l} &= a_{l-1}^\top \delta_l, \quad
    \frac{\partial L}{\partial b_l} = \sum_{\text{samples}} \delta_l, \quad
    \delta_{l-1} = (\delta_l W_l^\top) \odot \phi'(z_{l-1})

and the update (momentum :math:`\mu`, learning rate :math:`\eta`; :math:`\mu = 0` is plain
gradient descent):

.. math::

    v \leftarrow \mu v + g, \qquad \theta \leftarrow \theta - \eta v.

Typical use (the classic comparison, net ``[2, 10, 5, 1]``)::

    x, y = datasets.make_circles(300, seed=1)
    model = build_mlp([2, 10, 5, 1], he_init, activation="relu", seed=3)
    history = train(model, x, y, steps=15_000, learning_rate=0.01)   # trains model in place
    history.loss[0], history.loss[-1], accuracy(model, x, y)

Initializers plug in through the package's ``init_fn(fan_in, fan_out, rng=...)`` protocol
(see :mod:`weight_init.init_fns`); activations come from :mod:`weight_init.activations`.
:func:`gradient_step` is the update every training loop of the package shares.
"""

from __future__ import annotations

import copy
import math
from dataclasses import dataclass, field
from typing import Callable, Optional, Sequence, Union

import numpy as np

from ._checks import check_bool, check_int, check_layer_sizes, check_number
from .activations import Activation, ActivationLike, get_activation
from .experiment import mean_and_std
from .init_fns import InitFn, draw_weights
from .randomness import SeedLike, make_rng

_sigmoid = get_activation("sigmoid").forward


# --------------------------------------------------------------------------------------
# Losses: each maps (logits, prepared targets) to (mean loss, ∂L/∂logits)
# --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Loss:
    r"""A loss on the logits ``z_L`` of shape ``(samples, outputs)``, averaged over samples.

    ``output(z)`` turns logits into what the net predicts (probabilities or values);
    ``prepare_targets(y, outputs)`` checks ``y`` and brings it to the logits' shape once,
    before training; ``value_and_gradient(z, targets)`` returns the mean loss and
    :math:`\partial L/\partial z` (same shape as ``z``).
    """

    name: str
    output: Callable[[np.ndarray], np.ndarray]
    prepare_targets: Callable[[np.ndarray, int], np.ndarray]
    value_and_gradient: Callable[[np.ndarray, np.ndarray], tuple[float, np.ndarray]]


def _softmax(z: np.ndarray) -> np.ndarray:
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def _binary_targets(y: np.ndarray, outputs: int) -> np.ndarray:
    if outputs != 1:
        raise ValueError(
            f"sigmoid_cross_entropy needs a net with 1 output unit; this net has {outputs}. "
            "Use loss='softmax_cross_entropy' for several classes."
        )
    y = np.asarray(y, dtype=float)
    if y.ndim == 1:
        y = y[:, None]
    if y.ndim != 2 or y.shape[1] != 1:
        raise ValueError(
            f"y must have shape (samples,) or (samples, 1) of 0/1 labels; received shape {y.shape}."
        )
    if np.any((y < 0) | (y > 1)):
        raise ValueError(
            "y must hold labels (or probabilities) between 0 and 1 for sigmoid_cross_entropy."
        )
    return y


def _sigmoid_cross_entropy(z: np.ndarray, y: np.ndarray) -> tuple[float, np.ndarray]:
    m = z.shape[0]
    loss = float(np.sum(np.logaddexp(0.0, z) - y * z)) / m
    return loss, (_sigmoid(z) - y) / m


def _class_targets(y: np.ndarray, outputs: int) -> np.ndarray:
    y = np.asarray(y)
    if y.ndim == 2 and y.shape[1] == outputs:
        return y.astype(float)
    if y.ndim != 1:
        raise ValueError(
            f"y must be class indices of shape (samples,) or one-hot of shape (samples, "
            f"{outputs}); "
            f"received shape {y.shape}."
        )
    if not np.issubdtype(y.dtype, np.integer):
        raise TypeError(f"class indices y must be integers; received dtype {y.dtype}.")
    if y.size and (y.min() < 0 or y.max() >= outputs):
        raise ValueError(
            f"class indices y must lie in 0 .. {outputs - 1} (the net has {outputs} outputs); "
            f"received values from {y.min()} to {y.max()}."
        )
    return np.eye(outputs)[y]


def _softmax_cross_entropy(z: np.ndarray, y: np.ndarray) -> tuple[float, np.ndarray]:
    m = z.shape[0]
    shifted = z - z.max(axis=1, keepdims=True)
    e = np.exp(shifted)
    total = e.sum(axis=1, keepdims=True)
    loss = (float(np.sum(np.log(total))) - float(np.sum(shifted * y))) / m
    return loss, (e / total - y) / m


def _real_targets(y: np.ndarray, outputs: int) -> np.ndarray:
    y = np.asarray(y, dtype=float)
    if y.ndim == 1 and outputs == 1:
        y = y[:, None]
    if y.ndim != 2 or y.shape[1] != outputs:
        raise ValueError(
            f"y must have shape (samples, {outputs}) for mean_squared_error; received shape "
            f"{y.shape}."
        )
    return y


def _mean_squared_error(z: np.ndarray, y: np.ndarray) -> tuple[float, np.ndarray]:
    # z may be a stack (..., samples, outputs) of several nets' logits (deep_linear trains many
    # nets at once); the loss then has the stack's shape, one mean per net.
    difference = z - y
    count = difference.shape[-2] * difference.shape[-1]
    loss = np.sum(difference * difference, axis=(-2, -1)) / count
    return (float(loss) if loss.ndim == 0 else loss), (2.0 / count) * difference


def _identity(z: np.ndarray) -> np.ndarray:
    return z


LOSSES: dict[str, Loss] = {
    "sigmoid_cross_entropy": Loss(
        "sigmoid_cross_entropy", _sigmoid, _binary_targets, _sigmoid_cross_entropy
    ),
    "softmax_cross_entropy": Loss(
        "softmax_cross_entropy", _softmax, _class_targets, _softmax_cross_entropy
    ),
    "mean_squared_error": Loss("mean_squared_error", _identity, _real_targets, _mean_squared_error),
}


def get_loss(loss: Union[str, Loss]) -> Loss:
    """The :class:`Loss` for a name in :data:`LOSSES` (or a ``Loss`` itself)."""
    if isinstance(loss, Loss):
        return loss
    if isinstance(loss, str):
        try:
            return LOSSES[loss]
        except KeyError:
            known = ", ".join(sorted(LOSSES))
            raise ValueError(f"Unknown loss: loss={loss!r}. Use one of: {known}.") from None
    raise TypeError(
        f"loss must be a name or a Loss; received loss={loss!r} of type {type(loss).__name__}."
    )


# --------------------------------------------------------------------------------------
# The model
# --------------------------------------------------------------------------------------
@dataclass
class ForwardPass:
    """One forward pass, in the package's layer convention (as
    :class:`weight_init.experiment.NetworkPass`): layer ``l`` (``1 .. L``) sits at index
    ``l - 1``. ``inputs`` is ``a_0``, shape ``(samples, features)``; ``pre_activations[l - 1]``
    is ``z_l`` (``L`` entries, the last one the logits) and ``activations[l - 1]`` is hidden
    layer ``l``'s output ``a_l`` (``L - 1`` entries: the logits get no activation)."""

    inputs: np.ndarray
    pre_activations: list[np.ndarray]
    activations: list[np.ndarray]

    @property
    def logits(self) -> np.ndarray:
        return self.pre_activations[-1]


@dataclass
class Gradients:
    r""":math:`\partial L/\partial W_l` (shapes of the kernels), :math:`\partial L/\partial b_l`
    (``None`` without biases) and the loss."""

    loss: float
    weights: list[np.ndarray]
    biases: Optional[list[np.ndarray]]
    forward: ForwardPass


@dataclass
class MLP:
    """A fully connected net: ``weights[l]`` ``(fan_in, fan_out)``, ``biases[l]`` ``(fan_out,)``.

    ``biases`` is ``None`` for a net without biases (``use_bias=False``). The same
    ``activation`` follows every hidden layer; ``loss`` decides the output (sigmoid,
    softmax or identity of the logits). The arrays may be read and changed directly,
    for example to inspect whether a layer's units are still identical.
    """

    weights: list[np.ndarray]
    biases: Optional[list[np.ndarray]]
    activation: Activation
    loss: Loss

    @property
    def layer_sizes(self) -> list[int]:
        """``[input_dim, hidden_1, ..., outputs]``."""
        return [self.weights[0].shape[0]] + [w.shape[1] for w in self.weights]

    def copy(self) -> "MLP":
        """An independent copy (arrays copied), e.g. to keep the initial weights."""
        return copy.deepcopy(self)

    def _check_inputs(self, x: np.ndarray) -> np.ndarray:
        return _check_batch(x, self.weights[0].shape[0], f" (layer_sizes={self.layer_sizes})")

    def forward(self, x: np.ndarray) -> ForwardPass:
        """Every ``z_l`` and ``a_l`` for a batch ``x`` of shape ``(samples, input_dim)``."""
        return _forward(self.weights, self.biases, self.activation.forward, self._check_inputs(x))

    def predict_proba(self, x: np.ndarray) -> np.ndarray:
        """The net's output, ``(samples, outputs)``: probabilities for the cross-entropy losses."""
        return self.loss.output(self.forward(x).logits)

    def predict(self, x: np.ndarray) -> np.ndarray:
        """Class labels ``(samples,)`` (threshold 0.5 for one sigmoid output, else arg-max);
        the raw outputs for ``mean_squared_error``."""
        logits = self.forward(x).logits
        if self.loss.name == "mean_squared_error":
            return logits
        if logits.shape[1] == 1:
            return (logits[:, 0] > 0).astype(np.int64)
        return np.argmax(logits, axis=1)

    def loss_and_gradients(self, x: np.ndarray, y: np.ndarray) -> Gradients:
        """The mean loss on ``(x, y)`` and its gradient for every weight and bias."""
        x = self._check_inputs(x)
        targets = _prepare_targets(self.loss, self.weights[-1].shape[1], x, y)
        return _loss_and_gradients(self, x, targets)


def _forward(
    weights: list[np.ndarray],
    biases: Optional[list[np.ndarray]],
    phi: Callable[[np.ndarray], np.ndarray],
    x: np.ndarray,
) -> ForwardPass:
    pre_activations, activations = [], []
    a = x
    last = len(weights) - 1
    for layer, w in enumerate(weights):
        z = a @ w
        if biases is not None:
            z += biases[layer]
        pre_activations.append(z)
        if layer < last:
            a = phi(z)
            activations.append(a)
    return ForwardPass(x, pre_activations, activations)


def _loss_and_gradients(model: MLP, x: np.ndarray, targets: np.ndarray) -> Gradients:
    weights, biases = model.weights, model.biases
    derivative = model.activation.derivative
    forward = _forward(weights, biases, model.activation.forward, x)
    zs, layer_inputs = forward.pre_activations, [x, *forward.activations]
    loss, delta = model.loss.value_and_gradient(zs[-1], targets)
    weight_grads: list[np.ndarray] = [None] * len(weights)  # type: ignore[list-item]
    bias_grads: Optional[list[np.ndarray]] = None if biases is None else [None] * len(weights)  # type: ignore[list-item]
    for layer in range(len(weights) - 1, -1, -1):
        weight_grads[layer] = layer_inputs[layer].T @ delta
        if bias_grads is not None:
            bias_grads[layer] = delta.sum(axis=0)
        if layer > 0:
            delta = (delta @ weights[layer].T) * derivative(zs[layer - 1])
    return Gradients(loss, weight_grads, bias_grads, forward)


def _check_batch(x: np.ndarray, input_dim: int, detail: str = "") -> np.ndarray:
    """``x`` as a float ``(samples, input_dim)`` array, or a ValueError naming the shapes."""
    x = np.asarray(x, dtype=float)
    if x.ndim != 2 or x.shape[1] != input_dim:
        raise ValueError(
            f"x must have shape (samples, {input_dim}) for this net{detail}; received shape "
            f"{x.shape}."
        )
    return x


def _prepare_targets(loss: Loss, outputs: int, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """``y`` checked and shaped for ``loss`` on a net with ``outputs`` logits, a row per x row."""
    targets = loss.prepare_targets(y, outputs)
    if targets.shape[0] != x.shape[0]:
        raise ValueError(
            f"x and y must hold the same number of samples; received {x.shape[0]} inputs and "
            f"{targets.shape[0]} targets."
        )
    return targets


InitSpec = Union[InitFn, Sequence[InitFn]]


def build_mlp(
    layer_sizes: Sequence[int],
    init_fn: InitSpec,
    activation: ActivationLike = "relu",
    loss: Union[str, Loss] = "sigmoid_cross_entropy",
    seed: SeedLike = 0,
    bias_std: float = 0.0,
    use_bias: bool = True,
) -> MLP:
    r"""A fresh net ``layer_sizes = [input_dim, hidden_1, ..., outputs]`` (at least two entries).

    ``init_fn(fan_in, fan_out, rng=...) -> (fan_in, fan_out)`` draws each kernel (the
    package's initializer protocol, e.g. ``init_fns.he_init``; see :mod:`weight_init.init_fns`);
    pass a sequence of them to choose one per layer. Every init_fn receives the generator of
    ``seed``, so one seed fixes the whole net. Biases are :math:`\mathcal{N}(0, \text{bias\_std}^2)`
    (zeros by default, the usual choice), drawn after each layer's kernel; ``use_bias=False`` builds
    a net without biases (for example a deep linear net with ``activation="linear"``).
    ``activation`` is a name of :data:`weight_init.activations.ACTIVATIONS` (relu, tanh, sigmoid,
    linear, leaky_relu, selu), an ``Activation`` or a callable; ``loss`` a name of :data:`LOSSES`.
    """
    sizes = check_layer_sizes(layer_sizes, "layer_sizes", minimum_length=2)
    n_layers = len(sizes) - 1
    if callable(init_fn):
        init_fns = [init_fn] * n_layers
    elif (
        isinstance(init_fn, Sequence)
        and not isinstance(init_fn, str)
        and all(map(callable, init_fn))
    ):
        init_fns = list(init_fn)
        if len(init_fns) != n_layers:
            raise ValueError(
                f"init_fn must be one callable or one per layer ({n_layers} for "
                f"layer_sizes={sizes}); "
                f"received {len(init_fns)}."
            )
    else:
        raise TypeError(
            "init_fn must be a callable init_fn(fan_in, fan_out, rng=None) or a sequence of them; "
            f"received init_fn={init_fn!r}."
        )
    bias_std = check_number(bias_std, "bias_std", minimum=0.0)
    use_bias = check_bool(use_bias, "use_bias")
    if bias_std > 0 and not use_bias:
        raise ValueError(f"bias_std={bias_std} needs biases; received use_bias=False.")

    rng = make_rng(seed)
    weights, biases = [], []
    for fan_in, fan_out, layer_init in zip(sizes[:-1], sizes[1:], init_fns):
        weights.append(draw_weights(layer_init, fan_in, fan_out, rng))
        biases.append(
            bias_std * rng.standard_normal(fan_out) if bias_std > 0 else np.zeros(fan_out)
        )
    return MLP(weights, biases if use_bias else None, get_activation(activation), get_loss(loss))


# --------------------------------------------------------------------------------------
# Training
# --------------------------------------------------------------------------------------
@dataclass
class History:
    r"""What :func:`train` recorded.

    ``loss[t]`` is the mini-batch loss just before update ``t`` (shape ``(steps,)``). With
    ``record_gradient_norms`` / ``record_activation_stats``, at each step of
    ``recorded_steps`` (every ``record_every`` steps, from step 0) it also keeps
    ``gradient_norms[r, l]`` = :math:`\|\partial L/\partial W_l\|_F` (shape ``(records, layers)``)
    and the mean and std of every hidden layer's activations on the batch (shape
    ``(records, hidden layers)``).
    """

    loss: np.ndarray
    recorded_steps: np.ndarray
    gradient_norms: Optional[np.ndarray] = None
    activation_means: Optional[np.ndarray] = None
    activation_stds: Optional[np.ndarray] = None
    final_loss: float = field(init=False)

    def __post_init__(self) -> None:
        self.final_loss = float(self.loss[-1]) if len(self.loss) else math.nan


def gradient_step(
    parameters: Sequence[np.ndarray],
    gradients: Sequence[np.ndarray],
    learning_rate: Union[float, np.ndarray],
    velocities: Optional[Sequence[np.ndarray]] = None,
    momentum: float = 0.0,
) -> None:
    r"""One update of every parameter in place, the step all the package's training loops share.

    Without ``velocities``: :math:`\theta \leftarrow \theta - \eta g` (gradient descent). With them
    (arrays shaped like the parameters, updated in place): :math:`v \leftarrow \mu v + g`,
    :math:`\theta \leftarrow \theta - \eta v` (momentum :math:`\mu`). ``learning_rate`` :math:`\eta`
    may be an array that broadcasts against each gradient, e.g. one rate per replica of a stacked
    set of nets.
    """
    if velocities is None:
        for parameter, gradient in zip(parameters, gradients, strict=True):
            parameter -= learning_rate * gradient
    else:
        for parameter, gradient, velocity in zip(parameters, gradients, velocities, strict=True):
            velocity *= momentum
            velocity += gradient
            parameter -= learning_rate * velocity


def check_training_settings(
    steps: int, learning_rate: float, momentum: float = 0.0
) -> tuple[int, float, float]:
    """``(steps, learning_rate, momentum)`` as :func:`train` accepts them, or the error it raises.

    ``steps`` an int ``>= 1``, ``learning_rate`` a finite number ``> 0``, ``momentum`` a finite
    number in ``[0, 1)``.
    """
    return (
        check_int(steps, "steps"),
        check_number(learning_rate, "learning_rate", positive=True),
        check_number(momentum, "momentum", minimum=0.0, below=1.0),
    )


def train(
    model: MLP,
    x: np.ndarray,
    y: np.ndarray,
    steps: int = 1000,
    learning_rate: float = 0.01,
    momentum: float = 0.0,
    batch_size: Optional[int] = None,
    seed: SeedLike = 0,
    record_gradient_norms: bool = False,
    record_activation_stats: bool = False,
    record_every: int = 1,
) -> History:
    r"""Train ``model`` in place (like Keras's ``fit``) for ``steps`` updates and return its
    :class:`History`.

    ``x`` is ``(samples, input_dim)``; ``y`` as the model's loss expects (see the module
    table). ``batch_size=None`` uses the whole set every step (full-batch gradient descent);
    otherwise each epoch visits the samples once in an order shuffled by ``seed``, in
    batches of ``batch_size`` (the last one may be smaller). ``momentum`` :math:`\mu` in
    :math:`[0, 1)`: :math:`v \leftarrow \mu v + g, \theta \leftarrow \theta - \eta v`. Same model,
    data and seed give the same result.
    """
    x = model._check_inputs(x)
    targets = _prepare_targets(model.loss, model.weights[-1].shape[1], x, y)
    steps, learning_rate, momentum = check_training_settings(steps, learning_rate, momentum)
    record_every = check_int(record_every, "record_every")
    n_samples = x.shape[0]
    if batch_size is not None:
        batch_size = check_int(batch_size, "batch_size")
        if batch_size > n_samples:
            raise ValueError(
                f"batch_size must be at most the number of samples ({n_samples}); received "
                f"batch_size={batch_size}."
            )
    full_batch = batch_size is None or batch_size == n_samples
    rng = make_rng(seed)

    parameters = model.weights + (model.biases or [])
    velocities = [np.zeros_like(p) for p in parameters] if momentum > 0 else None
    recorded_steps = np.arange(0, steps, record_every)
    losses = np.empty(steps)
    n_layers = len(model.weights)
    norms = np.empty((len(recorded_steps), n_layers)) if record_gradient_norms else None
    means = np.empty((len(recorded_steps), n_layers - 1)) if record_activation_stats else None
    stds = np.empty_like(means) if record_activation_stats else None

    order = np.arange(n_samples)
    position = n_samples
    batch_x, batch_targets = x, targets
    for step in range(steps):
        if not full_batch:
            if position >= n_samples:
                order = rng.permutation(n_samples)
                position = 0
            batch = order[position : position + batch_size]
            position += batch_size
            batch_x, batch_targets = x[batch], targets[batch]
        grads = _loss_and_gradients(model, batch_x, batch_targets)
        losses[step] = grads.loss
        if step % record_every == 0:
            record = step // record_every
            if norms is not None:
                norms[record] = [math.sqrt(float(np.vdot(g, g))) for g in grads.weights]
            if means is not None and stds is not None:
                for layer, a in enumerate(grads.forward.activations):
                    means[record, layer], stds[record, layer] = mean_and_std(a)
        gradient_step(
            parameters, grads.weights + (grads.biases or []), learning_rate, velocities, momentum
        )
    return History(losses, recorded_steps, norms, means, stds)


# --------------------------------------------------------------------------------------
# Adam: an optimizer for update loops written by hand
# --------------------------------------------------------------------------------------
class Adam:
    r"""Adam (Kingma & Ba 2015) for a list of parameter arrays, updated in place by :meth:`step`.

    For every parameter :math:`\theta` with gradient :math:`g`, at step :math:`t = 1, 2, \ldots`:

    .. math::

        m &\leftarrow \beta_1 m + (1 - \beta_1) g, \qquad v \leftarrow \beta_2 v + (1 - \beta_2) g^2
        \\ \hat{m} &= m / (1 - \beta_1^t), \qquad \hat{v} = v / (1 - \beta_2^t) \\
        \theta &\leftarrow \theta - \eta \, \hat{m} / (\sqrt{\hat{v}} + \varepsilon)

    ``learning_rates`` holds one :math:`\eta` per parameter (one number for all of them is allowed):
    per-layer rates are what the width-aware parametrizations need. Each update moves every
    entry by about :math:`\eta` whatever the gradient's scale, which is why Adam's rates, not
    SGD's, carry the :math:`1/\text{fan\_in}` of μP's hidden layers.
    """

    def __init__(
        self,
        learning_rates: Union[float, Sequence[float]],
        beta1: float = 0.9,
        beta2: float = 0.999,
        epsilon: float = 1e-8,
    ) -> None:
        if isinstance(learning_rates, (int, float, np.integer, np.floating)):
            learning_rates = [learning_rates]
        self.learning_rates = [
            check_number(rate, "learning_rates", positive=True) for rate in learning_rates
        ]
        self.beta1 = check_number(beta1, "beta1", minimum=0.0, below=1.0)
        self.beta2 = check_number(beta2, "beta2", minimum=0.0, below=1.0)
        self.epsilon = check_number(epsilon, "epsilon", minimum=0.0)
        self.steps_taken = 0
        self._first: list[np.ndarray] = []
        self._second: list[np.ndarray] = []
        self._scratch: list[np.ndarray] = []

    def step(self, parameters: Sequence[np.ndarray], gradients: Sequence[np.ndarray]) -> None:
        """One update of every array of ``parameters`` (in place) from its gradient."""
        if len(parameters) != len(gradients):
            raise ValueError(
                f"parameters and gradients must pair up; received {len(parameters)} and "
                f"{len(gradients)}."
            )
        rates = self.learning_rates
        if len(rates) == 1:
            rates = rates * len(parameters)
        if len(rates) != len(parameters):
            raise ValueError(
                f"learning_rates must hold one rate or one per parameter ({len(parameters)}); "
                f"received {len(rates)}."
            )
        if not self._first:
            self._first = [np.zeros_like(p) for p in parameters]
            self._second = [np.zeros_like(p) for p in parameters]
            self._scratch = [np.empty_like(p) for p in parameters]
        self.steps_taken += 1
        t = self.steps_taken
        correction1, correction2 = 1.0 - self.beta1**t, 1.0 - self.beta2**t
        state = zip(parameters, gradients, self._first, self._second, self._scratch, rates)
        for p, g, m, v, scratch, rate in state:
            # The formulas above, in place (one scratch array per parameter, no temporaries).
            m *= self.beta1
            np.multiply(g, 1.0 - self.beta1, out=scratch)
            m += scratch
            v *= self.beta2
            np.multiply(g, g, out=scratch)
            scratch *= 1.0 - self.beta2
            v += scratch
            np.multiply(v, 1.0 / correction2, out=scratch)
            np.sqrt(scratch, out=scratch)
            scratch += self.epsilon
            np.divide(m, scratch, out=scratch)
            scratch *= rate / correction1
            p -= scratch


# --------------------------------------------------------------------------------------
# Symmetry: are a layer's units still copies of each other?
# --------------------------------------------------------------------------------------
def largest_unit_difference(kernel: np.ndarray) -> float:
    """``max_ij |W_ij - W_i0|`` for a ``(fan_in, fan_out)`` kernel: how far any unit's incoming
    weights (a column) are from the first unit's. ``0.0`` means every unit is a copy."""
    kernel = np.asarray(kernel, dtype=float)
    if kernel.ndim != 2:
        raise ValueError(
            f"kernel must be a (fan_in, fan_out) matrix; received shape {kernel.shape}."
        )
    return float(np.max(np.abs(kernel - kernel[:, :1])))


def one_unit_equivalent(model: MLP, tolerance: float = 1e-9) -> MLP:
    r"""The net with one unit per hidden layer that computes exactly what ``model`` computes.

    It exists when in every hidden layer all units are copies (identical kernel columns and
    biases, up to ``tolerance`` relative to the layer's largest weight), as after a constant
    initialization. Each copy then outputs the same value ``h``, so the next layer sees
    :math:`\sum_i h W_{ij} = h \cdot \sum_i W_{ij}`: its one-unit kernel is the column sum, shape
    ``(1, fan_out)``. Raises ``ValueError`` when some layer's units differ. A net without hidden
    layers is returned as a copy.
    """
    tolerance = check_number(tolerance, "tolerance", minimum=0.0)
    if len(model.weights) == 1:
        return model.copy()
    weights, biases = [model.weights[0][:, :1].copy()], []
    for layer, kernel in enumerate(model.weights[:-1]):
        spread = largest_unit_difference(kernel)
        if model.biases is not None:
            spread = max(spread, float(np.ptp(model.biases[layer])))
        scale = max(float(np.max(np.abs(kernel))), 1.0)
        if spread > tolerance * scale:
            raise ValueError(
                f"the units of hidden layer {layer + 1} differ by up to {spread:.3g}, so no "
                "one-unit "
                "net computes the same function."
            )
    for kernel in model.weights[1:-1]:
        weights.append(kernel[:, :1].sum(axis=0, keepdims=True))
    weights.append(model.weights[-1].sum(axis=0, keepdims=True))
    if model.biases is not None:
        biases = [b[:1].copy() for b in model.biases[:-1]] + [model.biases[-1].copy()]
    return MLP(weights, biases if model.biases is not None else None, model.activation, model.loss)


# --------------------------------------------------------------------------------------
# Evaluation helpers for the notebooks
# --------------------------------------------------------------------------------------
def accuracy(model: MLP, x: np.ndarray, y: np.ndarray) -> float:
    """Fraction of samples whose predicted class equals ``y`` (class indices, or one-hot)."""
    y = np.asarray(y)
    if y.ndim == 2 and y.shape[1] > 1:
        y = np.argmax(y, axis=1)
    labels = y.reshape(-1)
    predicted = model.predict(x)
    if labels.shape != predicted.shape:
        raise ValueError(
            f"y must hold one label per sample ({predicted.shape[0]}); received shape "
            f"{np.shape(y)}."
        )
    return float(np.mean(predicted == labels))


def decision_surface(
    model: MLP, x: np.ndarray, resolution: int = 200, margin: float = 0.25
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    r"""The predicted class on a :math:`\text{resolution} \times \text{resolution}` grid covering
    2-D data ``x``.

    Returns ``(grid_x, grid_y, classes)``, each of shape ``(resolution, resolution)``, ready
    for ``contourf``; the grid extends ``margin`` beyond the data on every side.
    """
    x = model._check_inputs(x)
    if x.shape[1] != 2:
        raise ValueError(f"decision_surface needs 2-D inputs; received x of shape {x.shape}.")
    resolution = check_int(resolution, "resolution")
    margin = check_number(margin, "margin", minimum=0.0)
    low, high = x.min(axis=0) - margin, x.max(axis=0) + margin
    grid_x, grid_y = np.meshgrid(
        np.linspace(low[0], high[0], resolution), np.linspace(low[1], high[1], resolution)
    )
    classes = model.predict(np.column_stack([grid_x.ravel(), grid_y.ravel()])).reshape(grid_x.shape)
    return grid_x, grid_y, classes


def probability_surface(
    model: MLP, x: np.ndarray, resolution: int = 200, margin: float = 0.25
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``p(class 1)`` of a one-output sigmoid net on the grid of :func:`decision_surface`.

    Returns ``(grid_x, grid_y, probability)``, each ``(resolution, resolution)``. Unlike the
    hard class of :func:`decision_surface` it shows how sure the net is: a net stuck at the
    origin gives ``0.5`` everywhere, however its arg-max happens to fall.
    """
    grid_x, grid_y, _ = decision_surface(model, x, resolution, margin)
    if model.weights[-1].shape[1] != 1 or model.loss.name != "sigmoid_cross_entropy":
        raise ValueError(
            "probability_surface needs a net with one sigmoid output; received "
            f"{model.weights[-1].shape[1]} outputs and loss {model.loss.name!r}."
        )
    grid = np.column_stack([grid_x.ravel(), grid_y.ravel()])
    probability = model.predict_proba(grid)[:, 0].reshape(grid_x.shape)
    return grid_x, grid_y, probability
