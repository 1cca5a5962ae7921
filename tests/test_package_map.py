"""The package docstring's map of modules is true: every module, in an order that only imports
upwards, with every import of another package module named on its arrow."""

import ast
import re
from pathlib import Path

import weight_init

PACKAGE = Path(weight_init.__file__).parent
ENTRY = re.compile(r"^- ``(\w+)``(?: \(← ([^)]*)\))?:", re.MULTILINE)


def documented_map():
    text = re.sub(r"\n\s+", " ", weight_init.__doc__)  # entries may wrap
    return {
        name: {m.strip() for m in arrow.split(",")} if arrow else set()
        for name, arrow in ENTRY.findall(text.replace(" - ``", "\n- ``"))
    }


def source_files(name):
    """A module's file, or every file of a subpackage (whose package imports are ``from ..``)."""
    if (PACKAGE / name).is_dir():
        return sorted((PACKAGE / name).glob("*.py")), 2
    return [PACKAGE / f"{name}.py"], 1


def imported_modules(name):
    files, level = source_files(name)
    found = set()
    for path in files:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level == level:
                if node.module:
                    found.add(node.module.split(".")[0])
                else:
                    found.update(alias.name for alias in node.names)
    return found - {"_checks"}


def test_every_module_is_on_the_map_in_an_order_that_imports_only_upwards():
    documented = documented_map()
    modules = {p.stem for p in PACKAGE.glob("*.py")} - {"__init__", "_checks"}
    modules |= {p.parent.name for p in PACKAGE.glob("*/__init__.py")}
    assert set(documented) == modules
    order = list(documented)
    for name, arrow in documented.items():
        assert arrow == imported_modules(name), f"{name}'s arrow on the map is out of date"
        assert all(order.index(dependency) < order.index(name) for dependency in arrow), (
            f"{name} imports a module listed below it"
        )
