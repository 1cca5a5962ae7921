"""Seeds to generators: the one door to randomness in the package."""

import numpy as np
import pytest

from weight_init.randomness import make_rng


def test_int_seeds_reproduce_and_generators_pass_through():
    assert make_rng(7).standard_normal() == np.random.default_rng(7).standard_normal()
    assert make_rng(np.int64(7)).standard_normal() == make_rng(7).standard_normal()
    generator = np.random.default_rng(1)
    assert make_rng(generator) is generator  # draws continue its stream
    assert make_rng(None).standard_normal(8).tolist() != make_rng(None).standard_normal(8).tolist()


def test_bad_seeds_name_themselves():
    with pytest.raises(
        TypeError,
        match=r"seed must be None, an int or a numpy\.random\.Generator; "
        r"received seed=1\.5 of type float\.",
    ):
        make_rng(1.5)
    with pytest.raises(TypeError, match="of type bool"):
        make_rng(True)
    with pytest.raises(ValueError, match=r"seed must be a non-negative int; received seed=-1\."):
        make_rng(-1)
