"""weight_init.initializers against Keras 3.15.1's stored answers (no Keras needed).

The fixtures were written by ``make keras-fixtures`` (see ``keras_reference.py``); every
array must be Keras's bit for bit (Orthogonal: to float32 rounding), every config and name
the same, every error of the same type. Where we differ on purpose the test says so.
"""

import json

import keras_cases as kc
import numpy as np
import pytest

from weight_init import initializers as I

RECORD = json.loads(kc.RECORD_FILE.read_text())
ARRAYS = np.load(kc.ARRAYS_FILE)


def test_fixtures_come_from_the_reference_keras_on_numpy():
    assert RECORD["keras_version"] == kc.KERAS_VERSION and RECORD["backend"] == "numpy"
    assert len(RECORD["arrays"]) == len(kc.array_cases()) == len(ARRAYS.files)
    assert [entry["key"] for entry in RECORD["arrays"]] == [c["key"] for c in kc.array_cases()]


def test_fixtures_cover_every_initializer_shape_rank_and_float_dtype():
    covered = {(e["class_name"], len(e["shape"]), e["dtype"]) for e in RECORD["arrays"]}
    for name in kc.RANDOM:
        for rank in [2, 3] if name == "Orthogonal" else [0, 1, 2, 3]:
            for dtype in [None, "float32", "float64"] + (
                [] if name == "Orthogonal" else ["float16"]
            ):
                assert (name, rank, dtype) in covered
    assert {e["class_name"] for e in RECORD["arrays"]} == {c.__name__ for c in I.CATALOGUE}


@pytest.mark.parametrize("entry", RECORD["arrays"], ids=lambda e: e["key"])
def test_every_array_is_kerass(entry):
    keras = ARRAYS[entry["array"]]
    ours = getattr(I, entry["class_name"])(**entry["config"])(tuple(entry["shape"]), entry["dtype"])
    assert kc.compare_with_keras(entry, ours, keras) is None


def test_orthogonal_float64_is_a_documented_keras_deviation():
    assert RECORD["keras_bugs"]["orthogonal_float64_dtype"] == "float32"
    assert I.Orthogonal(seed=1)((4, 3), "float64").dtype == np.float64
    assert RECORD["keras_bugs"]["orthogonal_float16"][0] == "TypeError"
    assert I.Orthogonal(seed=1)((4, 3), "float16").dtype == np.float16


@pytest.mark.parametrize("entry", RECORD["configs"], ids=lambda e: e["class_name"])
def test_configs_and_serialization_are_kerass(entry):
    ours = getattr(I, entry["class_name"])(**entry["arguments"])
    if entry["class_name"] == "Identity":  # deliberate: Keras 3.15 loses the gain
        assert entry["config"] == {} and RECORD["keras_bugs"]["identity_config"] == {}
        assert ours.get_config() == {"gain": entry["arguments"]["gain"]}
        return
    assert json.loads(json.dumps(ours.get_config())) == entry["config"]
    assert json.loads(json.dumps(I.serialize(ours))) == entry["serialized"]
    assert I.deserialize(entry["serialized"]).get_config() == ours.get_config()


def test_names_and_aliases_are_kerass():
    assert {name: cls.__name__ for name, cls in I.NAMES.items()} == RECORD["names"]


@pytest.mark.parametrize("entry", RECORD["fans"], ids=lambda e: str(e["shape"]))
def test_fans_are_kerass(entry):
    fans = I.compute_fans(entry["shape"], entry["input_axes"], entry["output_axes"])
    assert list(fans) == entry["fans"]


@pytest.mark.parametrize("entry", RECORD["errors"], ids=lambda e: e["label"])
def test_errors_have_kerass_type_and_message(entry):
    with pytest.raises(Exception) as info:
        initializer = getattr(I, entry["class_name"])(**kc.build_arguments(entry["arguments"]))
        if entry["shape"] is not None:
            initializer(tuple(entry["shape"]))
    assert type(info.value).__name__ == entry["type"]
    if entry["same_message"]:
        assert str(info.value) == entry["message"]
    else:
        assert str(info.value).startswith(entry["message"])


@pytest.mark.parametrize("entry", RECORD["unknown"], ids=lambda e: e["identifier"])
def test_unknown_names_fail_like_keras(entry):
    with pytest.raises(ValueError) as info:
        I.get(entry["identifier"])
    assert (type(info.value).__name__, str(info.value)) == (entry["type"], entry["message"])


def test_get_constant_and_negative_seeds_are_documented_keras_deviations():
    assert RECORD["keras_bugs"]["get_constant"][0] == "KeyError"
    assert I.get("constant").get_config() == {"value": 0.0}
    assert RECORD["keras_bugs"]["negative_seed"][0] == "OverflowError"
    with pytest.raises(ValueError, match="seed=-1"):
        I.HeNormal(seed=-1)
