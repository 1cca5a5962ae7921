"""The Keras initializer catalogue in plain NumPy, value for value the same as Keras 3.

Every class has Keras's name, constructor arguments, defaults and ``get_config`` keys, and is
called the Keras way::

    init = GlorotUniform(seed=1)
    kernel = init((fan_in, fan_out))          # float32 unless dtype= says otherwise

For an integer seed the values are bit-identical to Keras 3.15 on its NumPy backend, which
seeds ``np.random.default_rng(np.array([seed, 0], dtype=np.uint32))`` afresh on every call;
``Orthogonal`` agrees to float32 rounding (its QR comes from the installed LAPACK).

Shape convention (Keras layout): a dense kernel is ``(fan_in, fan_out)``, a convolution kernel
``(*kernel_size, in_channels, out_channels)``; see :func:`compute_fans`.

Seeds
-----
- ``seed=int`` (0 .. 2**32 - 1): every call returns the same values, as does every other
  instance with the same seed.
- ``seed=None``: one random integer seed is drawn when the instance is made, so one instance
  always returns the same values, while ``clone()`` and ``from_config()`` draw a new one
  (the config keeps ``seed: None``). This is Keras's behaviour.
- ``seed=numpy.random.Generator`` (our extension, not in Keras): draws come from that
  generator and continue its stream, so successive calls differ and one generator can seed a
  whole network. A generator cannot be written into a config: ``get_config`` records
  ``seed: None``, so a clone is an unseeded initializer.

Where we part from Keras 3.15 on purpose
----------------------------------------
- ``Identity.get_config()`` keeps ``gain`` (Keras 3.15 returns ``{}``, so a saved and reloaded
  ``Identity(gain=2.0)`` silently becomes ``gain=1.0``).
- ``get("constant")`` returns ``Constant(0.0)`` (Keras 3.15 raises ``KeyError: 'value'``):
  ``Constant.from_config`` falls back to the constructor's default.
- Errors Keras leaves to NumPy, or does not raise at all, are raised here with a message naming
  the argument: a negative, too-large or ``bool`` seed (Keras: ``OverflowError`` at call time,
  or ``True`` taken as 1), negative or non-integer dimensions, a non-float dtype for a random
  initializer (Keras returns silently truncated integers), a negative ``stddev``, ``maxval``
  below ``minval`` (Keras: NumPy's ``ValueError: high - low < 0`` at call time), non-finite
  numbers (Keras accepts ``scale=nan``), axes outside the shape, and a non-float dtype for
  ``Identity`` (Keras returns float64 there whatever was asked).
- ``Orthogonal`` honours ``dtype``: float64 is factorized in float64 (Keras 3.15 converts the
  draw to float32 before its QR and returns float32 whatever was asked), and float16 is
  factorized in float32 and rounded back (Keras 3.15 raises TypeError: NumPy has no float16 QR).
- ``get`` accepts names, classes, config dicts and callables; it does not wrap raw arrays.
"""

from __future__ import annotations

import inspect
import math
import numbers
import re
from typing import Any, Callable, Optional, Sequence, Union

import numpy as np

from .randomness import SeedLike

TRUNCATED_NORMAL_STD = 0.87962566103423978
"""Std of a standard normal truncated to [-2, 2] (Keras's literal; see
:func:`truncated_normal_std`); VarianceScaling divides by it."""

KERAS_MODULE = "keras.initializers"
SEED_LIMIT = 2**32

Shape = Sequence[int]
DTypeLike = Any


# --------------------------------------------------------------------------------------
# Argument checks (one place for every message)
# --------------------------------------------------------------------------------------
def _check_shape(shape: Shape) -> tuple[int, ...]:
    if isinstance(shape, (str, bytes)) or not hasattr(shape, "__iter__"):
        raise TypeError(f"shape must be a tuple of non-negative ints; received shape={shape!r}.")
    dims = tuple(shape)
    for dim in dims:
        if isinstance(dim, (bool, np.bool_)) or not isinstance(dim, (int, np.integer)):
            raise TypeError(
                f"shape must hold ints; received shape={dims!r} with {dim!r} "
                f"of type {type(dim).__name__}."
            )
        if dim < 0:
            raise ValueError(f"shape dimensions must be non-negative; received shape={dims!r}.")
    return tuple(int(dim) for dim in dims)


def _check_dtype(dtype: DTypeLike, kinds: str, who: str) -> np.dtype:
    """``dtype`` as a NumPy dtype of a kind in ``kinds``: ``f`` float, ``iu`` int, ``b`` bool."""
    if dtype is None:
        return np.dtype(np.float32)
    try:
        resolved = np.dtype(dtype)
    except TypeError:
        raise TypeError(f"{who} cannot make dtype={dtype!r}: it is not a NumPy dtype.") from None
    if resolved.kind not in kinds:
        allowed = {"f": "float", "i": "integer", "u": "unsigned integer", "b": "bool"}
        names = " or ".join(allowed[k] for k in kinds)
        raise TypeError(f"{who} needs a {names} dtype; received dtype={dtype!r}.")
    return resolved


def _check_number(name: str, value: Any) -> None:
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number; received {name}={value!r}.")
    if not math.isfinite(value):
        raise ValueError(f"{name} must be finite; received {name}={value!r}.")


def _seed_error(seed: Any) -> ValueError:
    return ValueError(
        "`seed` argument should be an instance of `keras.random.SeedGenerator()` "
        f"or an integer. Received: seed={seed}"
    )


def _check_int_seed(seed: int) -> int:
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise _seed_error(seed)
    if not 0 <= seed < SEED_LIMIT:
        raise ValueError(
            f"seed must be an int in [0, 2**32) (Keras seeds a uint32 pair); received seed={seed}."
        )
    return seed


def _check_seed(seed: SeedLike) -> SeedLike:
    if seed is None or isinstance(seed, np.random.Generator):
        return seed
    return _check_int_seed(seed)


def _check_stddev(stddev: float) -> None:
    _check_number("stddev", stddev)
    if stddev < 0:
        raise ValueError(f"stddev must be non-negative; received stddev={stddev!r}.")


def _check_mode(mode: str) -> None:
    if not isinstance(mode, str) or mode not in MODES:
        raise ValueError(f"Invalid `mode` argument: {mode}. Please use one of {list(MODES)}")


def _check_axes(name: str, axes: Optional[Sequence[int]]) -> None:
    if axes is None:
        return
    if isinstance(axes, (str, bytes)) or not hasattr(axes, "__iter__"):
        raise TypeError(f"{name} must be None or a list of ints; received {name}={axes!r}.")
    for axis in axes:
        if isinstance(axis, (bool, np.bool_)) or not isinstance(axis, (int, np.integer)):
            raise TypeError(f"{name} must hold ints; received {name}={axes!r}.")


def _axes_product(shape: tuple[int, ...], axes: Sequence[int], name: str) -> int:
    product = 1
    for axis in axes:
        if not -len(shape) <= axis < len(shape):
            raise ValueError(
                f"{name}={list(axes)!r} names an axis outside shape={shape!r} of rank {len(shape)}."
            )
        product *= shape[axis]
    return product


# --------------------------------------------------------------------------------------
# Fans
# --------------------------------------------------------------------------------------
def compute_fans(
    shape: Shape,
    input_axes: Optional[Sequence[int]] = None,
    output_axes: Optional[Sequence[int]] = None,
) -> tuple[int, int]:
    r"""``(fan_in, fan_out)`` of a Keras-layout weight shape, as ints.

    - rank 0: ``(1, 1)``; rank 1 ``(n,)``: ``(n, n)``; rank 2 ``(fan_in, fan_out)``: as is.
    - rank >= 3, a convolution kernel ``(*kernel_size, in, out)``: with the receptive field
      ``rf = prod(kernel_size)``, :math:`\text{fan\_in} = \text{in} \cdot \text{rf}` and
      :math:`\text{fan\_out} = \text{out} \cdot \text{rf}`; ``(3, 3, 4, 8)`` gives ``(36, 72)``.
    - Only when both ``input_axes`` and ``output_axes`` are given (EinsumDense kernels):
      ``fan_in = prod(shape[a] for a in input_axes)``, ``fan_out`` likewise.

    PyTorch stores ``(out, in, *kernel)``: read its fans the other way round.
    """
    dims = _check_shape(shape)
    _check_axes("input_axes", input_axes)
    _check_axes("output_axes", output_axes)
    if input_axes is not None and output_axes is not None:
        return (
            _axes_product(dims, input_axes, "input_axes"),
            _axes_product(dims, output_axes, "output_axes"),
        )
    if len(dims) == 0:
        return 1, 1
    if len(dims) == 1:
        return dims[0], dims[0]
    receptive_field = math.prod(dims[:-2])
    return dims[-2] * receptive_field, dims[-1] * receptive_field


def truncated_normal_std(bound: float = 2.0) -> float:
    r"""Std of :math:`\mathcal{N}(0, 1)` kept within ``[-bound, bound]``:
    :math:`\sqrt{1 - 2\cdot b\cdot \phi(b) / (2\Phi(b) - 1)}`.

    With :math:`\phi` the standard normal density and
    :math:`\Phi(b) = (1 + \operatorname{erf}(b / \sqrt{2})) / 2`; ``truncated_normal_std(2.0)`` is
    0.8796256610342398, Keras's constant.
    """
    _check_number("bound", bound)
    if bound <= 0:
        raise ValueError(f"bound must be positive; received bound={bound!r}.")
    density = math.exp(-bound * bound / 2) / math.sqrt(2 * math.pi)
    mass = math.erf(bound / math.sqrt(2))
    return math.sqrt(1 - 2 * bound * density / mass)


# --------------------------------------------------------------------------------------
# The draws: Keras-on-NumPy's streams, one home each
# --------------------------------------------------------------------------------------
def keras_generator(seed: int) -> np.random.Generator:
    """The generator Keras's NumPy backend builds for an integer ``seed`` on every call."""
    _check_int_seed(seed)
    return np.random.default_rng(np.array([seed, 0], dtype=np.uint32))


def draw_normal(
    rng: np.random.Generator, shape: tuple[int, ...], mean: float, stddev: float, dtype: np.dtype
) -> np.ndarray:
    r""":math:`\mathcal{N}(\text{mean}, \text{stddev}^2)` drawn in float64, then cast to
    ``dtype`` (Keras's order)."""
    return rng.normal(mean, stddev, size=shape).astype(dtype, copy=False)


def draw_uniform(
    rng: np.random.Generator, shape: tuple[int, ...], minval: float, maxval: float, dtype: np.dtype
) -> np.ndarray:
    r""":math:`\mathcal{U}[\text{minval}, \text{maxval})` drawn in float64, then cast to
    ``dtype``."""
    return rng.uniform(minval, maxval, size=shape).astype(dtype, copy=False)


def draw_truncated_normal(
    rng: np.random.Generator, shape: tuple[int, ...], mean: float, stddev: float, dtype: np.dtype
) -> np.ndarray:
    r""":math:`\mathcal{N}(\text{mean}, \text{stddev}^2)` kept within
    :math:`[\text{mean} - 2 \cdot \text{stddev}, \text{mean} + 2 \cdot \text{stddev}]`,
    no rescaling.

    Values outside the bounds are dropped and the stream continues, so the result is the
    first ``prod(shape)`` in-bound values of the normal stream: exactly Keras's. Keras draws
    ``prod(shape)`` values per round; after the first round we draw only about what is
    missing, which yields the same values because a stream's first k normals do not depend
    on how many are asked for at once. The std of the result is
    :math:`\approx 0.8796 \cdot \text{stddev}`.
    """
    _check_number("mean", mean)
    _check_stddev(stddev)  # a NaN would keep no value and loop for ever
    count = math.prod(shape)
    lower, upper = mean - 2 * stddev, mean + 2 * stddev
    kept: list[np.ndarray] = []
    have = 0
    batch = count
    while have < count:
        values = rng.normal(mean, stddev, size=batch)
        values = values[(values >= lower) & (values <= upper)]
        kept.append(values)
        have += values.size
        missing = count - have
        batch = missing + missing // 16 + 16
    flat = kept[0] if len(kept) == 1 else np.concatenate([np.empty(0), *kept])
    return flat[:count].astype(dtype).reshape(shape)


# --------------------------------------------------------------------------------------
# Base classes
# --------------------------------------------------------------------------------------
class Initializer:
    """Base class: ``init(shape, dtype=None)`` returns an array of exactly ``shape``."""

    def __call__(self, shape: Shape, dtype: DTypeLike = None) -> np.ndarray:
        raise NotImplementedError(f"{type(self).__name__} must implement __call__(shape, dtype).")

    def get_config(self) -> dict:
        """The constructor arguments as a JSON-serializable dict (Keras's keys and order)."""
        return {}

    @classmethod
    def from_config(cls, config: dict) -> "Initializer":
        """A new instance from the output of :meth:`get_config`."""
        return cls(**config)

    def clone(self) -> "Initializer":
        """A new instance with the same config (an unseeded one draws a new seed)."""
        return self.__class__.from_config(self.get_config())

    def __repr__(self) -> str:
        arguments = ", ".join(f"{key}={value!r}" for key, value in self.get_config().items())
        return f"{type(self).__name__}({arguments})"


class RandomInitializer(Initializer):
    """An initializer that draws random numbers; handles ``seed`` (see the module docstring)."""

    def __init__(self, seed: SeedLike = None) -> None:
        self._init_seed = _check_seed(seed)
        if seed is None:
            seed = int(np.random.default_rng().integers(1, 10**9, endpoint=True))
        self.seed = seed

    def _generator(self) -> np.random.Generator:
        if isinstance(self.seed, np.random.Generator):
            return self.seed
        return keras_generator(self.seed)

    def _prepare(self, shape: Shape, dtype: DTypeLike) -> tuple[tuple[int, ...], np.dtype]:
        return _check_shape(shape), _check_dtype(dtype, "f", type(self).__name__)

    def get_config(self) -> dict:
        seed = self._init_seed
        return {"seed": None if isinstance(seed, np.random.Generator) else seed}


# --------------------------------------------------------------------------------------
# Constants
# --------------------------------------------------------------------------------------
class Zeros(Initializer):
    """All zeros. Accepts float, integer and bool dtypes."""

    def __call__(self, shape: Shape, dtype: DTypeLike = None) -> np.ndarray:
        return np.zeros(_check_shape(shape), dtype=_check_dtype(dtype, "fiub", "Zeros"))


class Ones(Initializer):
    """All ones. Accepts float, integer and bool dtypes."""

    def __call__(self, shape: Shape, dtype: DTypeLike = None) -> np.ndarray:
        return np.ones(_check_shape(shape), dtype=_check_dtype(dtype, "fiub", "Ones"))


class Constant(Initializer):
    """``value`` everywhere (a finite real scalar, cast to ``dtype`` first, as Keras does).

    Unlike Keras 3.15, ``from_config({})`` gives ``Constant(0.0)``, so ``get("constant")`` works.
    """

    def __init__(self, value: float = 0.0) -> None:
        _check_number("value", value)
        self.value = value

    def __call__(self, shape: Shape, dtype: DTypeLike = None) -> np.ndarray:
        dims, resolved = _check_shape(shape), _check_dtype(dtype, "fiub", "Constant")
        return np.full(dims, np.asarray(self.value).astype(resolved), dtype=resolved)

    def get_config(self) -> dict:
        return {"value": self.value}


class Identity(Initializer):
    r""":math:`\text{gain} \cdot \operatorname{eye}(\text{rows}, \text{cols})` for a 2-D shape
    (rectangular allowed); float dtypes only."""

    def __init__(self, gain: float = 1.0) -> None:
        _check_number("gain", gain)
        self.gain = gain

    def __call__(self, shape: Shape, dtype: DTypeLike = None) -> np.ndarray:
        dims = _check_shape(shape)
        if len(dims) != 2:
            raise ValueError(
                "Identity matrix initializer can only be used for 2D matrices. "
                f"Received: shape={tuple(shape)} of rank {len(dims)}."
            )
        return float(self.gain) * np.eye(*dims, dtype=_check_dtype(dtype, "f", "Identity"))

    def get_config(self) -> dict:
        """``{"gain": ...}``; Keras 3.15 returns ``{}`` and so loses the gain."""
        return {"gain": self.gain}


# --------------------------------------------------------------------------------------
# Plain random draws
# --------------------------------------------------------------------------------------
class RandomNormal(RandomInitializer):
    r""":math:`\mathcal{N}(\text{mean}, \text{stddev}^2)`."""

    def __init__(self, mean: float = 0.0, stddev: float = 0.05, seed: SeedLike = None) -> None:
        _check_number("mean", mean)
        _check_stddev(stddev)
        self.mean, self.stddev = mean, stddev
        super().__init__(seed=seed)

    def __call__(self, shape: Shape, dtype: DTypeLike = None) -> np.ndarray:
        dims, resolved = self._prepare(shape, dtype)
        return draw_normal(self._generator(), dims, self.mean, self.stddev, resolved)

    def get_config(self) -> dict:
        return {**super().get_config(), "mean": self.mean, "stddev": self.stddev}


class TruncatedNormal(RandomNormal):
    r""":math:`\mathcal{N}(\text{mean}, \text{stddev}^2)` kept within
    :math:`\text{mean} \pm 2\cdot \text{stddev}`; its std is
    :math:`\approx 0.8796 \cdot \text{stddev}` (Keras does not correct this;
    :class:`VarianceScaling` does)."""

    def __call__(self, shape: Shape, dtype: DTypeLike = None) -> np.ndarray:
        dims, resolved = self._prepare(shape, dtype)
        return draw_truncated_normal(self._generator(), dims, self.mean, self.stddev, resolved)


class RandomUniform(RandomInitializer):
    r""":math:`\mathcal{U}[\text{minval}, \text{maxval})`, with ``minval <= maxval``."""

    def __init__(self, minval: float = -0.05, maxval: float = 0.05, seed: SeedLike = None) -> None:
        _check_number("minval", minval)
        _check_number("maxval", maxval)
        if maxval < minval:
            raise ValueError(
                f"maxval must not be below minval; received minval={minval!r}, maxval={maxval!r}."
            )
        self.minval, self.maxval = minval, maxval
        super().__init__(seed=seed)

    def __call__(self, shape: Shape, dtype: DTypeLike = None) -> np.ndarray:
        dims, resolved = self._prepare(shape, dtype)
        return draw_uniform(self._generator(), dims, self.minval, self.maxval, resolved)

    def get_config(self) -> dict:
        return {**super().get_config(), "minval": self.minval, "maxval": self.maxval}


# --------------------------------------------------------------------------------------
# Variance scaling and its presets
# --------------------------------------------------------------------------------------
MODES = ("fan_in", "fan_out", "fan_avg")
DISTRIBUTIONS = ("truncated_normal", "untruncated_normal", "uniform")


def fan_for_mode(fan_in: int, fan_out: int, mode: str) -> float:
    """The ``n`` of VarianceScaling: ``fan_in``, ``fan_out`` or ``(fan_in + fan_out) / 2``."""
    _check_mode(mode)
    return {"fan_in": fan_in, "fan_out": fan_out, "fan_avg": (fan_in + fan_out) / 2.0}[mode]


class VarianceScaling(RandomInitializer):
    r"""Zero-mean draws with variance :math:`v = \text{scale} / \max(1, n)`, :math:`n` chosen by
    ``mode``.

    - ``truncated_normal`` (alias ``normal``): :math:`\mathcal{N}(0, \sigma^2)` kept within
      :math:`\pm 2\sigma` with :math:`\sigma = \sqrt{v} / 0.87962566103423978`, so the std of the
      result is :math:`\sqrt{v}`;
    - ``untruncated_normal``: :math:`\mathcal{N}(0, v)`;
    - ``uniform``: :math:`\mathcal{U}[-\sqrt{3v}, \sqrt{3v})`.

    ``mode`` is one of ``fan_in``, ``fan_out``, ``fan_avg`` (case-sensitive); ``distribution``
    is lower-cased first. Fans come from :func:`compute_fans` (with ``input_axes`` and
    ``output_axes`` when both are given).
    """

    def __init__(
        self,
        scale: float = 1.0,
        mode: str = "fan_in",
        distribution: str = "truncated_normal",
        seed: SeedLike = None,
        input_axes: Optional[Sequence[int]] = None,
        output_axes: Optional[Sequence[int]] = None,
    ) -> None:
        _check_number("scale", scale)
        if scale <= 0.0:
            raise ValueError(f"Argument `scale` must be positive float. Received: scale={scale}")
        _check_mode(mode)
        if not isinstance(distribution, str):
            raise TypeError(
                f"distribution must be a string; received distribution={distribution!r}."
            )
        distribution = distribution.lower()
        if distribution == "normal":
            distribution = "truncated_normal"
        if distribution not in DISTRIBUTIONS:
            raise ValueError(
                f"Invalid `distribution` argument: {distribution}. "
                f"Please use one of {list(DISTRIBUTIONS)}"
            )
        _check_axes("input_axes", input_axes)
        _check_axes("output_axes", output_axes)
        self.scale, self.mode, self.distribution = scale, mode, distribution
        self.input_axes, self.output_axes = input_axes, output_axes
        super().__init__(seed=seed)

    def variance(self, shape: Shape) -> float:
        r""":math:`\text{scale} / \max(1, n)`: the variance of the weights this shape receives."""
        fan_in, fan_out = compute_fans(shape, self.input_axes, self.output_axes)
        return self.scale / max(1.0, fan_for_mode(fan_in, fan_out, self.mode))

    def __call__(self, shape: Shape, dtype: DTypeLike = None) -> np.ndarray:
        dims, resolved = self._prepare(shape, dtype)
        variance = self.variance(dims)
        rng = self._generator()
        if self.distribution == "truncated_normal":
            stddev = math.sqrt(variance) / TRUNCATED_NORMAL_STD
            return draw_truncated_normal(rng, dims, 0.0, stddev, resolved)
        if self.distribution == "untruncated_normal":
            return draw_normal(rng, dims, 0.0, math.sqrt(variance), resolved)
        limit = math.sqrt(3.0 * variance)
        return draw_uniform(rng, dims, -limit, limit, resolved)

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "scale": self.scale,
            "mode": self.mode,
            "distribution": self.distribution,
            "input_axes": self.input_axes,
            "output_axes": self.output_axes,
        }


PRESETS: dict[str, tuple[float, str, str]] = {
    "GlorotUniform": (1.0, "fan_avg", "uniform"),
    "GlorotNormal": (1.0, "fan_avg", "truncated_normal"),
    "HeUniform": (2.0, "fan_in", "uniform"),
    "HeNormal": (2.0, "fan_in", "truncated_normal"),
    "LecunUniform": (1.0, "fan_in", "uniform"),
    "LecunNormal": (1.0, "fan_in", "truncated_normal"),
}
"""Each named rule as ``(scale, mode, distribution)`` of :class:`VarianceScaling`."""


class _Preset(VarianceScaling):
    """A VarianceScaling whose ``(scale, mode, distribution)`` is fixed by :data:`PRESETS`."""

    def __init__(
        self,
        seed: SeedLike = None,
        input_axes: Optional[Sequence[int]] = None,
        output_axes: Optional[Sequence[int]] = None,
    ) -> None:
        # The nearest preset class in the MRO, so a user's subclass of HeNormal is still He.
        preset = next(cls for cls in type(self).__mro__ if cls.__name__ in PRESETS)
        scale, mode, distribution = PRESETS[preset.__name__]
        super().__init__(scale, mode, distribution, seed, input_axes, output_axes)

    def get_config(self) -> dict:
        seed = RandomInitializer.get_config(self)["seed"]
        return {"seed": seed, "input_axes": self.input_axes, "output_axes": self.output_axes}


class GlorotUniform(_Preset):
    r"""Glorot/Xavier uniform: :math:`\mathcal{U}[-\text{limit}, \text{limit})`,
    :math:`\text{limit} = \sqrt{6 / (\text{fan\_in} + \text{fan\_out})}`."""


class GlorotNormal(_Preset):
    r"""Glorot/Xavier normal: truncated normal with std
    :math:`\sqrt{2 / (\text{fan\_in} + \text{fan\_out})}`."""


class HeUniform(_Preset):
    r"""He uniform: :math:`\mathcal{U}[-\text{limit}, \text{limit})`,
    :math:`\text{limit} = \sqrt{6 / \text{fan\_in}}`."""


class HeNormal(_Preset):
    r"""He normal: truncated normal with std :math:`\sqrt{2 / \text{fan\_in}}`."""


class LecunUniform(_Preset):
    r"""LeCun uniform: :math:`\mathcal{U}[-\text{limit}, \text{limit})`,
    :math:`\text{limit} = \sqrt{3 / \text{fan\_in}}`."""


class LecunNormal(_Preset):
    r"""LeCun normal: truncated normal with std :math:`\sqrt{1 / \text{fan\_in}}`."""


# --------------------------------------------------------------------------------------
# Orthogonal
# --------------------------------------------------------------------------------------
class Orthogonal(RandomInitializer):
    r"""A (semi-)orthogonal matrix times ``gain``, for shapes of rank >= 2.

    ``rows = prod(shape[:-1])``, ``cols = shape[-1]``: draw :math:`A \sim \mathcal{N}(0, 1)` of
    shape ``(max(rows, cols), min(rows, cols))`` in ``dtype``, take the reduced QR, multiply each
    column of Q by the sign of R's diagonal (so Q is uniformly distributed), transpose if
    ``rows < cols``, reshape to ``shape``. The last axis is kept whole (PyTorch keeps axis 0).
    float16 is factorized in float32 and rounded back (NumPy's QR has no float16); float64
    stays float64 (see the module docstring for how Keras 3.15 differs).
    """

    def __init__(self, gain: float = 1.0, seed: SeedLike = None) -> None:
        _check_number("gain", gain)
        self.gain = gain
        super().__init__(seed=seed)

    def __call__(self, shape: Shape, dtype: DTypeLike = None) -> np.ndarray:
        dims = _check_shape(shape)
        if len(dims) < 2:
            raise ValueError(
                "The tensor to initialize must be at least two-dimensional. "
                f"Received: shape={tuple(shape)} of rank {len(dims)}."
            )
        resolved = _check_dtype(dtype, "f", "Orthogonal")
        rows, cols = math.prod(dims[:-1]), dims[-1]
        a = draw_normal(self._generator(), (max(rows, cols), min(rows, cols)), 0.0, 1.0, resolved)
        q, r = np.linalg.qr(a if resolved.itemsize >= 4 else a.astype(np.float32))
        q *= np.sign(np.diag(r))
        if rows < cols:
            q = q.T
        return float(self.gain) * q.reshape(dims).astype(resolved, copy=False)

    def get_config(self) -> dict:
        return {**super().get_config(), "gain": self.gain}


# --------------------------------------------------------------------------------------
# Names, get, serialize, deserialize
# --------------------------------------------------------------------------------------
CATALOGUE: tuple[type[Initializer], ...] = (
    Zeros,
    Ones,
    Constant,
    RandomNormal,
    RandomUniform,
    TruncatedNormal,
    VarianceScaling,
    Orthogonal,
    Identity,
    GlorotNormal,
    GlorotUniform,
    HeNormal,
    HeUniform,
    LecunNormal,
    LecunUniform,
)
"""The fifteen initializers, in the order Keras's documentation lists them."""


def snake_case(name: str) -> str:
    """``GlorotUniform`` → ``glorot_uniform``: Keras's second name for each class."""
    if not isinstance(name, str):
        raise TypeError(f"name must be a str; received name={name!r}.")
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


ALIASES: dict[str, type[Initializer]] = {
    "normal": RandomNormal,
    "uniform": RandomUniform,
    "zero": Zeros,
    "one": Ones,
    "IdentityInitializer": Identity,
    "OrthogonalInitializer": Orthogonal,
}

NAMES: dict[str, type[Initializer]] = {
    **{cls.__name__: cls for cls in CATALOGUE},
    **{snake_case(cls.__name__): cls for cls in CATALOGUE},
    **ALIASES,
}
"""Every accepted name (case-sensitive) → class."""


GALLERY_ARGUMENTS: dict[str, dict] = {"Constant": {"value": 0.05}}
"""Arguments that make a gallery panel differ from another (``Constant()`` alone is ``Zeros``)."""


def sample_catalogue(
    shape: Shape = (200, 100), seed: int = 0, dtype: DTypeLike = None
) -> dict[str, np.ndarray]:
    """One draw of every catalogue initializer at ``shape``, keyed by class name.

    Defaults everywhere except :data:`GALLERY_ARGUMENTS`; random ones get ``seed``.
    """
    samples = {}
    for cls in CATALOGUE:
        arguments = dict(GALLERY_ARGUMENTS.get(cls.__name__, {}))
        if issubclass(cls, RandomInitializer):
            arguments["seed"] = seed
        samples[cls.__name__] = cls(**arguments)(shape, dtype)
    return samples


def _unknown(identifier: Any) -> ValueError:
    return ValueError(f"Could not interpret initializer identifier: {identifier}")


def serialize(initializer: Initializer) -> dict:
    """Keras's serialized form: ``{"module", "class_name", "config", "registered_name"}``."""
    if not isinstance(initializer, Initializer):
        raise TypeError(
            f"serialize needs an Initializer of this catalogue; received "
            f"initializer={initializer!r}."
        )
    return {
        "module": KERAS_MODULE,
        "class_name": type(initializer).__name__,
        "config": initializer.get_config(),
        "registered_name": None,
    }


def deserialize(config: Union[dict, str]) -> Initializer:
    """An instance from ``{"class_name": ..., "config": {...}}`` (extra keys ignored) or a name."""
    if isinstance(config, str):
        if config not in NAMES:
            raise _unknown(config)
        return NAMES[config]()
    if not isinstance(config, dict) or "class_name" not in config:
        raise ValueError(
            "deserialize needs a dict with 'class_name' and 'config' keys; "
            f"received config={config!r}."
        )
    class_name = config["class_name"]
    if class_name not in NAMES:
        raise _unknown(class_name)
    arguments = config.get("config") or {}
    if not isinstance(arguments, dict):
        raise ValueError(f"the 'config' entry must be a dict; received config={arguments!r}.")
    return NAMES[class_name].from_config(dict(arguments))


def get_variance_scaling(identifier: Union[str, dict]) -> VarianceScaling:
    """:func:`get` for a member of the VarianceScaling family (``"he_normal"``, ...).

    Raises ``TypeError`` naming ``identifier`` when it resolves to another initializer.
    """
    initializer = get(identifier)
    if not isinstance(initializer, VarianceScaling):
        raise TypeError(
            f"identifier must name a VarianceScaling initializer; received {identifier=!r}."
        )
    return initializer


def get(identifier: Any) -> Optional[Callable]:
    """Resolve ``identifier`` to an initializer, as ``keras.initializers.get`` does.

    ``None`` → ``None``; a name (case-sensitive: ``"GlorotUniform"``, ``"glorot_uniform"``,
    aliases ``"normal"``, ``"uniform"``, ``"zero"``, ``"one"``) → a default instance; a config
    dict → :func:`deserialize`; a class → a default instance; any other callable passes
    through. Anything else: ``ValueError("Could not interpret initializer identifier: ...")``.
    """
    if identifier is None:
        return None
    if isinstance(identifier, (str, dict)):
        return deserialize(identifier)
    if inspect.isclass(identifier):
        if issubclass(identifier, Initializer):
            return identifier()
        raise _unknown(identifier)
    if callable(identifier):
        return identifier
    raise _unknown(identifier)
