"""The state Jacobian of a recurrent layer, against exact cases and finite differences."""

import numpy as np
import pytest

from weight_init.recurrent import state_jacobian_norms


def _orthogonal(n, seed):
    q, r = np.linalg.qr(np.random.default_rng(seed).standard_normal((n, n)))
    return q * np.sign(np.diag(r))


def test_linear_orthogonal_keeps_norm_one_and_scaled_identity_is_exact():
    w = _orthogonal(16, 0)
    h0 = np.random.default_rng(1).standard_normal(16)
    np.testing.assert_allclose(state_jacobian_norms(w, h0, [1, 50, 200]), 1.0, rtol=1e-10)
    np.testing.assert_allclose(
        state_jacobian_norms(0.9 * np.eye(4), np.ones(4), [1, 10]), [0.9, 0.9**10]
    )


def test_relu_identity_keeps_positive_states():
    norms = state_jacobian_norms(np.eye(8), np.abs(np.arange(1.0, 9.0)), [10, 100], "relu")
    np.testing.assert_allclose(norms, 1.0)


def test_tanh_jacobian_matches_finite_differences():
    rng = np.random.default_rng(2)
    w, h0 = rng.standard_normal((5, 5)) / np.sqrt(5), rng.standard_normal(5)

    def run(h, steps=3):
        for _ in range(steps):
            h = np.tanh(h @ w)
        return h

    numeric = np.empty((5, 5))
    for i in range(5):
        e = np.zeros(5)
        e[i] = 1e-6
        numeric[i] = (run(h0 + e) - run(h0 - e)) / 2e-6
    assert state_jacobian_norms(w, h0, [3], "tanh")[0] == pytest.approx(
        np.linalg.norm(numeric, 2), rel=1e-6
    )


def test_bad_arguments():
    with pytest.raises(ValueError, match="square"):
        state_jacobian_norms(np.ones((2, 3)), np.ones(2), [1])
    with pytest.raises(ValueError, match="h0"):
        state_jacobian_norms(np.eye(3), np.ones(2), [1])
    with pytest.raises(ValueError, match="increasing"):
        state_jacobian_norms(np.eye(3), np.ones(3), [5, 2])
