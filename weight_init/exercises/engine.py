"""The exercise engine: what an exercise is, and the feedback ``check`` prints.

Each notebook ends with a few exercises. A learner writes an answer and calls
``check("02.1", answer)``; the feedback is printed and is the same every time for the same
answer (no randomness, no timing: each expected answer is computed once and kept).
``show_solution("02.1")`` prints the worked solution.

An :class:`Exercise` stores its question, a ``solution`` function that *computes* the expected
answer with the package (no answer is typed in by hand), a tolerance, a hint, and known
mistakes: other computable values that a learner is likely to give, each with the
misunderstanding it reveals. Answers may be numbers, sequences of numbers or short strings; a
multiple-choice answer is one letter (``"b"``), and ``"(b)"``, ``"b)"`` or ``"B"`` read the same.

The checker is fair to rounded answers. A number matches when::

    |answer - expected| <= max(max(rel_tol, RELATIVE_TOLERANCE_FLOOR) · |expected|, abs_tol),

and the floor 5e-3 is half a unit in the third significant figure, so the expected value rounded
to three significant figures is always accepted. An answer with fewer digits that equals the
expected value rounded to one or two significant figures (0.001 for 9.77e-4) is told "right
method, give three significant figures". A correct answer is followed by the worked explanation.
"""

from __future__ import annotations

import math
import re
import textwrap
from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

import numpy as np

Answer = Any

RELATIVE_TOLERANCE_FLOOR = 5e-3
"""Smallest relative tolerance for numbers: half a unit in the third significant figure."""

SIGNIFICANT_FIGURES = 3
"""The number of significant figures an answer is asked for."""


@dataclass(frozen=True)
class Mistake:
    """A likely wrong answer (computed by ``value``) and what it tells the learner."""

    value: Callable[[], Answer]
    message: str


@dataclass(frozen=True)
class Exercise:
    """One exercise: the question, how to compute its answer, and how to give feedback.

    Numbers match when ``|answer - expected| <= max(max(rel_tol, 5e-3) · |expected|, abs_tol)``;
    strings match case-insensitively after trimming spaces and the brackets of a letter.
    """

    key: str
    question: str
    solution: Callable[[], Answer]
    explanation: str
    hint: str
    rel_tol: float = RELATIVE_TOLERANCE_FLOOR
    abs_tol: float = 0.0
    mistakes: Sequence[Mistake] = field(default_factory=tuple)

    def __post_init__(self) -> None:
        for name in ("rel_tol", "abs_tol"):
            value = getattr(self, name)
            if not isinstance(value, (int, float)) or isinstance(value, bool):
                raise TypeError(f"{name} must be a number, got {type(value).__name__}.")
            if not math.isfinite(value) or value < 0:
                raise ValueError(f"{name} must be finite and >= 0, got {name}={value!r}.")


EXERCISES: dict[str, Exercise] = {}
_EXPECTED: dict[str, Answer] = {}


def register(exercise: Exercise) -> Exercise:
    """Add ``exercise`` to the catalogue; keys are unique."""
    if exercise.key in EXERCISES:
        raise ValueError(f"exercise key={exercise.key!r} is already registered.")
    EXERCISES[exercise.key] = exercise
    return exercise


def get_exercise(key: str) -> Exercise:
    """The exercise called ``key`` (for example ``"02.1"``)."""
    try:
        return EXERCISES[key]
    except KeyError:
        known = ", ".join(sorted(EXERCISES))
        raise ValueError(f"Unknown exercise: key={key!r}. Known exercises: {known}.") from None


def expected_answer(key: str) -> Answer:
    """The answer of exercise ``key``, computed by its solution once and then kept."""
    exercise = get_exercise(key)
    if key not in _EXPECTED:
        _EXPECTED[key] = exercise.solution()
    return _EXPECTED[key]


def _is_number(value: Answer) -> bool:
    return isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(
        value, (bool, np.bool_)
    )


def _is_letter(value: Answer) -> bool:
    return isinstance(value, str) and len(value.strip()) == 1 and value.strip().isalpha()


def _normalized_text(value: str) -> str:
    text = value.strip().lower()
    letter = re.fullmatch(r"\(?([a-z])[).]?", text)
    return letter.group(1) if letter else text


def _matches(answer: Answer, expected: Answer, rel_tol: float, abs_tol: float) -> bool:
    if isinstance(expected, str):
        return isinstance(answer, str) and _normalized_text(answer) == _normalized_text(expected)
    if _is_number(expected):
        if not _is_number(answer) or not math.isfinite(float(answer)):
            return False
        tolerance = max(max(rel_tol, RELATIVE_TOLERANCE_FLOOR) * abs(float(expected)), abs_tol)
        return abs(float(answer) - float(expected)) <= tolerance
    if isinstance(answer, (str, bytes)) or not hasattr(answer, "__len__"):
        return False
    if len(answer) != len(expected):
        return False
    return all(_matches(a, e, rel_tol, abs_tol) for a, e in zip(answer, expected))


def _rounded(value: float, figures: int) -> float:
    """``value`` rounded to ``figures`` significant figures."""
    return float(f"{value:.{figures}g}")


def _short_but_consistent(answer: Answer, expected: Answer, rel_tol: float, abs_tol: float) -> bool:
    """True if ``answer`` is the expected value rounded to fewer than three significant figures
    (element by element for a sequence, at least one element short, the others correct)."""
    if _is_number(expected):
        if not _is_number(answer) or not math.isfinite(float(answer)) or float(expected) == 0:
            return False
        return any(
            math.isclose(float(answer), _rounded(float(expected), figures), rel_tol=1e-9)
            for figures in range(1, SIGNIFICANT_FIGURES)
        )
    if isinstance(expected, str) or isinstance(answer, (str, bytes)):
        return False
    if not hasattr(answer, "__len__") or len(answer) != len(expected):
        return False
    short = [_short_but_consistent(a, e, rel_tol, abs_tol) for a, e in zip(answer, expected)]
    right = [_matches(a, e, rel_tol, abs_tol) for a, e in zip(answer, expected)]
    return any(short) and all(s or r for s, r in zip(short, right))


def _same_kind(answer: Answer, expected: Answer) -> bool:
    if _is_letter(expected):
        return isinstance(answer, str) and _is_letter(_normalized_text(answer))
    if isinstance(expected, str):
        return isinstance(answer, str)
    if _is_number(expected):
        return _is_number(answer)
    if isinstance(answer, (str, bytes)) or not hasattr(answer, "__len__"):
        return False
    return len(answer) == len(expected) and all(_is_number(a) for a in answer)


def _describe(value: Answer) -> str:
    if _is_number(value):
        return f"{float(value):.6g}"
    if isinstance(value, str):
        return repr(value)
    return "[" + ", ".join(_describe(v) for v in value) + "]"


def _kind_of(expected: Answer) -> str:
    if isinstance(expected, str):
        return "a short text answer"
    if _is_number(expected):
        return "a number"
    return f"a list of {len(expected)} numbers"


def feedback(key: str, answer: Answer) -> tuple[bool, str]:
    """``(correct, message)`` for ``answer`` to exercise ``key``, without printing.

    In order: no answer yet (the hint); correct (and the worked explanation); a known mistake
    (what it reveals); the right value with fewer than three significant figures; an answer of
    the wrong kind; any other wrong answer (the hint).
    """
    exercise = get_exercise(key)
    expected = expected_answer(key)
    rel_tol, abs_tol = exercise.rel_tol, exercise.abs_tol
    if answer is None or answer is Ellipsis:
        return False, (
            f"Exercise {key} is not answered yet: replace None with {_kind_of(expected)} "
            f"and run the cell again. Hint: {exercise.hint}"
        )
    if _matches(answer, expected, rel_tol, abs_tol):
        return True, (
            f"Correct! {_describe(answer)} is right for exercise {key}. Why: {exercise.explanation}"
        )
    for mistake in exercise.mistakes:
        if _matches(answer, mistake.value(), rel_tol, abs_tol):
            return False, f"Not quite: {_describe(answer)}. {mistake.message}"
    if _short_but_consistent(answer, expected, rel_tol, abs_tol):
        return False, (
            f"Right method, give three significant figures: {_describe(answer)} is the answer "
            "rounded too far."
        )
    if not _same_kind(answer, expected):
        kind = 'one letter, such as "a"' if _is_letter(expected) else _kind_of(expected)
        return False, f"Exercise {key} expects {kind}; received {answer!r}."
    return False, f"Not quite: {_describe(answer)} is not it. Hint: {exercise.hint}"


PRINTED_WIDTH = 88
"""Printed feedback is wrapped to this many characters a line, so that it fits a projector."""


def _print_wrapped(text: str) -> None:
    print(textwrap.fill(text, PRINTED_WIDTH, break_long_words=False, break_on_hyphens=False))


def check(key: str, answer: Answer) -> None:
    """Print feedback on ``answer`` to exercise ``key`` (:func:`feedback` returns it instead)."""
    _print_wrapped(feedback(key, answer)[1])


def show_solution(key: str) -> None:
    """Print the worked solution of exercise ``key`` and the computed answer."""
    exercise = get_exercise(key)
    _print_wrapped(f"Exercise {key}: {exercise.question}")
    _print_wrapped(f"Solution: {exercise.explanation}")
    _print_wrapped(f"Answer: {_describe(expected_answer(key))}")
