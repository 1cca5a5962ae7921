"""Exercises of notebook 15 · Check your network before training."""

from __future__ import annotations

import math
from typing import Sequence

import numpy as np

from .. import (
    diagnostics,
    init_fns,
    training,
)
from .engine import Exercise, Mistake, register

_SKEWED_PRIOR = (0.5, 0.3, 0.2)


def _makemore_saturation(w1_scale: float, seeds: Sequence[int] = (0, 1, 2)) -> float:
    """Mean saturated share (|tanh| > 0.99) of the makemore-shaped net [30, 200, 27] with
    N(0, 1) weights and biases, W1 × ``w1_scale`` and b1 × 0.01, on 1000 N(0, 1) inputs."""
    shares = []
    for seed in seeds:
        rng = np.random.default_rng(seed)
        x = rng.standard_normal((1000, 30))
        model = training.build_mlp(
            [30, 200, 27],
            init_fns.catalogue_init("random_normal", stddev=1.0),
            "tanh",
            "softmax_cross_entropy",
            seed=seed,
            bias_std=1.0,
        )
        model.weights[0] *= w1_scale
        assert model.biases is not None
        model.biases[0] *= 0.01
        hidden = model.forward(x).activations
        shares.append(diagnostics.saturated_fraction(hidden).values[0])
    return float(np.mean(shares))


def _skewed_prior_entropy() -> float:
    return diagnostics.expected_initial_loss(class_prior=_SKEWED_PRIOR)


register(
    Exercise(
        key="15.1",
        question="Predict, then run: three classes with prior (0.5, 0.3, 0.2); the output bias "
        "is set to the log prior. Predict the initial loss the check should expect, then "
        "measure the loss of that prediction on 10 000 labels drawn from the prior (seed 0).",
        solution=_skewed_prior_entropy,
        explanation="With b = ln p and near-zero logits otherwise, softmax(b) = p, so the expected "
        "cross-entropy is the prior's entropy H(p) = -Σ p ln p ≈ 1.030 "
        "(diagnostics.expected_initial_loss(class_prior=p)).",
        hint="the net predicts p for every input; average -ln p_y over labels drawn from p.",
        # The seed is named; the measurement on 10 000 labels lies 0.2% from H(p).
        rel_tol=0.01,
        mistakes=(
            Mistake(
                lambda: math.log(3),
                "ln 3 is the loss of a uniform guess; the bias already predicts the prior.",
            ),
            Mistake(
                lambda: -math.log(0.5),
                "That is the loss on the most frequent class only; average over all classes.",
            ),
        ),
    )
)

register(
    Exercise(
        key="15.2",
        question="A detector with rarer objects starts every anchor's sigmoid at probability "
        "π = 0.05 (RetinaNet's trick). What output bias b does that take?",
        solution=lambda: -math.log((1 - 0.05) / 0.05),
        explanation="σ(b) = π gives b = -ln((1 - π)/π) = -ln 19 ≈ -2.944.",
        hint="solve σ(b) = π for b: write σ(b) = 1/(1 + e^(-b)) and isolate e^(-b) first.",
        rel_tol=5e-3,
        mistakes=(
            Mistake(
                lambda: math.log(0.05),
                "ln π is the log-probability, not the logit: the logit is ln(π/(1 - π)).",
            ),
            Mistake(lambda: math.log(19), "The sign is flipped: a rare foreground needs b < 0."),
        ),
    )
)

register(
    Exercise(
        key="15.3",
        question="In the makemore-shaped net (output fixed), scale W1 by 0.5 instead of 0.2 (b1 × "
        "0.01). What share of the tanh outputs is saturated (|a| > 0.99), averaged over seeds "
        "0, 1, 2? Give a fraction, e.g. 0.1.",
        solution=lambda: _makemore_saturation(0.5),
        explanation="The pre-activations have std about 0.5·√30 ≈ 2.7, so a good share of them "
        "lands beyond atanh(0.99) ≈ 2.65.",
        hint="repeat the notebook's saturation check with W1 scaled by 0.5 instead of 0.2, once "
        "per seed, and average the three shares.",
        rel_tol=2e-2,
        mistakes=(
            Mistake(
                lambda: _makemore_saturation(0.2),
                "That is the W1 × 0.2 value from the notebook; rerun with 0.5.",
            ),
            Mistake(
                lambda: 100 * _makemore_saturation(0.5),
                "That is a percentage; give the fraction.",
            ),
        ),
    )
)

register(
    Exercise(
        key="15.4",
        question="A linear recurrent layer h_t = h_(t-1) @ W. For which W does ‖∂h_200/∂h_0‖ "
        "stay exactly 1? (a) Gaussian with variance 1/n, (b) orthogonal, (c) 0.99 · identity, "
        "(d) Gaussian with variance 2/n (He). Answer with a letter.",
        solution=lambda: "b",
        explanation="∂h_T/∂h_0 = W^T, and a power of an orthogonal matrix is orthogonal: all its "
        "singular values are 1 at every T.",
        hint="which matrices keep every singular value of their powers at 1?",
        mistakes=(
            Mistake(
                lambda: "a",
                "A Gaussian W keeps the norm only on average at one step; its powers spread "
                "by orders of magnitude.",
            ),
            Mistake(lambda: "c", "0.99^200 ≈ 0.13: a slightly contracting W still vanishes."),
            Mistake(
                lambda: "d",
                "He's factor 2 is for ReLU, which halves the signal; a linear layer with it "
                "explodes.",
            ),
        ),
    )
)
