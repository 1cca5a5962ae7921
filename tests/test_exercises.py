"""Every exercise of every notebook: the checker is fair, feedback is specific, no answer is shown
before its exercise, and multiple-choice questions explain every wrong option."""

from __future__ import annotations

import json
import math
import re
import string
from pathlib import Path

import numpy as np
import pytest

from weight_init.exercises import (
    EXERCISES,
    Exercise,
    Mistake,
    check,
    engine,
    feedback,
    show_solution,
)

ROOT = Path(__file__).resolve().parent.parent
KEYS = sorted(EXERCISES)


def expected(key):
    return engine.expected_answer(key)


def is_number(value) -> bool:
    return engine._is_number(value)


def numbers_in(value) -> list[float]:
    """The numbers of an answer: itself, or the elements of a sequence."""
    if is_number(value):
        return [float(value)]
    if isinstance(value, str):
        return []
    return [float(v) for v in value]


def rounded(value, figures: int):
    """``value`` (a number or a sequence) with every number rounded to ``figures`` figures."""
    if is_number(value):
        return float(f"{float(value):.{figures}g}")
    return [float(f"{float(v):.{figures}g}") for v in value]


def numeric_keys() -> list[str]:
    return [key for key in KEYS if numbers_in(expected(key))]


def letter_keys() -> list[str]:
    return [key for key in KEYS if engine._is_letter(expected(key))]


# -- the engine, on every registered exercise -------------------------------------------------


@pytest.mark.parametrize("key", KEYS)
def test_the_computed_solution_is_accepted_with_its_explanation(key, capsys):
    exercise = EXERCISES[key]
    correct, message = feedback(key, expected(key))
    assert correct is True and exercise.explanation in message
    check(key, expected(key))
    assert capsys.readouterr().out.startswith("Correct!")


@pytest.mark.parametrize("key", KEYS)
def test_unanswered_gets_a_hint_and_the_same_text_twice(key):
    first = feedback(key, None)
    assert first == feedback(key, None)
    assert first[0] is False and "not answered yet" in first[1] and "Hint:" in first[1]


@pytest.mark.parametrize("key", KEYS)
def test_known_mistakes_trigger_their_message_and_are_not_accepted(key):
    exercise = EXERCISES[key]
    for mistake in exercise.mistakes:
        correct, message = feedback(key, mistake.value())
        assert not correct and mistake.message in message, (key, mistake.message)


@pytest.mark.parametrize("key", KEYS)
def test_the_solution_is_printed(key, capsys):
    show_solution(key)
    out = capsys.readouterr().out
    assert out.startswith(f"Exercise {key}:") and "Answer:" in out


@pytest.mark.parametrize("key", KEYS)
def test_printed_feedback_and_solutions_fit_a_projector(key, capsys):
    check(key, None)
    check(key, expected(key))
    show_solution(key)
    lines = capsys.readouterr().out.splitlines()
    assert lines and max(len(line) for line in lines) <= engine.PRINTED_WIDTH, key


@pytest.mark.parametrize("key", KEYS)
def test_feedback_is_the_same_on_every_run(key):
    answer = expected(key)
    wrong = "z" if isinstance(answer, str) else rounded(answer, 3)
    assert feedback(key, answer) == feedback(key, answer)
    assert feedback(key, wrong) == feedback(key, wrong)


# -- the rounding test: three significant figures are enough, a 5 % error is not ---------------


@pytest.mark.parametrize("key", numeric_keys())
def test_the_answer_rounded_to_three_significant_figures_is_accepted(key):
    correct, message = feedback(key, rounded(expected(key), 3))
    assert correct, message


def five_percent_off(value: float, tolerance: float) -> float:
    """``value`` moved by 5 % (by at least 1 for a whole number, and by more than ``tolerance``
    where the exercise allows a wider seed-to-seed spread)."""
    step = max(0.05 * abs(value), 2 * tolerance)
    if float(value).is_integer():
        step = max(step, 1.0)
    return value + (step if value != 0 else max(tolerance * 2, 0.05))


@pytest.mark.parametrize("key", numeric_keys())
def test_a_five_percent_error_is_refused(key):
    exercise = EXERCISES[key]
    answer = expected(key)
    numbers = numbers_in(answer)
    for index, value in enumerate(numbers):
        tolerance = max(max(exercise.rel_tol, 5e-3) * abs(value), exercise.abs_tol)
        wrong = list(numbers)
        wrong[index] = five_percent_off(value, tolerance)
        submitted = wrong[0] if is_number(answer) else wrong
        assert feedback(key, submitted)[0] is False, (key, submitted)


@pytest.mark.parametrize("key", numeric_keys())
def test_fewer_digits_get_right_method_or_a_specific_message(key):
    exercise = EXERCISES[key]
    answer = expected(key)
    mistakes = [m.message for m in exercise.mistakes]
    for figures in (1, 2):
        short = rounded(answer, figures)
        correct, message = feedback(key, short)
        assert (
            correct
            or message.startswith("Right method, give three significant figures")
            or any(text in message for text in mistakes)
        ), (key, short, message)


def test_the_checker_is_fair_to_rounding():
    exercise = Exercise(
        key="00.1",
        question="?",
        solution=lambda: 9.7656e-4,
        explanation="because.",
        hint="think.",
        rel_tol=1e-3,
    )
    engine.register(exercise)
    try:
        assert feedback("00.1", 9.77e-4)[0]  # 3 s.f. accepted although rel_tol asks 1e-3
        assert feedback("00.1", 0.000977)[1].endswith("Why: because.")
        assert feedback("00.1", 0.001)[1].startswith("Right method, give three significant")
        assert feedback("00.1", 0.00097)[1].startswith("Not quite")
        assert feedback("00.1", 0.002)[1].startswith("Not quite: 0.002 is not it. Hint: think.")
        assert not feedback("00.1", 9.7656e-4 * 1.05)[0]
    finally:
        del engine.EXERCISES["00.1"]
        engine._EXPECTED.pop("00.1", None)


def test_tolerances_are_checked():
    with pytest.raises(ValueError, match="rel_tol"):
        Exercise("00.2", "?", lambda: 1.0, "", "", rel_tol=-1.0)
    with pytest.raises(TypeError, match="abs_tol"):
        Exercise("00.2", "?", lambda: 1.0, "", "", abs_tol="0.1")


# -- multiple choice ---------------------------------------------------------------------------


NOTEBOOKS_WITH_EXERCISES = sorted({key.split(".")[0] for key in KEYS})


@pytest.mark.parametrize("number", NOTEBOOKS_WITH_EXERCISES)
def test_every_notebook_has_three_or_four_exercises_and_a_conceptual_one(number):
    """Counted per notebook file: a chapter and its going-further part each ask their own."""
    by_notebook: dict[str, list[str]] = {}
    for key in KEYS:
        if key.split(".")[0] == number:
            by_notebook.setdefault(notebook_of(key).name, []).append(key)
    for name, keys in by_notebook.items():
        assert 3 <= len(keys) <= 4, (name, keys)
        assert any(isinstance(expected(key), str) for key in keys), name


@pytest.mark.parametrize("key", letter_keys())
def test_every_wrong_option_has_its_own_feedback(key):
    exercise = EXERCISES[key]
    answer = expected(key).strip().lower()
    wrong = {str(m.value()).strip().lower() for m in exercise.mistakes}
    last = max({answer} | wrong)
    options = set(string.ascii_lowercase[: string.ascii_lowercase.index(last) + 1])
    assert wrong == options - {answer}, (key, sorted(options - {answer} - wrong))
    for letter in options:
        assert re.search(rf"\({letter}\)|\b{letter}\)", exercise.question), (key, letter)
    assert feedback(key, f"({answer.upper()})")[0] and feedback(key, f" {answer}) ")[0]


def test_a_letter_question_names_the_kind_of_answer():
    engine.register(
        Exercise(
            "00.3",
            "(a) yes (b) no",
            lambda: "b",
            "no.",
            "h.",
            mistakes=(Mistake(lambda: "a", "not yes."),),
        )
    )
    try:
        assert feedback("00.3", "B")[0]
        assert feedback("00.3", "a")[1] == "Not quite: 'a'. not yes."
        assert "expects one letter" in feedback("00.3", "no idea")[1]
    finally:
        del engine.EXERCISES["00.3"]
        engine._EXPECTED.pop("00.3", None)


# -- no answer is visible above its exercise ---------------------------------------------------


def notebook_of(key: str) -> Path:
    """The notebook that asks exercise ``key``: of those numbered like it (a chapter and its
    "going further" part share a number), the one whose cells quote the key."""
    numbered = sorted((ROOT / "notebooks").glob(f"{key.split('.')[0]}_*.ipynb"))
    matches = [
        path
        for path in numbered
        if any(
            f'"{key}"' in "".join(cell["source"]) for cell in json.loads(path.read_text())["cells"]
        )
    ]
    assert len(matches) == 1, (key, matches)
    return matches[0]


def shown_text(cell: dict) -> str:
    """What the learner sees of a cell, other than its code: markdown, or printed outputs."""
    if cell["cell_type"] == "markdown":
        return "".join(cell["source"])
    parts = []
    for output in cell.get("outputs", []):
        if "text" in output:
            parts.append("".join(output["text"]))
        for mime in ("text/plain", "text/markdown", "text/html"):
            if mime in output.get("data", {}):
                parts.append("".join(output["data"][mime]))
    return "\n".join(parts)


def written_forms(value: float) -> list[str]:
    """How a number rounded to three significant figures may be written: 0.000977, 9.77e-04."""
    three = float(f"{value:.3g}")
    forms = {f"{value:.3g}", np.format_float_positional(three, trim="-"), f"{value:.2e}"}
    return sorted(form.lstrip("-") for form in forms)


def number_pattern(form: str) -> str:
    """A form of a number, not inside a longer number (trailing zeros allowed: 0.08 in 0.0800)."""
    if "e" in form:
        mantissa, exponent = form.split("e")
        sign, digits = exponent[0] if exponent[0] in "+-" else "+", exponent.lstrip("+-")
        exponent = ("-" if sign == "-" else r"\+?") + "0*" + digits.lstrip("0")
        return rf"(?<![\d.]){re.escape(mantissa)}0*(?:e|E|·10\^?){exponent}(?!\d)"
    tail = r"0*(?![\d])" if "." in form else r"(?:\.0*)?(?![\d,])"
    return rf"(?<![\d.,]){re.escape(form)}{tail}"


def is_everyday_number(value: float) -> bool:
    """Whole numbers below 100 (layer sizes, counts, indices) are everywhere in any text, so their
    visibility is not judged by search; such answers need a question that makes them earned."""
    return float(value).is_integer() and abs(value) < 100


@pytest.mark.parametrize("key", KEYS)
def test_no_answer_is_visible_above_its_exercise(key):
    cells = json.loads(notebook_of(key).read_text(encoding="utf-8"))["cells"]
    call = re.compile(rf"""check\(\s*["']{re.escape(key)}["']""")
    positions = [
        i
        for i, c in enumerate(cells)
        if c["cell_type"] == "code" and call.search("".join(c["source"]))
    ]
    assert positions, f"{notebook_of(key).name} has no check cell for exercise {key}"
    above = "\n".join(shown_text(cell) for cell in cells[: positions[0]])
    for value in numbers_in(expected(key)):
        if is_everyday_number(value):
            continue
        for form in written_forms(value):
            found = re.search(number_pattern(form), above)
            assert not found, f"{key}: answer {form} is shown above the exercise: {found.group(0)}"


def test_the_visibility_search_finds_the_written_forms():
    assert re.search(number_pattern("0.08"), "b3 = 0.0800;")
    assert not re.search(number_pattern("0.08"), "b3 = 10.08")
    assert not re.search(number_pattern("0.575"), "0.5751")
    assert re.search(number_pattern("9.77e-04"), "predicted 9.77e-04 at layer 10")
    assert re.search(number_pattern("250000"), "250000 units")
    assert not re.search(number_pattern("250000"), "2500000 units")
    assert written_forms(9.7656e-4) == ["0.000977", "9.77e-04"]
    assert not math.isnan(float(written_forms(109386.0)[0]))


# -- the hint guides without giving the code ---------------------------------------------------


@pytest.mark.parametrize("key", KEYS)
def test_the_hint_holds_no_solution_code(key):
    hint = EXERCISES[key].hint
    assert not re.search(r"\w+\.\w+\(.*\)", hint), f"{key}: the hint calls the package: {hint}"


# -- the other kinds of feedback ----------------------------------------------------------------


def test_a_wrong_answer_of_the_wrong_kind_is_named():
    key = next(k for k in KEYS if is_number(expected(k)))
    correct, message = feedback(key, "a lot")
    assert not correct and "expects a number" in message


def test_unknown_exercise_and_duplicate_keys():
    with pytest.raises(ValueError, match=r"key='99\.9'"):
        check("99.9", 1.0)
    with pytest.raises(ValueError, match="already registered"):
        engine.register(EXERCISES[KEYS[0]])


def test_sequences_and_strings():
    assert engine._matches([1.0, 2.0], [1.0, 2.0005], 1e-3, 0.0)
    assert not engine._matches([1.0], [1.0, 2.0], 1e-3, 0.0)
    assert engine._matches("  LeCun ", "lecun", 0.0, 0.0)
    assert engine._matches("(B)", "b", 0.0, 0.0)
    assert not engine._same_kind([1.0, "x"], [1.0, 2.0])
    assert engine._short_but_consistent([1.0, 2.0], [1.0, 2.04], 5e-3, 0.0)
    assert not engine._short_but_consistent([1.0, 3.0], [1.0, 2.04], 5e-3, 0.0)
