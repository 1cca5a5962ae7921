"""Every exercise's worked solution passes its own check, and feedback is specific."""

import pytest

from weight_init.exercises import EXERCISES, check, engine, feedback, show_solution


@pytest.mark.parametrize("key", sorted(EXERCISES))
def test_the_computed_solution_is_accepted(key, capsys):
    assert feedback(key, EXERCISES[key].solution())[0] is True
    check(key, EXERCISES[key].solution())
    assert capsys.readouterr().out.startswith("Correct!")


@pytest.mark.parametrize("key", sorted(EXERCISES))
def test_unanswered_gets_a_hint_and_the_same_text_twice(key):
    first = feedback(key, None)
    assert first == feedback(key, None)
    assert first[0] is False and "not answered yet" in first[1] and "Hint:" in first[1]


@pytest.mark.parametrize("key", sorted(EXERCISES))
def test_known_mistakes_are_recognised_and_not_accepted(key):
    exercise = EXERCISES[key]
    for mistake in exercise.mistakes:
        correct, message = feedback(key, mistake.value())
        assert not correct and mistake.message in message


@pytest.mark.parametrize("key", sorted(EXERCISES))
def test_the_solution_is_printed(key, capsys):
    show_solution(key)
    out = capsys.readouterr().out
    assert out.startswith(f"Exercise {key}:") and "Answer:" in out


def test_a_wrong_answer_of_the_wrong_kind_is_named():
    correct, message = feedback("02.1", "a lot")
    assert not correct and "expects a number" in message


def test_an_unlisted_wrong_number_gets_the_hint():
    correct, message = feedback("02.1", 0.5)
    assert not correct and message.startswith("Not quite: 0.5 is not it. Hint:")


def test_unknown_exercise_and_duplicate_keys():
    with pytest.raises(ValueError, match=r"key='99\.9'"):
        check("99.9", 1.0)
    with pytest.raises(ValueError, match="already registered"):
        engine.register(EXERCISES["02.1"])


def test_sequences_and_strings():
    assert engine._matches([1.0, 2.0], [1.0, 2.0005], 1e-3, 0.0)
    assert not engine._matches([1.0], [1.0, 2.0], 1e-3, 0.0)
    assert engine._matches("  LeCun ", "lecun", 0.0, 0.0)
    assert not engine._same_kind([1.0, "x"], [1.0, 2.0])
