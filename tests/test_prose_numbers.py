"""Every number the notebooks' prose quotes is printed by the same notebook (see prose_numbers)."""

import json
from pathlib import Path

import pytest
from prose_numbers import backs, find_quotes, prose_quotes, unbacked

NOTEBOOKS = sorted((Path(__file__).parent.parent / "notebooks").glob("[0-9][0-9]_*.ipynb"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_quoted_number_is_printed(path):
    assert unbacked(path) == []


def _notebook(tmp_path, prose, printed, code="x = 1"):
    nb = {
        "cells": [
            {"cell_type": "markdown", "metadata": {}, "source": [prose]},
            {
                "cell_type": "code",
                "metadata": {},
                "source": [code],
                "execution_count": 1,
                "outputs": [{"output_type": "stream", "name": "stdout", "text": [printed]}],
            },
        ],
        "metadata": {},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    path = tmp_path / "nb.ipynb"
    path.write_text(json.dumps(nb))
    return path


def test_a_changed_printed_number_fails(tmp_path):
    prose = "The std shrinks by 0.575 per layer and the gradient is about $4 \\cdot 10^{-5}$."
    assert unbacked(_notebook(tmp_path, prose, "factor 0.5753, grad 4.21e-05")) == []
    # A re-run that prints other digits: both quotes lose their backing.
    changed = unbacked(_notebook(tmp_path, prose, "factor 0.5771, grad 5.02e-05"))
    assert [text for _cell, text in changed] == ["0.575", "4 \\cdot 10^{-5}"]


def test_rounding_is_at_the_quoted_precision():
    (q,) = prose_quotes("about 0.58")
    (p,) = [x for x, _s, _e in find_quotes("0.5849")]
    assert backs(p, q)
    (q3,) = prose_quotes("about 0.585")
    assert backs(p, q3)
    (q4,) = prose_quotes("about 0.5850")
    assert not backs(p, q4)


def test_powers_percentages_and_superscripts():
    (power,) = prose_quotes("a gradient $2^{-14.9}$ times smaller")
    assert [backs(p, power) for p, _s, _e in find_quotes("2^-14.9 2^-15.0")] == [True, False]
    (pct,) = prose_quotes("90.6 % of the entries")
    assert [backs(p, pct) for p, _s, _e in find_quotes("0.906 0.9057 90.6% 0.91")] == [
        True,
        True,
        True,
        False,
    ]
    (sup,) = prose_quotes("near 10⁻⁶")
    assert sup.kind == "scientific" and sup.value == pytest.approx(1e-6)


def test_markers_settings_and_non_quantities(tmp_path):
    text = (
        "The paper reports 0.88 (Glorot & Bengio 2010, Table 1); $2^{-30} \\approx 9.3 "
        "\\cdot 10^{-10}$<!-- not printed: exact -->. Keras 2.2 fixed it (§4.1, "
        "[arXiv:1502.01852](https://arxiv.org/abs/1502.01852)); exercise 02.1; `1.5`."
    )
    assert prose_quotes(text) == []
    # Without the citation the paper's number needs a printout.
    assert [q.text for q in prose_quotes("The paper reports 0.88.")] == ["0.88"]
    # A setting written exactly in a code cell is backed by the code.
    path = _notebook(tmp_path, "learning rate 0.02", "loss 1.2", code="lr = 0.02")
    assert unbacked(path) == []
    path = _notebook(tmp_path, "learning rate 0.03", "loss 1.2", code="lr = 0.02")
    assert unbacked(path) == [(0, "0.03")]


def test_exercise_statements_give_data(tmp_path):
    prose = "Measured 0.58.\n\n## Exercises\n\n**02.2** A layer with weight variance 0.004."
    assert unbacked(_notebook(tmp_path, prose, "0.58")) == []
    assert unbacked(_notebook(tmp_path, prose, "0.61")) == [(0, "0.58")]
