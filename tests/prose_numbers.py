"""Find the numbers a notebook's prose quotes and the printed outputs that back them.

A quoted number is a decimal (0.575, 90.6 %), a scientific number (1e-15, 4.2e-5, 4·10⁻⁵,
10^{-16}) or a power (2^-14.9). It is backed when some printed output of the same notebook
rounds to it at the quoted precision: 0.575 needs a printed value in [0.5745, 0.5755), 4e-5
one that rounds to 4e-5 at one significant figure, 2^-14.9 a printed 2^-14.9 (or a value whose
log2 rounds to -14.9). A setting quoted exactly as a code cell writes it (the learning rate
0.02) is backed by the code. Exempt are numbers in inline code, links, versions, section numbers
and arXiv identifiers, and every number of a sentence that carries, after the number, a
citation in parentheses, "(Glorot & Bengio 2010)", or the marker "<!-- not printed: why -->"
(a constant of a derivation, or a setting the code does not write as a literal).
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from pathlib import Path

_SUPERSCRIPT = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺·", "0123456789-+.")
_SUP_CHARS = "⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺"

# A citation right after the number, in the same sentence: "(He et al. 2015)",
# "(Glorot & Bengio 2010, Table 1)", "(exact)".
_MARKER = re.compile(
    r"^(?:(?![.!?](?:\s|$))[^\n])*?"
    r"(?:<!--\s*not printed\b[^>]*-->|\([A-Z][^()]{0,80}?\b(?:19|20)\d\d[a-z]?\b[^()]{0,40}\))"
)

_NUM = r"\d+(?:\.\d+)?"
_TOKEN = re.compile(
    r"(?<![\w.^])"
    r"(?:(?P<mant>" + _NUM + r")\s*(?:[·×*]|\\cdot|\\times)\s*)?"
    r"(?:"
    r"(?P<base>10|2)\s*(?:\^\s*\{?\s*(?P<exp>[-−+]?\s*" + _NUM + r")\s*\}?"
    r"|(?P<supexp>[" + _SUP_CHARS + r"]+(?:·[" + _SUP_CHARS + r"]+)?))"
    r"|(?P<sci>" + _NUM + r"[eE][-−+]?\d+)"
    r"|(?P<dec>\d+\.\d+)(?P<pct>\s*%)?"
    r")(?![\w.]\d|\.\d)"
)


@dataclass(frozen=True)
class Quote:
    """A number as written: its value and how many digits it carries."""

    text: str
    kind: str  # "decimal", "scientific" or "power"
    value: float  # for a power: the exponent
    digits: int  # decimals (decimal, power exponent) or significant figures (scientific)
    base: int = 10
    percent: bool = False


def _decimals(text: str) -> int:
    return len(text.split(".")[1]) if "." in text else 0


def _significant(text: str) -> int:
    return len(text.replace(".", "").lstrip("0")) or 1


def find_quotes(text: str) -> list[tuple[Quote, int, int]]:
    """Every number quoted in `text`, with its start and end offsets."""
    found = []
    for m in _TOKEN.finditer(text):
        mant, base = m.group("mant"), m.group("base")
        if base is not None:
            exp_text = m.group("exp")
            if exp_text is None:
                exp_text = m.group("supexp").translate(_SUPERSCRIPT)
            exp_text = exp_text.replace("−", "-").replace(" ", "")
            exponent = float(exp_text)
            if base == "10" or mant is not None:
                if mant is None and base == "2":
                    continue
                scale = float(mant) if mant else 1.0
                if base == "2":
                    quote = Quote(m.group(0), "power", exponent, _decimals(exp_text), 2)
                    found.append((quote, m.start(), m.end()))
                    continue
                try:
                    value = scale * 10.0**exponent
                except OverflowError:
                    value = math.inf
                digits = _significant(mant) if mant else 1
                found.append((Quote(m.group(0), "scientific", value, digits), m.start(), m.end()))
            else:
                quote = Quote(m.group(0), "power", exponent, _decimals(exp_text), 2)
                found.append((quote, m.start(), m.end()))
        elif m.group("sci") is not None:
            sci = m.group("sci").replace("−", "-")
            mantissa = re.split("[eE]", sci)[0]
            quote = Quote(m.group(0), "scientific", float(sci), _significant(mantissa))
            found.append((quote, m.start(), m.end()))
        elif m.group("dec") is not None:
            dec = m.group("dec")
            if mant is not None:
                continue
            quote = Quote(dec, "decimal", float(dec), _decimals(dec), percent=bool(m.group("pct")))
            found.append((quote, m.start(), m.end()))
    return found


_CODE = re.compile(r"```.*?```|`[^`]*`", re.S)
_LINK_TARGET = re.compile(r"\]\([^)]*\)|<[^>]+>|https?://\S+")
# Not quantities: versions ("Keras 2.2", "3.15.1"), section and equation numbers ("§4.1",
# "Sec. 3.3"), exercise keys ("02.1"), arXiv identifiers, initializer names ("0.01·randn").
_NOT_A_QUANTITY = re.compile(
    r"\d+(?:\.\d+){2,}"
    r"|\b(?:Keras|TF|TensorFlow|PyTorch|NumPy|Python|JAX|Flax|version|v)\s*\d+(?:\.\d+)+"
    r"|(?:§|\bSec\.|\b[Ss]ection|\bEq\.|\bTable|\bFig\.)\s*\d+(?:\.\d+)*"
    r"|\b0\d\.\d+\b"
    r"|arXiv:\s*\d{4}\.\d{4,5}|\b10\.\d{4,}/\S+"
    r"|\d+(?:\.\d+)?\s*(?:·|\\cdot)\s*\$?\s*randn"  # an initializer's name: 0.01·randn
)


def _blank(text: str, pattern: re.Pattern[str]) -> str:
    return pattern.sub(lambda m: " " * len(m.group(0)), text)


def prose_quotes(markdown: str) -> list[Quote]:
    """The numbers of a markdown cell that need a printed output (markers removed)."""
    text = markdown
    for pattern in (_CODE, _LINK_TARGET, _NOT_A_QUANTITY):
        text = _blank(text, pattern)
    quotes = []
    for quote, _start, end in find_quotes(text):
        if _MARKER.match(markdown[end:]):
            continue
        quotes.append(quote)
    return quotes


def printed_quotes(outputs_text: str) -> list[Quote]:
    """Every number of a notebook's printed text, parsed like the prose."""
    return [quote for quote, _s, _e in find_quotes(outputs_text)] + [
        Quote(m.group(0), "decimal", float(m.group(0)), _decimals(m.group(0)))
        for m in re.finditer(r"(?<![\w.])\d+(?:\.\d+)?(?![\w.]\d|\.\d)", outputs_text)
    ]


def _round_sig(x: float, digits: int) -> float:
    if x == 0 or not math.isfinite(x):
        return x
    return round(x, digits - 1 - math.floor(math.log10(abs(x))))


def _close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)


def backs(printed: Quote, quote: Quote) -> bool:
    """True when the printed number rounds to the quoted one at the quoted precision."""
    if quote.kind == "power":
        if printed.kind == "power" and printed.base == quote.base:
            return _close(round(printed.value, quote.digits), quote.value)
        if printed.kind != "power" and printed.value > 0:
            exponent = math.log(printed.value, quote.base)
            return _close(round(exponent, quote.digits), quote.value)
        return False
    if printed.kind == "power":
        value = math.pow(printed.base, min(printed.value, 1000.0))
    else:
        value = abs(printed.value)
    target = abs(quote.value)
    if quote.kind == "scientific":
        return _close(_round_sig(value, quote.digits), target)
    if _close(round(value, quote.digits), target):
        return True
    # 90.6 % is backed by a printed 0.906, and 0.906 by a printed 90.6 %.
    if quote.percent and not printed.percent:
        return _close(round(value * 100, quote.digits), target)
    if printed.percent and not quote.percent:
        return _close(round(value / 100, quote.digits), target)
    return False


# An exercise statement gives its data ("fan_in = 300, weight variance 0.004"): it quotes no
# measurement, so what follows an "## Exercises" heading or a "**NN.k**" question is not read.
_EXERCISE = re.compile(r"^## Exercises|^\*\*\d\d\.\d+\*\*", re.M)


def _before_exercises(markdown: str) -> str:
    match = _EXERCISE.search(markdown)
    return markdown if match is None else markdown[: match.start()]


def code_settings(code: str) -> list[float]:
    """The numeric literals of the code cells: a setting quoted exactly needs no printout."""
    values = []
    for m in re.finditer(r"(?<![\w.])(\d+\.\d*(?:[eE][-+]?\d+)?|\d+[eE][-+]?\d+)(?![\w.])", code):
        values.append(float(m.group(1)))
    for m in re.finditer(r"(?<![\w.])(2|10)\s*\*\*\s*\(?\s*(-?\d+(?:\.\d+)?)", code):
        values.append(float(m.group(1)) ** float(m.group(2)))
    return values


def notebook_text(path: Path) -> tuple[list[tuple[int, str]], str, str]:
    """The markdown cells (index, source), all printed text and all code of a notebook."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    markdown, printed, code = [], [], []
    for index, cell in enumerate(nb["cells"]):
        source = "".join(cell["source"])
        if cell["cell_type"] == "markdown":
            markdown.append((index, source))
        else:
            code.append(source)
        for output in cell.get("outputs", []):
            if "text" in output:
                printed.append("".join(output["text"]))
            data = output.get("data", {})
            for mime in ("text/plain", "text/html", "text/markdown"):
                if mime in data:
                    printed.append("".join(data[mime]))
    return markdown, "\n".join(printed), "\n".join(code)


def unbacked(path: Path) -> list[tuple[int, str]]:
    """(cell index, quoted text) for every prose number no printed output backs."""
    markdown, printed_text, code = notebook_text(path)
    printed = printed_quotes(printed_text)
    settings = code_settings(code)
    missing = []
    for index, source in markdown:
        for quote in prose_quotes(_before_exercises(source)):
            if quote.kind != "power" and any(_close(quote.value, v) for v in settings):
                continue
            if not any(backs(p, quote) for p in printed):
                missing.append((index, quote.text))
    return missing
