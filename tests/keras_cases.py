"""What we compare with Keras, and how: shared by the fixture tests and the live parity run.

This module needs no Keras. ``keras_reference.py`` (which does) runs every case through
Keras 3.15.1 on its NumPy backend, writes the results to ``tests/fixtures/``, and can compare
live; ``test_initializers_keras_fixtures.py`` compares the stored results with no Keras.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from weight_init import initializers as ours

FIXTURES = Path(__file__).parent / "fixtures"
ARRAYS_FILE = FIXTURES / "keras_initializers.npz"
RECORD_FILE = FIXTURES / "keras_initializers.json"
KERAS_VERSION = "3.15.1"

# Every class of the catalogue, seeded ones and constant ones, in the catalogue's order.
RANDOM = [cls.__name__ for cls in ours.CATALOGUE if issubclass(cls, ours.RandomInitializer)]
CONSTANT = [cls.__name__ for cls in ours.CATALOGUE if not issubclass(cls, ours.RandomInitializer)]
SHAPES = [(), (5,), (4, 6), (6, 4), (1, 1), (3, 3, 4, 8), (2, 5, 3), (0, 3)]
FLOATS = ["float16", "float32", "float64"]
SEEDS = [0, 1337, 2**32 - 1]

# Orthogonal's QR comes from LAPACK: equal to float32 rounding, not necessarily bit for bit.
ORTHOGONAL_ATOL = 8 * float(np.finfo(np.float32).eps)


def _case(class_name: str, config: dict, shape: tuple, dtype: str | None) -> dict:
    key = f"{class_name}{json.dumps(config, sort_keys=True)}{list(shape)}{dtype}"
    return {
        "key": key,
        "class_name": class_name,
        "config": config,
        "shape": list(shape),
        "dtype": dtype,
    }


def array_cases() -> list[dict]:
    """Every (initializer, arguments, shape, dtype) whose values we hold to Keras's."""
    cases = []
    for name in RANDOM:
        for shape in SHAPES:
            if name == "Orthogonal" and len(shape) < 2:
                continue
            for dtype in [None, *FLOATS]:
                if name == "Orthogonal" and dtype == "float16":
                    continue  # Keras 3.15 cannot (NumPy has no float16 QR): an error case
                seeds = SEEDS if dtype is None else SEEDS[1:2]
                for seed in seeds:
                    cases.append(_case(name, {"seed": seed}, shape, dtype))
    variants = [
        ("RandomNormal", {"mean": 1.5, "stddev": 3.0}),
        ("RandomNormal", {"mean": -0.25, "stddev": 0.0}),
        ("RandomUniform", {"minval": -2.0, "maxval": 7.0}),
        ("RandomUniform", {"minval": 3, "maxval": 4}),
        ("TruncatedNormal", {"mean": 2.0, "stddev": 0.5}),
        ("Orthogonal", {"gain": 2.5}),
        ("Orthogonal", {"gain": -0.5}),
    ]
    for mode in ["fan_in", "fan_out", "fan_avg"]:
        for distribution in ["truncated_normal", "untruncated_normal", "uniform", "normal"]:
            variants.append(
                ("VarianceScaling", {"scale": 0.3, "mode": mode, "distribution": distribution})
            )
    variants.append(("VarianceScaling", {"scale": 4.0, "distribution": "Uniform"}))
    for preset in ["GlorotUniform", "HeNormal"]:
        variants.append((preset, {"input_axes": [0], "output_axes": [1, 2]}))
    variants.append(
        (
            "VarianceScaling",
            {"scale": 2.0, "mode": "fan_avg", "input_axes": [0, 1], "output_axes": [-1]},
        )
    )
    for name, arguments in variants:
        shapes = (
            [(4, 6), (3, 8, 2), (2, 3, 4, 5)]
            if "input_axes" not in arguments
            else [(3, 8, 2), (2, 3, 4, 5)]
        )
        for shape in shapes:
            cases.append(_case(name, {**arguments, "seed": 42}, shape, None))
    for name in ["TruncatedNormal", "HeNormal"]:  # long enough to need several rounds
        cases.append(_case(name, {"seed": 7}, (64, 64), None))
    cases.append(_case("Orthogonal", {"seed": 3}, (40, 24), None))
    cases.append(_case("Orthogonal", {"seed": 3}, (24, 40), None))
    for dtype in [None, "float64", "float16", "int32", "bool"]:
        for name, config in [("Zeros", {}), ("Ones", {}), ("Constant", {"value": 2.75})]:
            cases.append(_case(name, config, (3, 2), dtype))
    for dtype in [None, "float64", "float16"]:
        for shape in [(3, 3), (2, 5), (5, 2)]:
            cases.append(_case("Identity", {"gain": 1.0}, shape, dtype))
    cases.append(_case("Identity", {"gain": -3.0}, (4, 4), None))
    cases.append(_case("Constant", {"value": -1}, (), None))
    return cases


def config_cases() -> list[tuple[str, dict]]:
    """Constructor arguments whose ``get_config``/``serialize`` we compare."""
    return [
        ("Zeros", {}),
        ("Ones", {}),
        ("Constant", {"value": 1.25}),
        ("Identity", {"gain": 2.0}),
        ("RandomNormal", {"seed": 3, "mean": 1.0, "stddev": 2.0}),
        ("RandomUniform", {"seed": None, "minval": -1.0, "maxval": 1.0}),
        ("TruncatedNormal", {"seed": 5}),
        ("VarianceScaling", {"seed": 1, "scale": 2.0, "mode": "fan_out", "distribution": "Normal"}),
        ("VarianceScaling", {"seed": 1, "input_axes": [0], "output_axes": [1]}),
        ("Orthogonal", {"seed": 9, "gain": 0.5}),
        *[
            (name, {"seed": 4})
            for name in [
                "GlorotNormal",
                "GlorotUniform",
                "HeNormal",
                "HeUniform",
                "LecunNormal",
                "LecunUniform",
            ]
        ],
        ("LecunUniform", {"seed": None, "input_axes": [0, 1], "output_axes": [2]}),
    ]


FAN_SHAPES = [(), (7,), (3, 4), (3, 3, 4, 8), (5, 2, 6), (2, 3, 5, 7, 11), (0, 4), (4, 0, 3)]
FAN_AXES = [
    ((3, 4, 5), [0], [1, 2]),
    ((3, 4, 5), [0, 1], [-1]),
    ((2, 3, 4, 5), [1], [0, 3]),
    ((3, 4, 5), [0], None),
]

# (label, what to run, Keras's exception is the same type as ours, same full message)
ERROR_CASES = [
    ("scale zero", ("VarianceScaling", {"scale": 0}, None), True),
    ("scale negative", ("VarianceScaling", {"scale": -1.5}, None), True),
    ("mode upper case", ("VarianceScaling", {"mode": "FAN_IN"}, None), False),
    ("unknown distribution", ("VarianceScaling", {"distribution": "foo"}, None), False),
    ("float seed", ("RandomNormal", {"seed": 1.5}, None), True),
    ("numpy int seed", ("HeUniform", {"seed": "np.int64(3)"}, None), True),
    ("orthogonal rank 1", ("Orthogonal", {"seed": 1}, [3]), True),
    ("orthogonal rank 0", ("Orthogonal", {"seed": 1}, []), True),
    ("identity rank 3", ("Identity", {}, [3, 3, 3]), True),
    ("identity rank 1", ("Identity", {}, [3]), True),
]
UNKNOWN_IDENTIFIERS = ["xavier_uniform", "Glorot_Uniform", "HE_NORMAL", "kaiming"]


def seed_value(value):
    """Fixture JSON cannot hold a NumPy integer: ``"np.int64(3)"`` stands for one."""
    if isinstance(value, str) and value.startswith("np.int64("):
        return np.int64(int(value[len("np.int64(") : -1]))
    return value


def build_arguments(config: dict) -> dict:
    return {key: seed_value(value) if key == "seed" else value for key, value in config.items()}


def compare_with_keras(case: dict, ours: np.ndarray, keras: np.ndarray) -> str | None:
    """``None`` when ``ours`` is Keras's array by our standard, else what differs.

    Bit for bit (shape, dtype, ``np.array_equal``) for every initializer but Orthogonal,
    which must agree to float32 rounding. Keras 3.15's Orthogonal returns float32 even when
    float64 is asked for; ours is float64 then, and its float32 rounding is compared.
    """
    if ours.shape != keras.shape:
        return f"shape {ours.shape} != Keras {keras.shape}"
    if case["class_name"] != "Orthogonal":
        if ours.dtype != keras.dtype:
            return f"dtype {ours.dtype} != Keras {keras.dtype}"
        if not np.array_equal(ours, keras):
            return f"values differ in {int(np.sum(ours != keras))} of {ours.size} entries"
        return None
    expected_dtype = np.dtype(case["dtype"] or "float32")
    if ours.dtype != expected_dtype:
        return f"dtype {ours.dtype} != requested {expected_dtype}"
    gap = float(np.max(np.abs(ours.astype(np.float32) - keras), initial=0.0))
    return None if gap <= ORTHOGONAL_ATOL else f"largest difference {gap:.3g}"
