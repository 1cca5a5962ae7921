"""Exercises of notebook 13 · Transformers at initialization."""

from __future__ import annotations

import math

import numpy as np

from .. import (
    transformer,
)
from .engine import Exercise, Mistake, register


def _small_gpt_initial_loss(head_factor: float = 1.0) -> float:
    """Exercise 13.2's model: V = 1000, T = 64, d = 128, 4 heads, 4 blocks, seed 0; tokens
    seed 1."""
    model = transformer.build_gpt(1000, 64, 128, 4, 4, seed=0)
    tokens = np.random.default_rng(1).integers(0, 1000, 65)
    logits = model.logits(model.streams(tokens[:-1])[-1])
    return transformer.cross_entropy(head_factor * logits, tokens[1:])


def _scaled_attention_distance(layers: int = 48) -> float:
    x_tokens = np.random.default_rng(0).standard_normal((32, 64))
    outputs = transformer.attention_stack(
        x_tokens, layers, skip=True, branch_scale=1 / math.sqrt(layers), seed=0
    )
    return transformer.rank_one_residual(outputs[-1])


register(
    Exercise(
        key="13.1",
        question="GPT-2 medium has L = 24 blocks. What std does nanoGPT's rule give its c_proj "
        "kernels?",
        solution=lambda: transformer.residual_projection_std(24),
        explanation="Each block adds to the stream twice, so N = 2L = 48 residual layers and the "
        "std is 0.02/sqrt(48) ≈ 0.00289.",
        hint="count the residual layers: two per block.",
        rel_tol=5e-3,
        mistakes=(
            Mistake(
                lambda: 0.02 / math.sqrt(24),
                "That divides by sqrt(L); every block has two residual layers (attention and MLP), "
                "so N = 2L.",
            ),
            Mistake(
                lambda: 0.02 / 48,
                "The rule scales the std by 1/sqrt(N), not by 1/N: the variances of the 2L "
                "additions should sum to a constant.",
            ),
            Mistake(lambda: 0.02, "0.02 is every other kernel's std; c_proj gets the scaled one."),
        ),
    )
)

register(
    Exercise(
        key="13.2",
        question="Initial loss of build_gpt(1000, 64, 128, 4, 4, seed=0) on 64 random tokens "
        "(seed 1), tied head, next-token targets?",
        solution=_small_gpt_initial_loss,
        explanation="s ≈ 0.02·sqrt(128) ≈ 0.23, so the prediction is ln 1000 + s²/2 ≈ 6.93; the "
        "measurement on 64 tokens lands close to it (a finite sample of targets).",
        hint="predict first from the logits' std s: a near-uniform guess over V tokens plus s²/2. "
        "Then feed the tokens in, predict each next one and average the cross-entropy.",
        # The seeds are named; the prediction ln 1000 + s²/2 lies 0.7% below the measurement.
        rel_tol=0.01,
        mistakes=(
            Mistake(
                lambda: _small_gpt_initial_loss(head_factor=50.0),
                "That loss belongs to a head 50 times too large; use the model's own tied head.",
            ),
            Mistake(
                lambda: math.log(2),
                "ln 2 is the loss of a two-class guess; here there are 1000 tokens.",
            ),
        ),
    )
)

register(
    Exercise(
        key="13.3",
        question="In a pre-LN transformer such as GPT-2, which is never normalized? (a) the input "
        "of the attention branch; (b) the residual stream itself; (c) the input of the MLP branch; "
        "(d) the input of the output head.",
        solution=lambda: "b",
        explanation="(b): pre-LN normalizes a copy of the stream on its way into each branch and "
        "before the head; the stream that the branches add to is never normalized, so its growth "
        "is only bounded by the initialization.",
        hint="follow x in x ← x + attention(LN(x)): which x passes through an LN and which one "
        "does not?",
        mistakes=(
            Mistake(
                lambda: "a",
                "LN_1 normalizes the input of every attention branch: that is what 'pre-LN' means.",
            ),
            Mistake(lambda: "c", "LN_2 normalizes the input of every MLP branch."),
            Mistake(
                lambda: "d",
                "GPT-2 adds a final LayerNorm (LN_f) before the head, so the head's input is "
                "normalized.",
            ),
        ),
    )
)

register(
    Exercise(
        key="13.4",
        question="Attention with skips and the branch scaled by 1/sqrt(48), 48 layers, "
        "notebook 13's tokens, seed 0: the distance of the last layer from rank 1?",
        solution=_scaled_attention_distance,
        explanation="transformer.rank_one_residual of the last output; it stays close to the "
        "input's distance: the scaled branches move the tokens little, so averaging cannot win.",
        hint="use the same 32 tokens as the notebook's attention sections and the stack with "
        "skips; only the branch scale changes. Read the distance of the last layer.",
        rel_tol=5e-3,
        mistakes=(
            Mistake(
                lambda: transformer.rank_one_residual(
                    transformer.attention_stack(
                        np.random.default_rng(0).standard_normal((32, 64)), 48, skip=True, seed=0
                    )[-1]
                ),
                "That is the stack with skips but without the 1/sqrt(L) scaling.",
            ),
        ),
    )
)
