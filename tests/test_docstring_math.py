"""Every formula in the package's docstrings is written as reST math, so the book typesets it.

The API pages of the book are generated from the docstrings. A formula left as code text
(``sqrt(2 / fan_in)``, ``σ_w² E[φ'(z)²]``, an indented block of equations) shows there as raw
monospace; written as a ``:math:`` role or a ``.. math::`` block it is typeset by MathJax.

The rule: take every docstring of ``weight_init`` (modules, classes, functions, methods and the
strings documenting module or class attributes; the exercise banks ``notebook_NN.py`` hold
answers, not API), cut out its ``:math:`` roles and ``.. math::`` blocks, and what is left must
carry no mark of a formula: no Greek letter, super- or subscript, transpose, partial derivative,
root, sum, product, norm bars, comparison or approximation sign, and none of ``sqrt(``,
``E[``, ``Var(``, ``N(0``, ``^{``, ``_{`` or a matrix product ``@``. Typography that is not a
formula stays allowed (×, →, ←, and the name μP). A docstring whose math holds a backslash is
a raw string: otherwise ``\\frac`` or ``\\beta`` would arrive as a form feed or a backspace.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "weight_init"

GREEK = "αβγδεζηθικλμνξοπρστυφχψωΓΔΘΛΞΠΣΦΨΩ"
MARKS = GREEK + "⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺ᵗᵀ₀₁₂₃₄₅₆₇₈₉₊₋ₖ∂√∑∏⊙‖⟨⟩≤≥≈±∞⋯≠∈\u0302\u0303"
ASCII_MARKS = re.compile(r"sqrt\(|\bE\[|\bVar\(|\bN\(0|\^\{|_\{|\S @ \S")
# Code that merely looks like a formula: a PyTorch call quoted as PyTorch writes it.
CODE_LITERALS = ("``kaiming_uniform_(a=sqrt(5))``",)
NAMES = re.compile(r"μP")
MATH_ROLE = re.compile(r":math:`[^`]*`")
CONTROL = re.compile(r"[\a\b\f\v\r\t]")


def math_directives_removed(text: str) -> str:
    """``text`` without its ``.. math::`` blocks (the directive and its indented body)."""
    kept, body_indent = [], None
    for line in text.split("\n"):
        indent = len(line) - len(line.lstrip())
        if body_indent is not None:
            if not line.strip() or indent > body_indent:
                continue
            body_indent = None
        if line.strip() == ".. math::":
            body_indent = indent
            continue
        kept.append(line)
    return "\n".join(kept)


def formula_marks(docstring: str) -> list[str]:
    """The lines of ``docstring`` that still hold a formula outside reST math."""
    text = MATH_ROLE.sub("", math_directives_removed(docstring))
    for literal in CODE_LITERALS:
        text = text.replace(literal, "")
    text = NAMES.sub("", text)
    return [
        line.strip()
        for line in text.split("\n")
        if any(mark in line for mark in MARKS) or ASCII_MARKS.search(line)
    ]


def docstrings(path: Path) -> list[tuple[str, ast.Constant]]:
    """``(name, string node)`` of every docstring in ``path``, attribute docstrings included."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    scopes = [tree, *(n for n in ast.walk(tree) if isinstance(n, ast.ClassDef))]
    documented = [tree, *(n for n in ast.walk(tree) if isinstance(n, DEFINITIONS))]
    for node in documented:
        first = node.body[0] if node.body else None
        if _is_string(first):
            found.append((getattr(node, "name", "module"), first.value))
    for scope in scopes:
        for previous, statement in zip(scope.body, scope.body[1:]):
            if isinstance(previous, (ast.Assign, ast.AnnAssign)) and _is_string(statement):
                target = previous.targets[0] if isinstance(previous, ast.Assign) else None
                name = ast.unparse(target or previous.target)  # type: ignore[union-attr]
                found.append((name, statement.value))
    return found


DEFINITIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)


def _is_string(statement) -> bool:
    return (
        isinstance(statement, ast.Expr)
        and isinstance(statement.value, ast.Constant)
        and isinstance(statement.value.value, str)
    )


MODULES = sorted(
    path for path in PACKAGE.rglob("*.py") if not re.fullmatch(r"notebook_\d\d\.py", path.name)
)


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.relative_to(PACKAGE).as_posix())
def test_docstring_formulas_are_math(path):
    left = {
        f"{name} (line {node.lineno})": marks
        for name, node in docstrings(path)
        if (marks := formula_marks(node.value))
    }
    assert left == {}, f"formulas outside :math: or .. math:: in {path.name}: {left}"


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.relative_to(PACKAGE).as_posix())
def test_docstrings_with_math_are_raw_strings(path):
    source = path.read_text(encoding="utf-8")
    for name, node in docstrings(path):
        if ":math:" in node.value or ".. math::" in node.value:
            segment = ast.get_source_segment(source, node) or ""
            if "\\" in segment:
                assert segment[:1] in "rR", f"{path.name}: {name}: a backslash in a non-raw string"
            assert not CONTROL.search(node.value), f"{path.name}: {name}: a control character"


def test_the_package_writes_its_formulas_as_math():
    """The rule has something to check: most modules state formulas, all of them as math."""
    with_math = [
        path.name
        for path in MODULES
        if any(":math:" in n.value or ".. math::" in n.value for _, n in docstrings(path))
    ]
    roles = sum(
        len(MATH_ROLE.findall(node.value)) for path in MODULES for _, node in docstrings(path)
    )
    assert len(with_math) >= 20 and roles >= 300, (len(with_math), roles)


@pytest.mark.parametrize(
    "docstring",
    [
        "He normal: truncated normal with std ``sqrt(2 / fan_in)``.",
        "The fixed point ``q* = σ_w² E[φ(z)²] + σ_b²``.",
        "Back-propagation::\n\n    ∂L/∂W_l = a_{l-1}ᵀ δ_l\n",
        "A layer computes ``z = x @ W``.",
        "Its std is ≈ 0.8796 times ``stddev``.",
        "Inline :math:`\\sigma` then a bare σ_b.",
    ],
)
def test_the_rule_finds_a_formula_left_as_text(docstring):
    assert formula_marks(docstring)


@pytest.mark.parametrize(
    "docstring",
    [
        "He normal: std :math:`\\sqrt{2 / \\text{fan\\_in}}`; shape ``(fan_in, fan_out)``.",
        "Back-propagation:\n\n.. math::\n\n    \\frac{\\partial L}{\\partial W_l} = a^\\top"
        " \\delta\n\nThen ``l = 0 .. L-1``.",
        "Standard, NTK and μP; one name → init_fn; a 2 × 2 Jacobian.",
        "PyTorch's ``kaiming_uniform_(a=sqrt(5))``.",
    ],
)
def test_the_rule_accepts_math_and_code(docstring):
    assert formula_marks(docstring) == []
