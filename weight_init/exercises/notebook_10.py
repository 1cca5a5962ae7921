"""Exercises of notebook 10 · The edge of chaos (10.1–10.3) and its going-further part
(10.4–10.6)."""

from __future__ import annotations

import math

import numpy as np

from .. import (
    experiment,
    theory,
)
from ..activations import Activation, ActivationLike
from .engine import Exercise, Mistake, register


def _measured_gradient_ratio(
    sigma_w2: float = 3.0,
    sigma_b2: float = 0.05,
    activation: ActivationLike = "tanh",
    samples: int = 100,
) -> float:
    """Notebook 10, section 3: E[δ_l²] / E[δ_{l+1}²] averaged over 19 layer pairs of a 20-layer
    net of 500 units and two nets (seeds 0 and 1), ``samples`` inputs at the fixed point."""
    sigma_w = math.sqrt(sigma_w2)

    def init_fn(fan_in: int, fan_out: int, rng: np.random.Generator | None = None) -> np.ndarray:
        return sigma_w * experiment.lecun_init(fan_in, fan_out, rng=rng)

    q_star = theory.fixed_point(sigma_w2, sigma_b2, activation)
    ratios: list[float] = []
    for seed in (0, 1):
        rng = np.random.default_rng(1000 + seed)
        inputs = math.sqrt((q_star - sigma_b2) / sigma_w2) * rng.standard_normal((samples, 500))
        run = experiment.propagate(
            [500] * 20,
            init_fn,
            activation=activation,
            inputs=inputs,
            seed=seed,
            bias_std=math.sqrt(sigma_b2),
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
        question="Predict, then run: section 5's table follows notebook 02's tanh net (LeCun's "
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
        "layer; (b) it settles at a finite fixed point q*, while two nearly equal inputs are "
        "pushed apart; (c) it vanishes to 0; (d) it oscillates between two values.",
        solution=lambda: "b",
        explanation="(b): 'chaotic' is about correlations and gradients, not about the size of "
        "the signal. tanh is bounded, so q' = σ_w² E[tanh(√q u)²] + σ_b² ≤ σ_w² + σ_b², and "
        "the map settles at q* (section 2's table: 2.1955 for σ_w² = 4; the cobweb shows it "
        "from below). What χ₁ > 1 does is push nearby inputs apart (the going-further part "
        "follows them to c* ≈ 0.17).",
        hint="look at section 2's fixed-point column and at its cobweb for σ_w² = 4.",
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
                "(section 2's cobweb), never alternating around it.",
            ),
        ),
    )
)


register(
    Exercise(
        key="10.4",
        question="Why does trainable depth follow ξ_c and not ξ_q? (a) the variance forgets its "
        "start within a couple of layers for every σ_w², so ξ_q cannot tell a trainable net "
        "from an untrainable one, while ξ_c, how long two inputs stay told apart, diverges "
        "at the edge; (b) ξ_q is infinite at the edge, so it cannot be computed there; (c) "
        "ξ_q equals ξ_c in the ordered phase, so either would do; (d) ξ_q only exists for "
        "ReLU nets.",
        solution=lambda: "a",
        explanation="(a): section 2's table has ξ_q at two layers or less for every σ_w², edge "
        "included: every net forgets the size of its input quickly. What a deep net must "
        "carry is how its inputs differ, and that survives about ξ_c layers, which grows "
        "without bound at the edge.",
        hint="compare the ξ_q and ξ_c columns of section 2's table near σ_w² = 1.76.",
        mistakes=(
            Mistake(
                lambda: "b",
                "It is ξ_c that diverges at the edge; ξ_q stays finite there (section 2's "
                "table: below two layers at σ_w² = 1.76).",
            ),
            Mistake(
                lambda: "c",
                "In the ordered phase ξ_c equals −1/ln χ₁, the gradient's scale, not ξ_q; "
                "section 2's table shows ξ_q and ξ_c apart in every row.",
            ),
            Mistake(
                lambda: "d",
                "ξ_q is defined for any activation through the slope of the variance map at "
                "q*; section 2 computes it for tanh.",
            ),
        ),
    )
)


def _window_end(
    depth: float, side: str = "chaotic", scale: str = "xi_c", sigma_b2: float = 0.05
) -> float:
    """The σ_w² where ``6 ξ`` falls to ``depth`` layers, found by bisection on one side of the
    edge: ``side="chaotic"`` (between the edge and 4) or ``"ordered"`` (between 0.5 and the
    edge). ``scale`` picks ξ: ``"xi_c"`` (the correlation scale) or ``"chi_1"`` (the
    gradient's scale ``|−1/ln χ₁|``)."""

    def reach(sigma_w2: float) -> float:
        if scale == "xi_c":
            return 6 * theory.correlation_depth_scale(sigma_w2, sigma_b2)
        return 6 * abs(theory.depth_scale(theory.chi_1(sigma_w2, sigma_b2)))

    edge = theory.critical_sigma_w2(sigma_b2)
    deep, shallow = (edge * (1 + 1e-6), 4.0) if side == "chaotic" else (edge * (1 - 1e-6), 0.5)
    for _ in range(60):
        middle = 0.5 * (deep + shallow)
        deep, shallow = (middle, shallow) if reach(middle) > depth else (deep, middle)
    return 0.5 * (deep + shallow)


register(
    Exercise(
        key="10.5",
        question="Hands-on: a net of 100 tanh layers with σ_b² = 0.05 trains, by Schoenholz et "
        "al.'s rule, when 6 ξ_c ≥ 100. Find the upper end of that window of σ_w², on the "
        "chaotic side, to three figures (scan theory.correlation_depth_scale between the edge "
        "and 4).",
        solution=lambda: _window_end(100.0),
        explanation="ξ_c falls from infinity at the edge (σ_w² ≈ 1.76) to 7 layers at σ_w² = 4; "
        "6 ξ_c crosses 100 at σ_w² ≈ 2.18. On the ordered side the window starts at "
        "σ_w² ≈ 1.51: a 100-layer net trains only close to the edge, and the window is "
        "wider on the chaotic side.",
        hint="6 ξ_c is infinite at the edge and decreases as σ_w² grows on the chaotic side; "
        "look for the σ_w² where it has fallen to 100.",
        mistakes=(
            Mistake(
                lambda: _window_end(600.0),
                "That is where ξ_c itself is 100; the rule allows about 6 ξ_c layers, so the "
                "window is wider.",
            ),
            Mistake(
                lambda: _window_end(100.0, scale="chi_1"),
                "That uses the gradient's scale |−1/ln χ₁|, not ξ_c: on the chaotic side the "
                "two differ, and trainable depth follows ξ_c.",
            ),
            Mistake(
                lambda: _window_end(100.0, side="ordered"),
                "That is the window's ordered-side end, below the edge; the question asks for "
                "the chaotic side, above σ_w² ≈ 1.76.",
            ),
        ),
    )
)


LECUN_1998_TANH = Activation(
    "lecun_tanh",
    lambda z: 1.7159 * np.tanh(2 * z / 3),
    lambda z: 1.7159 * (2 / 3) * (1 - np.tanh(2 * z / 3) ** 2),
    1.0,
)
"""LeCun et al.'s (1998) scaled tanh f(z) = 1.7159 tanh(2z/3), as section 4 builds it."""


register(
    Exercise(
        key="10.6",
        question="Predict, then run: give LeCun's 1998 scaled tanh (σ_w² = 1) a bias, "
        "σ_b² = 0.05. Predict χ₁ with theory.chi_1, then measure the gradient ratio as in "
        "section 4, with inputs at the new fixed point and bias_std = √0.05. Submit either.",
        solution=lambda: theory.chi_1(1.0, 0.05, LECUN_1998_TANH),
        explanation="The bias pushes the units towards the flat arms of the tanh: q* grows "
        "from 0.38 to about 0.56 and χ₁ falls from 1.019 to about 0.94, on the ordered side. "
        "It is the phase diagram's lesson: with bias, the edge needs a larger σ_w². The "
        "measurement agrees to within 1 %.",
        hint="χ₁ is σ_w² times the mean squared slope of the activation at its fixed point; "
        "with a bias the fixed point moves, so compute it anew.",
        # Accepts the prediction and the measurement: over seed pairs (0,1) … (6,7) the ratio
        # stayed within 1 % of χ₁; a 5 % error fails.
        rel_tol=0.02,
        mistakes=(
            Mistake(
                lambda: theory.chi_1(1.0, 0.0, LECUN_1998_TANH),
                "That is χ₁ without the bias, section 4's value; the bias moves q* and with "
                "it the slope.",
            ),
            Mistake(
                lambda: theory.chi_1(1.0, 0.05),
                "That is plain tanh; LeCun's scaled tanh has slope 1.7159 · 2/3 ≈ 1.14 at 0.",
            ),
            Mistake(
                lambda: 1 / theory.chi_1(1.0, 0.05, LECUN_1998_TANH),
                "Inverted: the ratio is the earlier layer's E[δ²] over the later one's.",
            ),
        ),
    )
)
