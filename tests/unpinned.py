"""Installs without our pins: the package in fresh environments, every notebook run in each.

``make test-unpinned`` runs this. Colab and a learner's own environment bring their own NumPy and
matplotlib, so ``pip install .`` is resolved twice in a fresh venv under build/unpinned/:

- newest: the newest versions ``pyproject.toml`` allows;
- oldest: every ``name>=bound`` of ``pyproject.toml``'s dependencies held at ``name==bound``.

Each venv prints the versions it resolved, then executes every numbered notebook (nbclient,
outputs not compared: numbers may differ, see the README's Reproducibility). A cell that raises,
or writes anything to stderr (a warning), fails the run. ``python tests/unpinned.py --execute
NOTEBOOK...`` is the part that runs inside a venv.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tomllib
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WORK = ROOT / "build" / "unpinned"
# What runs the notebooks, on top of the package (newest in both runs: not the package's needs).
RUNNER = ["nbclient", "ipykernel"]
THREADS = {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
CELL_TIMEOUT_S = 120
LOWER_BOUND = re.compile(r"^([A-Za-z0-9_.\-]+)\s*>=\s*([0-9][0-9A-Za-z.]*)$")


def dependencies() -> list[str]:
    with open(ROOT / "pyproject.toml", "rb") as handle:
        return tomllib.load(handle)["project"]["dependencies"]


def oldest_constraints() -> list[str]:
    """``name==bound`` for every ``name>=bound`` dependency; any other form is an error."""
    pins = []
    for requirement in dependencies():
        match = LOWER_BOUND.match(requirement)
        if not match:
            raise ValueError(f"dependency without a plain lower bound: {requirement!r}")
        pins.append(f"{match[1]}=={match[2]}")
    return pins


def resolve(name: str, constraints: list[str]) -> Path:
    """A fresh venv with ``pip install .`` (under ``constraints``); returns its python."""
    home = WORK / name
    venv.EnvBuilder(clear=True, with_pip=True).create(home)
    python = home / "bin" / "python"
    command = [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    if constraints:
        pins = home / "constraints.txt"
        pins.write_text("\n".join(constraints) + "\n")
        command += ["--constraint", str(pins)]
    subprocess.run([*command, str(ROOT), *RUNNER], check=True)
    return python


def resolved_versions(python: Path) -> str:
    names = [LOWER_BOUND.match(r)[1] for r in dependencies()]  # type: ignore[index]
    script = (
        "from importlib.metadata import version\n"
        f"print(', '.join(f'{{n}} {{version(n)}}' for n in {names!r}))"
    )
    return subprocess.run(
        [str(python), "-c", script], check=True, capture_output=True, text=True
    ).stdout.strip()


def execute(paths: list[str]) -> int:
    """Run each notebook in this environment; report cells that raise or write to stderr."""
    import nbclient
    import nbformat

    failures = 0
    for path in paths:
        notebook = nbformat.read(path, as_version=4)
        client = nbclient.NotebookClient(
            notebook,
            timeout=CELL_TIMEOUT_S,
            kernel_name="python3",
            resources={"metadata": {"path": str(Path(path).parent)}},
        )
        try:
            client.execute()
        except nbclient.exceptions.CellExecutionError as error:
            failures += 1
            print(f"{path}: error\n{str(error)[-2000:]}", flush=True)
            continue
        noisy = [
            (index, output.get("text", ""))
            for index, cell in enumerate(notebook.cells)
            for output in cell.get("outputs", [])
            if output.get("output_type") == "stream" and output.get("name") == "stderr"
        ]
        for index, text in noisy:
            print(f"{path}: cell {index} wrote to stderr:\n{text[:2000]}", flush=True)
        failures += bool(noisy)
        print(f"{path}: {'ok' if not noisy else 'stderr'}", flush=True)
    return failures


def main() -> int:
    if sys.argv[1:2] == ["--execute"]:
        return 1 if execute(sys.argv[2:]) else 0
    notebooks = [str(p) for p in sorted(ROOT.glob("notebooks/[0-9][0-9]_*.ipynb"))]
    results = {}
    for name, constraints in (("newest", []), ("oldest", oldest_constraints())):
        python = resolve(name, constraints)
        versions = resolved_versions(python)
        print(f"{name}: {versions}", flush=True)
        # each environment keeps its own matplotlib font cache, built before the first notebook
        environment = {
            **os.environ,
            **THREADS,
            "PYTHONPATH": "",
            "MPLCONFIGDIR": str(python.parent.parent / "matplotlib"),
        }
        subprocess.run(
            [str(python), "-c", "import matplotlib.font_manager"], env=environment, check=True
        )
        run = subprocess.run(
            [str(python), __file__, "--execute", *notebooks],
            cwd=WORK,  # not the repository: the notebooks import the installed package
            env=environment,
        )
        results[name] = (versions, run.returncode == 0)
    print("\nresolution  notebooks  versions")
    for name, (versions, ok) in results.items():
        print(f"{name:<10}  {'pass' if ok else 'FAIL':<9}  {versions}")
    return 0 if all(ok for _, ok in results.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
