"""Re-run every notebook under each numeric configuration this CPU can run (make test-portability).

The stored outputs are one baseline for every machine. This script re-executes all notebooks with
nbval against that same baseline, once per configuration:

- OpenBLAS kernel families forced with ``OPENBLAS_CORETYPE`` (Sandybridge: AVX without FMA;
  Haswell: AVX2 + FMA; SkylakeX: AVX-512), each where ``/proc/cpuinfo`` lists its instructions;
- two BLAS threads instead of one (a different summation order in matrix products);
- NumPy's runtime SIMD dispatch held to AVX2 (``NPY_DISABLE_CPU_FEATURES``), which moves
  ``np.tanh``, ``np.exp`` and friends onto other code paths that differ in the last bit.

A configuration the CPU cannot run is printed as "not available on this CPU"; where the
machine's environment already sets ``OPENBLAS_CORETYPE`` (some processors need it), the kernel
configurations are not forced over it and the table says so. Every configuration that runs must
pass: the exit status is 1 otherwise. Each run also reports the kernel OpenBLAS actually loaded
and NumPy's highest enabled SIMD target, read from inside that run's environment.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

ROOT = Path(__file__).resolve().parent.parent
ONE_THREAD = {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
NUMPY_AVX512_GROUPS = "X86_V4 AVX512_ICL AVX512_SPR"


@dataclass(frozen=True)
class Configuration:
    """One numeric configuration: the environment it sets and the CPU flags it needs."""

    name: str
    environment: dict[str, str]
    needs_flags: tuple[str, ...]
    forces_kernel: bool = False


CONFIGURATIONS = (
    Configuration(
        "OpenBLAS Sandybridge (AVX, no FMA)",
        {"OPENBLAS_CORETYPE": "Sandybridge"},
        ("avx",),
        forces_kernel=True,
    ),
    Configuration(
        "OpenBLAS Haswell (AVX2 + FMA)",
        {"OPENBLAS_CORETYPE": "Haswell"},
        ("avx2", "fma"),
        forces_kernel=True,
    ),
    Configuration(
        "OpenBLAS SkylakeX (AVX-512)",
        {"OPENBLAS_CORETYPE": "SkylakeX"},
        ("avx512f", "avx512bw", "avx512dq", "avx512vl", "avx512cd"),
        forces_kernel=True,
    ),
    Configuration(
        "2 BLAS threads",
        {"OMP_NUM_THREADS": "2", "OPENBLAS_NUM_THREADS": "2", "MKL_NUM_THREADS": "2"},
        (),
    ),
    Configuration(
        "NumPy SIMD held to AVX2",
        {"NPY_DISABLE_CPU_FEATURES": NUMPY_AVX512_GROUPS},
        ("avx512f",),
    ),
)

# Printed from inside each run: the OpenBLAS kernel in use and NumPy's highest SIMD target.
PROBE = """
import ctypes, glob, os
import numpy as np
from numpy._core._multiarray_umath import __cpu_dispatch__, __cpu_features__
libs = glob.glob(os.path.join(os.path.dirname(np.__file__) + ".libs", "*openblas*"))
kernel = "unknown"
for path in libs:
    library = ctypes.CDLL(path)
    for symbol in ("scipy_openblas_get_corename64_", "openblas_get_corename64_",
                   "openblas_get_corename"):
        if hasattr(library, symbol):
            function = getattr(library, symbol)
            function.restype = ctypes.c_char_p
            kernel = function().decode()
            break
enabled = [name for name in __cpu_dispatch__ if __cpu_features__.get(name)]
print(kernel, enabled[-1] if enabled else "baseline")
"""


def cpu_flags() -> set[str] | None:
    """The instruction-set flags of the first CPU in /proc/cpuinfo (None where there is none)."""
    try:
        text = Path("/proc/cpuinfo").read_text()
    except OSError:
        return None
    for line in text.splitlines():
        if line.startswith("flags"):
            return set(line.split(":", 1)[1].split())
    return set()


def why_not_run(configuration: Configuration, flags: set[str] | None) -> str | None:
    """The reason ``configuration`` cannot run here, or None when it can."""
    preset_kernel = os.environ.get("OPENBLAS_CORETYPE")
    if configuration.forces_kernel and preset_kernel:
        return f"not run: this machine's environment sets OPENBLAS_CORETYPE={preset_kernel}"
    if configuration.needs_flags and (flags is None or not set(configuration.needs_flags) <= flags):
        return "not available on this CPU"
    return None


@dataclass(frozen=True)
class RunResult:
    """What one configuration's nbval run gave."""

    kernel: str
    simd: str
    passed: int
    failed: int
    failures: list[str]
    seconds: float


def run(configuration: Configuration, python: str, notebooks: list[str]) -> RunResult:
    """Run nbval over ``notebooks`` under ``configuration``; return counts, failures and timing."""
    environment = {**os.environ, **ONE_THREAD, **configuration.environment}
    environment.pop("MPLBACKEND", None)
    probe = subprocess.run(
        [python, "-c", PROBE], env=environment, capture_output=True, text=True, check=True
    )
    kernel, simd = probe.stdout.split()
    report = ROOT / "build" / "portability" / f"{configuration.name.split(' (')[0]}.xml"
    report = report.with_name(report.name.replace(" ", "_"))
    report.parent.mkdir(parents=True, exist_ok=True)
    report.unlink(missing_ok=True)  # never read a previous run's report
    command = [
        python,
        "-m",
        "pytest",
        "-q",
        "-p",
        "no:cacheprovider",
        "--nbval",
        "--nbval-current-env",
        "--nbval-sanitize-with",
        "tests/nbval_sanitize.cfg",
        f"--junitxml={report}",
        *notebooks,
    ]
    start = time.perf_counter()
    completed = subprocess.run(
        command, check=False, cwd=ROOT, env=environment, capture_output=True, text=True
    )
    seconds = time.perf_counter() - start
    passed, failed, skipped, failures = 0, 0, 0, []
    if report.exists():
        for case in ElementTree.parse(report).getroot().iter("testcase"):
            if case.find("failure") is not None or case.find("error") is not None:
                failed += 1
                failures.append(f"{Path(case.get('classname', '')).name}::{case.get('name')}")
            elif case.find("skipped") is not None:
                skipped += 1
            else:
                passed += 1
    if completed.returncode != 0 and not failed:
        failed, failures = 1, [f"pytest exited with {completed.returncode}"]
        print(completed.stdout[-3000:], completed.stderr[-3000:], sep="\n")
    if skipped:
        failures.append(f"{skipped} cell(s) skipped: every cell must run")
    return RunResult(kernel, simd, passed, failed + skipped, failures, seconds)


def main(arguments: list[str]) -> int:
    """Run every configuration over the notebooks named in ``arguments`` (default: all)."""
    python = sys.executable
    notebooks = arguments or sorted(
        str(path.relative_to(ROOT)) for path in (ROOT / "notebooks").glob("*.ipynb")
    )
    flags = cpu_flags()
    rows, all_passed, total_seconds = [], True, 0.0
    for configuration in CONFIGURATIONS:
        reason = why_not_run(configuration, flags)
        if reason:
            rows.append((configuration.name, "-", "-", reason, ""))
            print(f"{configuration.name}: {reason}", flush=True)
            continue
        print(f"{configuration.name}: running nbval over {len(notebooks)} notebooks", flush=True)
        result = run(configuration, python, notebooks)
        total_seconds += result.seconds
        outcome = f"{result.passed} passed, {result.failed} failed"
        rows.append(
            (configuration.name, result.kernel, result.simd, outcome, f"{result.seconds:.0f} s")
        )
        for failure in result.failures:
            print(f"  FAILED {failure}")
        all_passed = all_passed and result.failed == 0
    header = ("configuration", "OpenBLAS kernel", "NumPy SIMD", "notebook cells", "time")
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    print()
    for row in [header, tuple("-" * width for width in widths), *rows]:
        print(" | ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip())
    print(f"\ntotal time {total_seconds:.0f} s")
    return 0 if all_passed else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
