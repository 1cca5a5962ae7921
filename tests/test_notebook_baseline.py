"""The stored notebook outputs are a baseline that nbval can hold to its word.

nbval compares every printed output with the stored one; these tests guard what would let a
number escape that comparison: ignore markers, sanitizer rules that rewrite digits, and outputs
that can never compare equal (SVG, memory addresses, NumPy scalar reprs, stored warnings).
Numbers that round-off decides are caught by ``make test-portability``, which re-runs every
notebook under several CPU kernels and thread counts; ``.ci/run`` runs it.
"""

from __future__ import annotations

import configparser
import json
import re
from pathlib import Path

import pytest

from weight_init.exercises.engine import PRINTED_WIDTH

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
IGNORE_MARKERS = ("nbval-ignore-output", "nbval-skip", "NBVAL_IGNORE_OUTPUT", "NBVAL_SKIP")
SMALLEST_COMPARED_SHARE = 0.95


def code_cells(path: Path) -> list[dict]:
    return [cell for cell in json.loads(path.read_text())["cells"] if cell["cell_type"] == "code"]


def is_ignored(cell: dict) -> bool:
    tags = cell.get("metadata", {}).get("tags", [])
    source = "".join(cell["source"])
    return any(marker in tags or marker in source for marker in IGNORE_MARKERS)


def test_at_least_95_percent_of_output_cells_are_compared():
    with_output = [cell for path in NOTEBOOKS for cell in code_cells(path) if cell["outputs"]]
    compared = [cell for cell in with_output if not is_ignored(cell)]
    assert len(compared) / len(with_output) >= SMALLEST_COMPARED_SHARE


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda path: path.name)
def test_an_ignored_cell_is_a_widget_or_a_timing_and_says_so(path):
    for cell in filter(is_ignored, code_cells(path)):
        first_line = "".join(cell["source"]).splitlines()[0]
        assert first_line.startswith("#"), "an ignored cell opens with a comment saying why"
        assert re.search(r"widget|timing", first_line), first_line


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda path: path.name)
def test_stored_outputs_can_compare_equal(path):
    for number, cell in enumerate(code_cells(path)):
        assert cell["outputs"] == [] or cell["execution_count"] is not None, number
        for output in cell["outputs"]:
            text = json.dumps(output)
            assert "image/svg+xml" not in text, f"code cell {number}: SVG is compared byte for byte"
            assert not re.search(r" at 0x[0-9a-f]+", text), f"code cell {number}: a memory address"
            assert "np.float64(" not in text and "np.float32(" not in text, number
            if output.get("name") == "stderr":
                assert "Warning" not in text, f"code cell {number}: a stored warning"


def test_no_sanitizer_rule_rewrites_digits():
    rules = configparser.ConfigParser()
    rules.read(ROOT / "tests" / "nbval_sanitize.cfg")
    numbers = ["0.4781", "1.3e-15", "29", "2.770e-18", "-0.0200", "9.2e-16", "1400x450"]
    for section in rules.sections():
        pattern = re.compile(rules[section]["regex"])
        for number in numbers:
            assert not pattern.search(number), f"[{section}] would rewrite the number {number}"


def test_ci_runs_the_portability_check():
    ci = (ROOT / ".ci" / "run").read_text()
    assert "make test-portability" in ci


LONGEST_LINE = PRINTED_WIDTH
"""Characters a code line or a printed output line may have: what a projector shows without
sideways scrolling (the width the exercises print at, and the notebooks' ruff line length)."""


def printed_lines(output: dict) -> list[str]:
    """The lines an output prints as text: a stream, or the text/plain of a result."""
    if output.get("output_type") == "stream":
        return "".join(output["text"]).splitlines()
    return "".join(output.get("data", {}).get("text/plain", "")).splitlines()


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda path: path.name)
def test_code_and_printed_lines_fit_a_projector(path):
    too_long = [
        (number, kind, len(line))
        for number, cell in enumerate(code_cells(path))
        for kind, lines in [
            ("code", "".join(cell["source"]).splitlines()),
            ("output", [line for out in cell["outputs"] for line in printed_lines(out)]),
        ]
        for line in lines
        if len(line) > LONGEST_LINE
    ]
    assert not too_long, f"(code cell, kind, characters) over {LONGEST_LINE}: {too_long}"
