"""Self-study exercises with automatic, specific feedback.

Each notebook ends with a few exercises. A learner writes an answer and calls
``check("02.1", answer)``; the feedback is printed and is the same every time for the same
answer (no randomness, no timing). ``show_solution("02.1")`` prints the worked solution.

The engine (:mod:`.engine`) defines what an exercise is and how answers are judged; each
notebook's exercises live in a bank of their own, ``notebook_NN.py``, which registers them when
this package is imported. Adding an exercise touches one bank; adding a notebook's exercises adds
one file, found here without being listed.
"""

import importlib
import pkgutil

from .engine import (
    EXERCISES,
    Exercise,
    Mistake,
    check,
    feedback,
    get_exercise,
    register,
    show_solution,
)

__all__ = [
    "EXERCISES",
    "Exercise",
    "Mistake",
    "check",
    "feedback",
    "get_exercise",
    "register",
    "show_solution",
]

for _bank in sorted(module.name for module in pkgutil.iter_modules(__path__)):
    if _bank.startswith("notebook_"):
        importlib.import_module(f"{__name__}.{_bank}")
