"""Exercises of notebook 10 · The edge of chaos."""

from __future__ import annotations

import math

import numpy as np

from .. import (
    experiment,
    theory,
)
from .engine import Exercise, Mistake, register


def _measured_gradient_ratio(sigma_w2: float = 3.0, sigma_b2: float = 0.05) -> float:
    """Notebook 10, section 3: E[δ_l²] / E[δ_{l+1}²] averaged over 19 layer pairs of a 20-layer
    tanh net of 500 units and two nets (seeds 0 and 1), inputs at the fixed point."""
    sigma_w = math.sqrt(sigma_w2)

    def init_fn(fan_in: int, fan_out: int, rng: np.random.Generator | None = None) -> np.ndarray:
        return sigma_w * experiment.lecun_init(fan_in, fan_out, rng=rng)

    q_star = theory.fixed_point(sigma_w2, sigma_b2)
    ratios: list[float] = []
    for seed in (0, 1):
        rng = np.random.default_rng(1000 + seed)
        inputs = math.sqrt((q_star - sigma_b2) / sigma_w2) * rng.standard_normal((100, 500))
        run = experiment.propagate(
            [500] * 20, init_fn, inputs=inputs, seed=seed, bias_std=math.sqrt(sigma_b2)
        )
        moments = experiment.second_moments(run.pre_activation_grads)
        ratios += [moments[layer] / moments[layer + 1] for layer in range(19)]
    return float(np.mean(ratios))


def _predicted_tanh_std(layer: int = 20) -> float:
    """The variance map's std of tanh activations at ``layer`` for σ_w² = 1, σ_b² = 0, q¹ = 1."""
    q = 1.0
    for _ in range(layer - 1):
        q = theory.variance_map(q, 1.0, 0.0)
    return math.sqrt(theory.activation_second_moment("tanh", q))


register(
    Exercise(
        key="10.1",
        question="Predict, then run: add σ_w² = 3.0 to section 3's list SIGMA_W2_MEASURED. "
        "Predict the gradient's factor per layer with theory.chi_1, then re-run the cell "
        "(seeds 0 and 1, as it is) and compare with the measured ratio. Submit either.",
        solution=lambda: theory.chi_1(3.0, 0.05),
        explanation="At σ_w² = 3.0, σ_b² = 0.05 the fixed point is q* ≈ 1.5 and χ₁ = σ_w² "
        "E[tanh'(√q* u)²] ≈ 1.21: chaotic, the gradient grows by about a fifth per layer "
        "towards the input. The measurement over 2 × 19 layer pairs agrees within 0.5%.",
        hint="χ₁ depends on (σ_w², σ_b²) only through the fixed point q* and the slope of tanh "
        "there; the measured ratio is E[δ_l²] over E[δ_{l+1}²].",
        # Accepts the prediction and the measurement: over seed pairs (0,1) … (6,7) it stayed
        # within 0.5% of χ₁; a 5 % error fails.
        rel_tol=0.02,
        mistakes=(
            Mistake(
                lambda: 3.0,
                "That is σ_w² alone; χ₁ multiplies it by E[tanh'(z)²] < 1 at the fixed point.",
            ),
            Mistake(
                lambda: 1 / theory.chi_1(3.0, 0.05),
                "Inverted: the ratio is the earlier layer over the later one, and on the chaotic "
                "side gradients grow towards the input, so it is above 1.",
            ),
            Mistake(
                lambda: theory.chi_1(3.0, 0.0),
                "That is χ₁ without the bias; section 3 uses σ_b² = 0.05, which moves q* and "
                "flattens tanh's slope.",
            ),
        ),
    )
)

register(
    Exercise(
        key="10.2",
        question="Predict, then run: section 8's table follows notebook 02's tanh net (LeCun's "
        "weights, σ_b = 0) to layer 10. Predict the std of the activations at layer 20 with "
        "the variance map (iterate_variance_map from q¹ = 1), then measure it with "
        "forward_prop([500] * 20, xavier_init, seed=SEED) and compare.",
        solution=_predicted_tanh_std,
        explanation="With σ_w² = 1 and σ_b = 0, q* = 0 and χ₁ = 1: the map creeps towards 0 "
        "like q ≈ 1/(2l), a power law, so the std falls only from 0.227 at layer 10 to about "
        "0.161 at layer 20 (≈ sqrt(1/40) = 0.158). The seed-0 net measures 0.161 as well.",
        hint="iterate the map 19 times from q = 1, then turn the variance q into the std of "
        "tanh(z).",
        # The seed (SEED = 0) is named; its measurement is 0.2% off the map (seeds 1-5: ≤ 3.5%).
        rel_tol=0.02,
        mistakes=(
            Mistake(
                lambda: 0.227 * (0.227 / 0.628) ** (10 / 9),
                "That extrapolates the first ten layers geometrically; at q* = 0 with χ₁ = 1 the "
                "decline is a power law, much slower than exponential.",
            ),
            Mistake(
                lambda: _predicted_tanh_std() ** 2,
                "That is E[tanh(z)²], the second moment; the question asks for the std.",
            ),
            Mistake(
                lambda: math.sqrt(theory.activation_second_moment("tanh", 1.0)),
                "That is layer 1's std: the variance keeps shrinking, slowly, layer after layer.",
            ),
        ),
    )
)

register(
    Exercise(
        key="10.3",
        question="At σ_b² = 0.05, σ_w² = 4 lies in the chaotic phase. What happens to the forward "
        "signal's variance q in a deep net there? (a) it grows without bound, layer after "
        "layer; (b) it settles at a finite fixed point q*, while two nearly equal inputs "
        "decorrelate towards c* < 1; (c) it vanishes to 0; (d) it oscillates between two values.",
        solution=lambda: "b",
        explanation="(b): 'chaotic' is about correlations and gradients, not about the size of "
        "the signal. tanh is bounded, so q' = σ_w² E[tanh(√q u)²] + σ_b² ≤ σ_w² + σ_b², and "
        "the map settles at q* (section 2's table: 2.1955 for σ_w² = 4). What χ₁ > 1 does is "
        "push nearby inputs apart, to c* ≈ 0.17 (section 5).",
        hint="look at section 2's fixed-point column and section 5's right panel for σ_w² = 4.",
        mistakes=(
            Mistake(
                lambda: "a",
                "Chaos is not explosion: tanh's outputs are bounded by 1, so q cannot exceed "
                "σ_w² + σ_b²; section 1's table shows q settling by layer 5.",
            ),
            Mistake(
                lambda: "c",
                "q vanishes only without bias and with σ_w² ≤ 1; here the bias alone keeps q "
                "above σ_b², and σ_w² = 4 gives q* ≈ 2.2.",
            ),
            Mistake(
                lambda: "d",
                "The variance map is increasing in q, so its iterates approach q* from one side "
                "(section 1's table), never alternating around it.",
            ),
        ),
    )
)
