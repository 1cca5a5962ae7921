"""Argument checks shared by the package's public functions: one home for each message.

Each check returns the value converted to a plain ``int``, ``float``, ``bool`` or ``str`` and
raises, with a message naming the argument and the value received:

* ``TypeError`` for a value of the wrong kind (``steps must be an int; received steps=1.5.``);
* ``ValueError`` for a value of the right kind but out of range or not among the choices
  (``steps must be at least 1; received steps=0.``).
"""

from __future__ import annotations

import math
from typing import Optional, Sequence, TypeVar

import numpy as np

_REAL_TYPES = (int, float, np.integer, np.floating)


def check_int(value: int, name: str, minimum: int = 1, maximum: Optional[int] = None) -> int:
    """``value`` as an ``int`` (``bool`` is refused), at least ``minimum`` (and at most
    ``maximum`` when given)."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{name} must be an int; received {name}={value!r}.")
    if value < minimum:
        raise ValueError(f"{name} must be at least {minimum}; received {name}={value}.")
    if maximum is not None and value > maximum:
        raise ValueError(f"{name} must be at most {maximum}; received {name}={value}.")
    return int(value)


def check_bool(value: bool, name: str) -> bool:
    """``value`` as a ``bool``: only ``True`` or ``False`` (NumPy's included)."""
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be True or False; received {name}={value!r}.")
    return bool(value)


Choice = TypeVar("Choice", bound=str)


def check_choice(value: str, name: str, choices: Sequence[Choice]) -> str:
    """``value``, a ``str`` among ``choices`` (say which ones otherwise)."""
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a str; received {name}={value!r}.")
    if value not in choices:
        raise ValueError(
            f"Unknown {name}: {name}={value!r}. Use one of: {', '.join(map(str, choices))}."
        )
    return value


def check_number(
    value: float,
    name: str,
    minimum: Optional[float] = None,
    positive: bool = False,
    below: Optional[float] = None,
    maximum: Optional[float] = None,
) -> float:
    """``value`` as a finite ``float`` (``bool`` is refused).

    ``minimum``: ``value >= minimum``; ``positive``: ``value > 0``; ``below``: ``value < below``;
    ``maximum``: ``value <= maximum``.
    """
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, _REAL_TYPES):
        raise TypeError(f"{name} must be a number; received {name}={value!r}.")
    conditions = []
    inside = math.isfinite(value)
    if minimum is not None:
        conditions.append(f">= {minimum:g}")
        inside = inside and value >= minimum
    if positive:
        conditions.append("> 0")
        inside = inside and value > 0
    if below is not None:
        conditions.append(f"< {below:g}")
        inside = inside and value < below
    if maximum is not None:
        conditions.append(f"<= {maximum:g}")
        inside = inside and value <= maximum
    if not inside:
        requirement = "a finite number" + (" " + " and ".join(conditions) if conditions else "")
        raise ValueError(f"{name} must be {requirement}; received {name}={value}.")
    return float(value)


def check_layer_sizes(sizes: Sequence[int], name: str, minimum_length: int = 1) -> list[int]:
    """``sizes`` as a list of positive ``int`` layer widths, at least ``minimum_length`` of them."""
    if isinstance(sizes, (str, bytes)) or not hasattr(sizes, "__len__"):
        raise TypeError(f"{name} must be a sequence of layer widths; received {name}={sizes!r}.")
    if len(sizes) < minimum_length:
        raise ValueError(
            f"{name} must list at least {minimum_length} layer width(s); received "
            f"{name}={list(sizes)!r}."
        )
    checked = []
    for size in sizes:
        if isinstance(size, (bool, np.bool_)) or not isinstance(size, (int, np.integer)):
            raise TypeError(f"{name} must hold integers; received {name}={list(sizes)!r}.")
        if size <= 0:
            raise ValueError(
                f"every width in {name} must be positive; received {name}={list(sizes)!r}."
            )
        checked.append(int(size))
    return checked
