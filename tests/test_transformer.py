"""The GPT-2-shaped decoder: shapes, causal masking, the nanoGPT init, the tied head, bad input."""

import math

import numpy as np
import pytest

from weight_init import transformer as tr
from weight_init.normalization import layer_norm


@pytest.fixture(scope="module")
def small_gpt():
    return tr.build_gpt(97, 16, 48, 4, 3, seed=0, dtype=np.float64)


def test_gelu_values():
    assert tr.gelu(np.array(0.0)) == 0.0
    assert tr.gelu(np.array(1.0)) == pytest.approx(0.8411920, abs=1e-6)
    assert tr.gelu(np.array(-10.0)) == pytest.approx(0.0, abs=1e-12)
    assert tr.gelu(np.array(10.0)) == pytest.approx(10.0)


def test_residual_projection_std_is_over_root_two_l():
    assert tr.residual_projection_std(12) == pytest.approx(0.02 / math.sqrt(24))
    assert tr.residual_projection_std(48, std=0.1) == pytest.approx(0.1 / math.sqrt(96))


def test_shapes(small_gpt):
    tokens = np.arange(10) % 97
    streams = small_gpt.streams(tokens)
    assert len(streams) == 4 and all(s.shape == (10, 48) for s in streams)
    assert small_gpt.logits(streams[-1]).shape == (10, 97)
    block = small_gpt.blocks[0]
    assert block.attn[0].shape == (48, 144) and block.attn_proj[0].shape == (48, 48)
    assert block.fc[0].shape == (48, 192) and block.mlp_proj[0].shape == (192, 48)


def test_causal_mask_hides_later_tokens(small_gpt):
    tokens = np.array([5, 3, 9, 1, 4, 4, 7])
    changed = tokens.copy()
    changed[4:] = [0, 1, 2]
    a, b = small_gpt.streams(tokens)[-1], small_gpt.streams(changed)[-1]
    np.testing.assert_array_equal(a[:4], b[:4])
    assert not np.allclose(a[4:], b[4:])


def test_attention_probabilities_are_causal_and_sum_to_one():
    rng = np.random.default_rng(0)
    q, k = rng.standard_normal((2, 5, 8)), rng.standard_normal((2, 5, 8))
    p = tr.attention_probabilities(q, k)
    np.testing.assert_allclose(p.sum(axis=-1), 1.0)
    assert np.all(np.triu(p[0], 1) == 0) and np.all(p[0][np.tril_indices(5)] > 0)
    full = tr.attention_probabilities(q, k, causal=False)
    scores = q[1] @ k[1].T / math.sqrt(8)
    expected = np.exp(scores) / np.exp(scores).sum(axis=1, keepdims=True)
    np.testing.assert_allclose(full[1], expected)


def test_heads_split_the_width():
    rng = np.random.default_rng(1)
    u = rng.standard_normal((4, 6))
    w_attn, w_proj = rng.standard_normal((6, 18)), np.eye(6)
    out = tr.self_attention(u, w_attn, np.zeros(18), w_proj, np.zeros(6), heads=2, causal=False)
    q, k, v = np.split(u @ w_attn, 3, axis=1)
    first = tr.attention_probabilities(q[None, :, :3], k[None, :, :3], causal=False)[0] @ v[:, :3]
    np.testing.assert_allclose(out[:, :3], first)


def test_block_is_pre_ln(small_gpt):
    block, x = small_gpt.blocks[0], np.random.default_rng(2).standard_normal((6, 48))
    attention = tr.self_attention(layer_norm(x, *block.ln_1)[0], *block.attn, *block.attn_proj, 4)
    middle = x + attention
    expected = middle + tr.mlp(layer_norm(middle, *block.ln_2)[0], *block.fc, *block.mlp_proj)
    np.testing.assert_allclose(block.forward(x, 4), expected)


def test_init_stds_per_parameter():
    model = tr.build_gpt(4000, 64, 128, 4, 8, seed=0)
    stds = tr.parameter_stds(model)
    scaled = 0.02 / math.sqrt(16)
    for name, value in stds.items():
        target = scaled if name.endswith("c_proj.weight") else 0.02
        assert value == pytest.approx(target, rel=0.03), name
    assert all(np.all(b.attn[1] == 0) and np.all(b.ln_1[0] == 1) for b in model.blocks)
    plain = tr.parameter_stds(tr.build_gpt(500, 8, 128, 4, 8, scaled_residual=False, seed=0))
    assert plain["h.7.mlp.c_proj.weight"] == pytest.approx(0.02, rel=0.03)


def test_the_head_is_tied_to_the_token_embedding(small_gpt):
    top = np.random.default_rng(3).standard_normal((3, 48))
    normed = layer_norm(top, *small_gpt.ln_f)[0]
    np.testing.assert_allclose(small_gpt.logits(top), normed @ small_gpt.wte.T)
    embedded = small_gpt.embed(np.array([7, 7]))
    np.testing.assert_allclose(embedded[1] - small_gpt.wpe[1], small_gpt.wte[7])


def test_scaled_projections_rescale_only_the_writes_into_the_stream(small_gpt):
    block = small_gpt.blocks[0]
    rescaled = block.scaled_projections(0.25)
    np.testing.assert_allclose(rescaled.mlp_proj[0], 0.25 * block.mlp_proj[0])
    np.testing.assert_allclose(rescaled.attn_proj[0], 0.25 * block.attn_proj[0])
    assert rescaled.attn[0] is block.attn[0] and rescaled.fc[0] is block.fc[0]


def test_cross_entropy_and_the_initial_loss_rule():
    logits = np.zeros((4, 10))
    assert tr.cross_entropy(logits, np.arange(4)) == pytest.approx(math.log(10))
    z = 0.5 * np.random.default_rng(4).standard_normal((400, 5000))
    measured = tr.cross_entropy(z, np.zeros(400, dtype=int))
    assert measured == pytest.approx(tr.initial_loss_prediction(5000, 0.5), abs=0.03)
    assert tr.initial_loss_prediction(2, 0.0) == pytest.approx(math.log(2))


def test_rank_one_residual_and_cosine():
    rank_one = np.outer(np.arange(1.0, 5.0), np.ones(3))
    assert tr.rank_one_residual(rank_one) == pytest.approx(0.0, abs=1e-12)
    assert tr.mean_token_cosine(rank_one) == pytest.approx(1.0)
    assert tr.rank_one_residual(np.eye(4)) == pytest.approx(math.sqrt(3 / 4))
    assert tr.mean_token_cosine(np.eye(4)) == pytest.approx(0.0)


def test_pure_attention_collapses_and_skips_with_scaling_do_not():
    x = np.random.default_rng(5).standard_normal((16, 32))
    pure = tr.attention_stack(x, 4, seed=0)
    assert tr.rank_one_residual(pure[-1]) < 1e-4
    kept = tr.attention_stack(x, 16, skip=True, branch_scale=0.25, seed=0)
    assert tr.rank_one_residual(kept[-1]) > 0.5 * tr.rank_one_residual(x)


def test_pre_norm_branch_reads_the_layer_normed_stream():
    x = np.random.default_rng(7).standard_normal((8, 16)) * 3.0 + 1.0
    rng = np.random.default_rng(0)
    w_attn = rng.standard_normal((16, 48)) / 4.0
    w_proj = rng.standard_normal((16, 16)) / 4.0
    normed = (x - x.mean(1, keepdims=True)) / np.sqrt(x.var(1, keepdims=True) + 1e-5)
    by_hand = x + 0.5 * tr.self_attention(
        normed, w_attn, np.zeros(48), w_proj, np.zeros(16), 1, causal=False
    )
    stack = tr.attention_stack(x, 1, skip=True, branch_scale=0.5, seed=0, pre_norm=True)
    np.testing.assert_allclose(stack[1], by_hand, rtol=1e-12, atol=1e-12)


def test_a_normalized_branch_slows_the_collapse_of_a_plain_skip():
    x = np.random.default_rng(5).standard_normal((32, 64))
    plain = tr.attention_stack(x, 24, skip=True, seed=0)[-1]
    normed = tr.attention_stack(x, 24, skip=True, seed=0, pre_norm=True)[-1]
    assert tr.rank_one_residual(plain) < 0.05 < 0.1 < tr.rank_one_residual(normed)
    with pytest.raises(TypeError, match="pre_norm"):
        tr.attention_stack(x, 1, pre_norm=1)


def test_depth_sweep_stacks_share_draws_and_stop_at_their_depth():
    x0 = 0.02 * np.random.default_rng(6).standard_normal((8, 32))
    sweep = tr.DepthSweep(x0, {"a": (0.02, 3), "b": (0.005, 2)}, heads=4, seed=0)
    sweep.grow(2)
    sweep.grow(5)
    assert sweep.blocks_done == 3 and len(sweep.stds["a"]) == 4 and len(sweep.stds["b"]) == 3
    rng = np.random.default_rng(0)
    blocks = [tr.build_block(32, seed=rng, dtype=np.float64) for _ in range(3)]
    x = x0
    for block in blocks:
        x = block.forward(x, 4)
    np.testing.assert_allclose(sweep.streams["a"], x, rtol=1e-5, atol=1e-7)


def test_bad_input_gets_clear_errors(small_gpt):
    with pytest.raises(ValueError, match="divisible by heads"):
        tr.build_gpt(10, 8, 30, 4, 2)
    with pytest.raises(ValueError, match="context_length"):
        tr.build_gpt(10, 0, 32, 4, 2)
    with pytest.raises(ValueError, match="layers"):
        tr.build_gpt(10, 8, 32, 4, -1)
    with pytest.raises(ValueError, match="vocab_size"):
        tr.build_gpt(0, 8, 32, 4, 2)
    with pytest.raises(ValueError, match="sequence length"):
        small_gpt.embed(np.array([], dtype=int))
    with pytest.raises(ValueError, match="sequence length"):
        small_gpt.embed(np.zeros(17, dtype=int))
    with pytest.raises(ValueError, match="token ids"):
        small_gpt.embed(np.array([0, 97]))
    with pytest.raises(TypeError, match="integer ids"):
        small_gpt.embed(np.array([0.5]))
    with pytest.raises(ValueError, match="divisible by heads"):
        tr.attention_stack(np.ones((4, 6)), 2, heads=4)
