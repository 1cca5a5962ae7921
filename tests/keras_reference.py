"""Keras 3.15.1 as the reference for weight_init.initializers (needs Keras; not a unit test).

Two uses, both from the Makefile, in a throwaway environment with Keras on its NumPy backend:

- ``make keras-fixtures`` runs this file as a script: every case of ``keras_cases`` goes
  through Keras and the results are written to ``tests/fixtures/`` (committed, small).
- ``make keras-parity`` runs the ``test_*`` functions below with pytest: the same cases,
  live against the installed Keras, and a check that the committed fixtures are current.

pytest does not collect this file in ``make test`` (its name does not start with ``test_``),
so the unit suite never needs Keras.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

os.environ.setdefault("KERAS_BACKEND", "numpy")
sys.path.insert(0, str(Path(__file__).parent))

import keras
import keras_cases as kc
import numpy as np
from keras.src.initializers import ALL_OBJECTS_DICT

from weight_init import initializers as ours


def keras_array(case: dict) -> np.ndarray:
    initializer = getattr(keras.initializers, case["class_name"])(**case["config"])
    shape = tuple(case["shape"])
    return np.asarray(initializer(shape, dtype=case["dtype"]))


def our_array(case: dict) -> np.ndarray:
    initializer = getattr(ours, case["class_name"])(**case["config"])
    return initializer(tuple(case["shape"]), dtype=case["dtype"])


def raised(action) -> tuple[str, str] | None:
    try:
        action()
    except Exception as error:  # the point is to record whatever Keras raises
        return type(error).__name__, str(error)
    return None


def error_action(library, class_name: str, arguments: dict, shape):
    def action():
        initializer = getattr(library.initializers if library is keras else library, class_name)(
            **kc.build_arguments(arguments)
        )
        if shape is not None:
            initializer(tuple(shape))

    return action


def record() -> tuple[dict, dict[str, np.ndarray]]:
    """Everything Keras says about the cases, as (JSON record, arrays)."""
    arrays, array_entries = {}, []
    for index, case in enumerate(kc.array_cases()):
        values = keras_array(case)
        name = f"a{index:04d}"
        arrays[name] = values
        array_entries.append({**case, "array": name, "keras_dtype": str(values.dtype)})
    configs = []
    for class_name, arguments in kc.config_cases():
        initializer = getattr(keras.initializers, class_name)(**arguments)
        configs.append(
            {
                "class_name": class_name,
                "arguments": arguments,
                "config": initializer.get_config(),
                "serialized": keras.initializers.serialize(initializer),
            }
        )
    catalogue = {cls.__name__ for cls in ours.CATALOGUE}
    names = {
        name: cls.__name__ for name, cls in ALL_OBJECTS_DICT.items() if cls.__name__ in catalogue
    }
    fans = [
        {
            "shape": list(shape),
            "input_axes": None,
            "output_axes": None,
            "fans": list(keras_fans(shape)),
        }
        for shape in kc.FAN_SHAPES
    ]
    fans += [
        {
            "shape": list(shape),
            "input_axes": inputs,
            "output_axes": outputs,
            "fans": list(keras_fans(shape, inputs, outputs)),
        }
        for shape, inputs, outputs in kc.FAN_AXES
    ]
    errors = []
    for label, (class_name, arguments, shape), same_message in kc.ERROR_CASES:
        kind, message = raised(error_action(keras, class_name, arguments, shape))
        if not same_message:  # Keras prints a set there, whose order changes from run to run
            message = message.split("Please use one of")[0].rstrip(". ")
        errors.append(
            {
                "label": label,
                "class_name": class_name,
                "arguments": arguments,
                "shape": shape,
                "same_message": same_message,
                "type": kind,
                "message": message,
            }
        )
    unknown = [
        dict(zip(("type", "message"), raised(lambda i=i: keras.initializers.get(i))), identifier=i)
        for i in kc.UNKNOWN_IDENTIFIERS
    ]
    bugs = {
        "get_constant": raised(lambda: keras.initializers.get("constant")),
        "identity_config": keras.initializers.Identity(gain=2.0).get_config(),
        "orthogonal_float64_dtype": str(
            keras.initializers.Orthogonal(seed=1)((4, 3), "float64").dtype
        ),
        "orthogonal_float16": raised(
            lambda: keras.initializers.Orthogonal(seed=1)((4, 3), "float16")
        ),
        "negative_seed": raised(lambda: keras.initializers.HeNormal(seed=-1)((2, 2))),
    }
    header = {
        "keras_version": keras.__version__,
        "numpy_version": np.__version__,
        "backend": keras.backend.backend(),
    }
    return (
        {
            **header,
            "arrays": array_entries,
            "configs": configs,
            "names": names,
            "fans": fans,
            "errors": errors,
            "unknown": unknown,
            "keras_bugs": bugs,
        },
        arrays,
    )


def keras_fans(shape, input_axes=None, output_axes=None):
    from keras.src.initializers.random_initializers import compute_fans

    return compute_fans(shape, input_axes=input_axes, output_axes=output_axes)


def write_fixtures() -> None:
    record_data, arrays = record()
    kc.FIXTURES.mkdir(exist_ok=True)
    np.savez_compressed(kc.ARRAYS_FILE, **arrays)
    kc.RECORD_FILE.write_text(json.dumps(record_data, indent=1, sort_keys=False) + "\n")
    size = kc.ARRAYS_FILE.stat().st_size + kc.RECORD_FILE.stat().st_size
    print(
        f"wrote {len(arrays)} Keras {keras.__version__} arrays, "
        f"{len(record_data['configs'])} configs and {len(record_data['errors'])} error cases "
        f"to {kc.FIXTURES} ({size / 1024:.0f} KiB)"
    )


# ------------------------------------------------------------------ live parity (pytest)
def test_keras_is_the_reference_version_on_numpy():
    assert keras.__version__ == kc.KERAS_VERSION and keras.backend.backend() == "numpy"


def test_every_array_case_matches_live_keras():
    failures = []
    for case in kc.array_cases():
        problem = kc.compare_with_keras(case, our_array(case), keras_array(case))
        if problem:
            failures.append(f"{case['key']}: {problem}")
    assert not failures, "\n".join(failures[:20])


def test_orthogonal_float32_is_even_bit_identical_here():
    for case in kc.array_cases():
        if case["class_name"] == "Orthogonal" and case["dtype"] in (None, "float32"):
            assert np.array_equal(our_array(case), keras_array(case)), case["key"]


def test_random_shapes_and_seeds_match_live_keras():
    rng = np.random.default_rng(2024)
    for _ in range(300):
        name = kc.RANDOM[int(rng.integers(len(kc.RANDOM)))]
        rank = int(rng.integers(2 if name == "Orthogonal" else 0, 5))
        shape = tuple(int(d) for d in rng.integers(1, 7, size=rank))
        case = {
            "class_name": name,
            "config": {"seed": int(rng.integers(2**32))},
            "shape": list(shape),
            "dtype": None,
            "key": f"{name}{shape}",
        }
        assert kc.compare_with_keras(case, our_array(case), keras_array(case)) is None, case


def test_the_committed_fixtures_are_what_keras_gives_now():
    stored = json.loads(kc.RECORD_FILE.read_text())
    live, arrays = record()
    stored_arrays = np.load(kc.ARRAYS_FILE)
    assert json.loads(json.dumps(live)) == stored
    for name, values in arrays.items():
        assert (
            np.array_equal(stored_arrays[name], values)
            and stored_arrays[name].dtype == values.dtype
        )


def test_configs_and_serialization_match_live_keras():
    for class_name, arguments in kc.config_cases():
        theirs = getattr(keras.initializers, class_name)(**arguments)
        mine = getattr(ours, class_name)(**arguments)
        if class_name == "Identity":  # deliberate: we keep the gain Keras 3.15 loses
            assert mine.get_config() == {**theirs.get_config(), "gain": arguments["gain"]}
            continue
        assert mine.get_config() == theirs.get_config()
        assert ours.serialize(mine) == keras.initializers.serialize(theirs)
        rebuilt = ours.deserialize(keras.initializers.serialize(theirs))
        assert rebuilt.get_config() == theirs.get_config()


def test_names_match_live_keras():
    catalogue = {cls.__name__ for cls in ours.CATALOGUE}
    theirs = {n: c.__name__ for n, c in ALL_OBJECTS_DICT.items() if c.__name__ in catalogue}
    assert {n: c.__name__ for n, c in ours.NAMES.items()} == theirs


def test_errors_have_kerass_types_live():
    for label, (class_name, arguments, shape), same_message in kc.ERROR_CASES:
        theirs = raised(error_action(keras, class_name, arguments, shape))
        mine = raised(error_action(ours, class_name, arguments, shape))
        assert theirs and mine and mine[0] == theirs[0], label
        if same_message:
            assert mine[1] == theirs[1], label
        else:
            assert mine[1].startswith(theirs[1].split("Please use one of")[0].rstrip(". ")), label
    for identifier in kc.UNKNOWN_IDENTIFIERS:
        assert raised(lambda identifier=identifier: ours.get(identifier)) == raised(
            lambda identifier=identifier: keras.initializers.get(identifier)
        )


def test_unseeded_instances_behave_like_kerass():
    for library in (keras.initializers, ours):
        initializer = library.GlorotNormal()
        first = np.asarray(initializer((5, 5)))
        assert np.array_equal(first, np.asarray(initializer((5, 5))))
        assert not np.array_equal(first, np.asarray(initializer.clone()((5, 5))))
        assert initializer.get_config()["seed"] is None


if __name__ == "__main__":
    write_fixtures()
