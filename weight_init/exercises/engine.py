"""The exercise engine: what an exercise is, and the feedback ``check`` prints.

Each notebook ends with a few exercises. A learner writes an answer and calls
``check("02.1", answer)``; the feedback is printed and is the same every time for the same
answer (no randomness, no timing). ``show_solution("02.1")`` prints the worked solution.

An :class:`Exercise` stores its question, a ``solution`` function that *computes* the expected
answer with the package (no answer is typed in by hand), a tolerance, a hint, and known
mistakes: other computable values that a learner is likely to give, each with the
misunderstanding it reveals. Answers may be numbers, sequences of numbers or short strings.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

import numpy as np

Answer = Any


@dataclass(frozen=True)
class Mistake:
    """A likely wrong answer (computed by ``value``) and what it tells the learner."""

    value: Callable[[], Answer]
    message: str


@dataclass(frozen=True)
class Exercise:
    """One exercise: the question, how to compute its answer, and how to give feedback.

    Numbers match when ``|answer - expected| <= max(rel_tol · |expected|, abs_tol)``;
    strings match case-insensitively after trimming spaces.
    """

    key: str
    question: str
    solution: Callable[[], Answer]
    explanation: str
    hint: str
    rel_tol: float = 1e-3
    abs_tol: float = 0.0
    mistakes: Sequence[Mistake] = field(default_factory=tuple)


EXERCISES: dict[str, Exercise] = {}


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


def _is_number(value: Answer) -> bool:
    return isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(
        value, (bool, np.bool_)
    )


def _matches(answer: Answer, expected: Answer, rel_tol: float, abs_tol: float) -> bool:
    if isinstance(expected, str):
        return isinstance(answer, str) and answer.strip().lower() == expected.strip().lower()
    if _is_number(expected):
        if not _is_number(answer) or not math.isfinite(float(answer)):
            return False
        return abs(float(answer) - float(expected)) <= max(rel_tol * abs(float(expected)), abs_tol)
    if isinstance(answer, (str, bytes)) or not hasattr(answer, "__len__"):
        return False
    if len(answer) != len(expected):
        return False
    return all(_matches(a, e, rel_tol, abs_tol) for a, e in zip(answer, expected))


def _same_kind(answer: Answer, expected: Answer) -> bool:
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
    """``(correct, message)`` for ``answer`` to exercise ``key``, without printing."""
    exercise = get_exercise(key)
    expected = exercise.solution()
    if answer is None or answer is Ellipsis:
        return False, (
            f"Exercise {key} is not answered yet: replace None with {_kind_of(expected)} "
            f"and run the cell again. Hint: {exercise.hint}"
        )
    if _matches(answer, expected, exercise.rel_tol, exercise.abs_tol):
        return True, f"Correct! {_describe(answer)} is right for exercise {key}."
    for mistake in exercise.mistakes:
        if _matches(answer, mistake.value(), exercise.rel_tol, exercise.abs_tol):
            return False, f"Not quite: {_describe(answer)}. {mistake.message}"
    if not _same_kind(answer, expected):
        return False, f"Exercise {key} expects {_kind_of(expected)}; received {answer!r}."
    return False, f"Not quite: {_describe(answer)} is not it. Hint: {exercise.hint}"


def check(key: str, answer: Answer) -> None:
    """Print feedback on ``answer`` to exercise ``key`` (:func:`feedback` returns it instead)."""
    print(feedback(key, answer)[1])


def show_solution(key: str) -> None:
    """Print the worked solution of exercise ``key`` and the computed answer."""
    exercise = get_exercise(key)
    print(f"Exercise {key}: {exercise.question}")
    print(f"Solution: {exercise.explanation}")
    print(f"Answer: {_describe(exercise.solution())}")
