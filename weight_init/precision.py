r"""What float64 resolves, and how to print a result that round-off decides.

Two computations that agree in exact arithmetic differ in floating point by a few units in the
last place, and *how many* depends on the CPU's instructions (AVX, AVX2 + FMA, AVX-512), the BLAS
kernel and the number of threads, because each adds the same numbers in another order. A printed
gap of ``1.3e-15`` on one machine is ``9.2e-16`` on the next: it describes the machine, not the
maths. The same holds for a singular value far below the largest one times float64's resolution.

The notebooks therefore print the claim that holds on every machine: "below 1e-12 (rounding
only)" for a gap, "< 1e-13" for a singular value lost in round-off. These helpers are that one
rule. ``FLOAT64_EPSILON`` is the spacing of float64 numbers at 1,
:math:`\varepsilon = 2^{-52} \approx 2.2 \cdot 10^{-16}`.
"""

from __future__ import annotations

import math

import numpy as np

from ._checks import check_int, check_number

FLOAT64_EPSILON = float(np.finfo(np.float64).eps)
ROUNDING_BOUND = 1e-12


def describe_gap(difference: float, bound: float = ROUNDING_BOUND) -> str:
    r"""The gap ``|difference|`` as text that is the same on every machine.

    Below ``bound`` (default 1e-12, about :math:`10^4 \varepsilon`: room for the rounding of a few
    thousand operations) the text is ``"below 1e-12 (rounding only)"``; at or above it, the gap in
    ``.1e`` notation, which is then a property of the computation, not of the machine.
    """
    gap = abs(check_number(difference, "difference"))
    check_number(bound, "bound", positive=True)
    if gap < bound:
        return f"below {bound:.0e} (rounding only)"
    return f"{gap:.1e}"


def singular_value_floor(largest: float, size: int) -> float:
    r"""The level below which a computed singular value is round-off:
    :math:`s_{\text{max}} \cdot n \cdot \varepsilon`.

    ``largest`` is the matrix's largest singular value and ``size`` its larger dimension ``n``;
    this is the tolerance that ``numpy.linalg.matrix_rank`` uses. A singular value below it
    cannot be told from zero in float64: its printed digits change with the BLAS kernel.
    """
    check_number(largest, "largest", minimum=0.0)
    check_int(size, "size", minimum=1)
    return float(largest) * size * FLOAT64_EPSILON


def describe_above_floor(value: float, floor: float, spec: str = ".3e") -> str:
    r"""``value`` formatted with ``spec``, or ``"< 1e-13"`` (the floor's decade) when below
    ``floor``.

    The decade shown is :math:`10^{\lceil \log_{10} \text{floor} \rceil}`, so the claim "smaller
    than that" is true.
    """
    value = check_number(value, "value")
    check_number(floor, "floor", positive=True)
    if abs(value) < floor:
        return f"< 1e{math.ceil(math.log10(floor)):d}"
    return format(value, spec)
