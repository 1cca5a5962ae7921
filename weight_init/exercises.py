"""Self-study exercises with automatic, specific feedback.

Each notebook ends with a few exercises. A learner writes an answer and calls
``check("02.1", answer)``; the feedback is printed and is the same every time for the same
answer (no randomness, no timing). ``show_solution("02.1")`` prints the worked solution.

An :class:`Exercise` stores its question, a ``solution`` function that *computes* the expected
answer with the package (no answer is typed in by hand), a tolerance, a hint, and known
mistakes: other computable values that a learner is likely to give, each with the
misunderstanding it reveals. Answers may be numbers, sequences of numbers or short strings.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

import numpy as np

from . import (
    datasets,
    deep_linear,
    diagnostics,
    experiment,
    init_fns,
    initializers,
    isometry,
    normalization,
    parametrization,
    residual,
    self_normalizing,
    theory,
    training,
    transformer,
)

Answer = Any


@dataclass(frozen=True)
class Mistake:
    """A likely wrong answer (computed by ``value``) and what it tells the learner."""

    value: Callable[[], Answer]
    message: str


@dataclass(frozen=True)
class Exercise:
    """One exercise: the question, how to compute its answer, and how to give feedback.

    Numbers match when ``|answer - expected| <= max(rel_tol · |expected|, abs_tol)``;
    strings match case-insensitively after trimming spaces.
    """

    key: str
    question: str
    solution: Callable[[], Answer]
    explanation: str
    hint: str
    rel_tol: float = 1e-3
    abs_tol: float = 0.0
    mistakes: Sequence[Mistake] = field(default_factory=tuple)


EXERCISES: dict[str, Exercise] = {}


def register(exercise: Exercise) -> Exercise:
    """Add ``exercise`` to the catalogue; keys are unique."""
    if exercise.key in EXERCISES:
        raise ValueError(f"exercise key={exercise.key!r} is already registered.")
    EXERCISES[exercise.key] = exercise
    return exercise


def get_exercise(key: str) -> Exercise:
    """The exercise called ``key`` (for example ``"02.1"``)."""
    try:
        return EXERCISES[key]
    except KeyError:
        known = ", ".join(sorted(EXERCISES))
        raise ValueError(f"Unknown exercise: key={key!r}. Known exercises: {known}.") from None


def _is_number(value: Answer) -> bool:
    return isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(
        value, (bool, np.bool_)
    )


def _matches(answer: Answer, expected: Answer, rel_tol: float, abs_tol: float) -> bool:
    if isinstance(expected, str):
        return isinstance(answer, str) and answer.strip().lower() == expected.strip().lower()
    if _is_number(expected):
        if not _is_number(answer) or not math.isfinite(float(answer)):
            return False
        return abs(float(answer) - float(expected)) <= max(rel_tol * abs(float(expected)), abs_tol)
    if isinstance(answer, (str, bytes)) or not hasattr(answer, "__len__"):
        return False
    if len(answer) != len(expected):
        return False
    return all(_matches(a, e, rel_tol, abs_tol) for a, e in zip(answer, expected))


def _same_kind(answer: Answer, expected: Answer) -> bool:
    if isinstance(expected, str):
        return isinstance(answer, str)
    if _is_number(expected):
        return _is_number(answer)
    if isinstance(answer, (str, bytes)) or not hasattr(answer, "__len__"):
        return False
    return len(answer) == len(expected) and all(_is_number(a) for a in answer)


def _describe(value: Answer) -> str:
    if _is_number(value):
        return f"{float(value):.6g}"
    if isinstance(value, str):
        return repr(value)
    return "[" + ", ".join(_describe(v) for v in value) + "]"


def _kind_of(expected: Answer) -> str:
    if isinstance(expected, str):
        return "a short text answer"
    if _is_number(expected):
        return "a number"
    return f"a list of {len(expected)} numbers"


def feedback(key: str, answer: Answer) -> tuple[bool, str]:
    """``(correct, message)`` for ``answer`` to exercise ``key``, without printing."""
    exercise = get_exercise(key)
    expected = exercise.solution()
    if answer is None or answer is Ellipsis:
        return False, (
            f"Exercise {key} is not answered yet: replace None with {_kind_of(expected)} "
            f"and run the cell again. Hint: {exercise.hint}"
        )
    if _matches(answer, expected, exercise.rel_tol, exercise.abs_tol):
        return True, f"Correct! {_describe(answer)} is right for exercise {key}."
    for mistake in exercise.mistakes:
        if _matches(answer, mistake.value(), exercise.rel_tol, exercise.abs_tol):
            return False, f"Not quite: {_describe(answer)}. {mistake.message}"
    if not _same_kind(answer, expected):
        return False, f"Exercise {key} expects {_kind_of(expected)}; received {answer!r}."
    return False, f"Not quite: {_describe(answer)} is not it. Hint: {exercise.hint}"


def check(key: str, answer: Answer) -> None:
    """Print feedback on ``answer`` to exercise ``key`` (:func:`feedback` returns it instead)."""
    print(feedback(key, answer)[1])


def show_solution(key: str) -> None:
    """Print the worked solution of exercise ``key`` and the computed answer."""
    exercise = get_exercise(key)
    print(f"Exercise {key}: {exercise.question}")
    print(f"Solution: {exercise.explanation}")
    print(f"Answer: {_describe(exercise.solution())}")


# --------------------------------------------------------------------------------------
# 01 · The symmetry problem
# --------------------------------------------------------------------------------------


def _symmetry_training_labels() -> np.ndarray:
    """The training labels of notebook 01: the first 300 of 400 circles drawn with seed 0."""
    return datasets.make_circles(400, noise=0.05, seed=0)[1][:300]


def _class_one_log_odds() -> float:
    labels = _symmetry_training_labels()
    ones = int(np.sum(labels == 1))
    return math.log(ones / (len(labels) - ones))


def _net_parameter_count(model: "training.MLP", weights_only: bool = False) -> int:
    count = sum(w.size for w in model.weights)
    if not weights_only and model.biases is not None:
        count += sum(b.size for b in model.biases)
    return count


def _constant_net() -> "training.MLP":
    return training.build_mlp([3, 8, 8, 1], init_fns.catalogue_init("constant", value=0.5))


register(
    Exercise(
        key="01.1",
        question="A zero-initialized net only moves its output bias b3, until sigmoid(b3) equals "
        "the fraction of class-1 training points (156 of 300). What value does b3 "
        "converge to?",
        solution=_class_one_log_odds,
        explanation="sigmoid(b3) = 156/300 = 0.52, so b3 = ln(0.52 / 0.48) = ln(156 / 144) ≈ "
        "0.0800: the log-odds of the class frequencies.",
        hint="solve sigmoid(b) = p for b: the inverse of the sigmoid is ln(p / (1 - p)).",
        rel_tol=1e-3,
        mistakes=(
            Mistake(
                lambda: float(np.mean(_symmetry_training_labels())),
                "That is the predicted probability sigmoid(b3); the bias is its log-odds ln(p / "
                "(1 - p)).",
            ),
            Mistake(
                lambda: math.log(2), "That is the cost of a net that guesses 0.5, not the bias."
            ),
            Mistake(
                lambda: 0.0,
                "The bias would stay at 0 only if the classes were exactly balanced; here they "
                "are not.",
            ),
        ),
    )
)

register(
    Exercise(
        key="01.2",
        question="A [3, 8, 8, 1] net with biases starts from a constant. How many weights and "
        "biases does the one-unit net that computes the same function have?",
        solution=lambda: _net_parameter_count(training.one_unit_equivalent(_constant_net())),
        explanation="The equivalent net is [3, 1, 1, 1]: kernels 3·1 + 1·1 + 1·1 = 5 weights plus "
        "3 biases, 8 numbers in all.",
        hint="every hidden layer collapses to one unit; count the kernels and biases of [3, 1, "
        "1, 1].",
        abs_tol=0.5,
        mistakes=(
            Mistake(
                lambda: _net_parameter_count(_constant_net()),
                "That is the full net's count; its copies of a unit add no freedom, so count the "
                "one-unit net.",
            ),
            Mistake(
                lambda: _net_parameter_count(
                    training.one_unit_equivalent(_constant_net()), weights_only=True
                ),
                "Those are the weights only; add the biases of the three layers.",
            ),
        ),
    )
)


# --------------------------------------------------------------------------------------
# 02 · Vanishing and exploding
# --------------------------------------------------------------------------------------
def _doubling_steps(dtype: type, width: int = 512) -> int:
    """Multiplications by an N(0, 1) (width × width) matrix until the std passes the dtype's max."""
    return math.ceil(math.log10(float(np.finfo(dtype).max)) / math.log10(math.sqrt(width)))


register(
    Exercise(
        key="02.1",
        question="Layers of 500 tanh units in their linear region, W = c · randn(500, 500). "
        "Which weight std c keeps the activation std the same from layer to layer?",
        solution=lambda: 1 / math.sqrt(500),
        explanation="Var(z) = n · Var(W) · E[x²] stays equal to E[x²] when n · c² = 1, "
        "so c = 1/sqrt(500) ≈ 0.0447.",
        hint="set n · Var(W) = 1 and remember that Var(W) = c².",
        rel_tol=1e-2,
        mistakes=(
            Mistake(lambda: 1 / 500, "That is the variance 1/n; the question asks for the std c."),
            Mistake(
                lambda: 0.01,
                "That is the seed's small init, which shrinks the std by sqrt(500)·0.01 ≈ 0.22 "
                "per layer.",
            ),
        ),
    )
)

register(
    Exercise(
        key="02.2",
        question="One layer has fan_in = 300, weight variance 0.004 and inputs with E[x²] = 2.5. "
        "What is the variance of its pre-activations?",
        solution=lambda: theory.preactivation_variance(300, 0.004, 2.5),
        explanation="Var(z) = fan_in · Var(W) · E[x²] = 300 · 0.004 · 2.5 = 3.0.",
        hint="each of the fan_in terms W_ij x_i contributes Var(W) · E[x²].",
        rel_tol=1e-3,
        mistakes=(
            Mistake(
                lambda: 0.004 * 2.5,
                "You left out the fan_in: the pre-activation is a sum of fan_in terms.",
            ),
            Mistake(
                lambda: math.sqrt(300 * 0.004 * 2.5),
                "That is the std; the question asks for the variance.",
            ),
        ),
    )
)

register(
    Exercise(
        key="02.3",
        question="Each multiplication by a 512 × 512 N(0, 1) matrix scales the std by about "
        "sqrt(512). After how many multiplications does float64 overflow (its maximum "
        "is about 1.8e308)?",
        solution=lambda: _doubling_steps(np.float64),
        explanation="Solve sqrt(512)^k > 1.8e308: k > 308.25 / log10(22.63) ≈ 227.6, so step 228.",
        hint="take log10 of both sides of sqrt(512)^k = np.finfo(np.float64).max.",
        abs_tol=2,
        mistakes=(
            Mistake(
                lambda: _doubling_steps(np.float32),
                "That is float32's limit (about 3.4e38); float64 goes up to 1.8e308.",
            ),
        ),
    )
)


# --------------------------------------------------------------------------------------
# 03 · Random initialization from scratch
# --------------------------------------------------------------------------------------
def _parameter_count(layer_sizes: Sequence[int], with_biases: bool = True) -> int:
    """Weights of seed 000's ``weight_initializer(l)`` plus one bias per unit of each layer."""
    weights = sum(w.size for w in experiment.weight_initializer(layer_sizes, rng=0).values())
    return weights + (sum(layer_sizes[1:]) if with_biases else 0)


def _seed_000_shape(fan_in: int, fan_out: int) -> tuple[int, int]:
    """The shape of seed 000's ``W1`` for one layer from ``fan_in`` inputs to ``fan_out`` units."""
    return experiment.weight_initializer([fan_in, fan_out], rng=0)["W1"].shape


def _linear_net_std(width: int, depth: int, weight_variance: float) -> float:
    """Std of the last layer of a linear net of equal widths, N(0, 1) inputs (the variance rule)."""
    prediction = theory.predict_signal("linear", [width] * (depth + 1), [weight_variance] * depth)
    return math.sqrt(prediction.activation_second_moments[-1])


register(
    Exercise(
        key="03.1",
        question="Seed 000's weight_initializer builds W_i of shape (l[i], l[i-1]); each layer "
        "also has one bias per unit. How many numbers (weights and biases) does l = "
        "[784, 128, 64, 10] hold?",
        solution=lambda: _parameter_count([784, 128, 64, 10]),
        explanation="Weights: 128·784 + 64·128 + 10·64 = 109,184; biases: 128 + 64 + 10 = 202; "
        "total 109,386.",
        hint="add l[i]·l[i-1] for every layer, then one bias per unit of every layer after the "
        "input.",
        rel_tol=0.0,
        mistakes=(
            Mistake(
                lambda: _parameter_count([784, 128, 64, 10], with_biases=False),
                "That counts the weights only; add one bias per unit of each layer.",
            ),
            Mistake(
                lambda: _parameter_count([784, 128, 64, 10]) + 784,
                "The input layer has no biases: it computes nothing.",
            ),
        ),
    )
)

register(
    Exercise(
        key="03.2",
        question="A layer in seed 000's (and PyTorch's) layout has weight matrix W of shape "
        "(128, 784). What is its fan_in?",
        solution=lambda: _seed_000_shape(784, 128)[1],
        explanation="The layout is (out, in): 128 units, each reading 784 inputs, so fan_in = "
        "W.shape[1] = 784. Keras would store the same layer as a (784, 128) kernel.",
        hint="in the (out, in) layout a row holds the weights of one unit.",
        rel_tol=0.0,
        mistakes=(
            Mistake(
                lambda: _seed_000_shape(784, 128)[0],
                "That is W.shape[0], the fan_in only in Keras's (in, out) layout; this matrix is "
                "(out, in).",
            ),
        ),
    )
)

register(
    Exercise(
        key="03.3",
        question="A linear net of 4 layers of 500 units with N(0, 1) weights gets N(0, 1) inputs. "
        "What is the standard deviation of the last layer's outputs?",
        solution=lambda: _linear_net_std(500, 4, 1.0),
        explanation="Each layer multiplies the variance by fan_in · Var(W) = 500, so the std by "
        "sqrt(500) ≈ 22.4; after 4 layers the std is 500² = 250,000.",
        hint="apply Var(z) = fan_in · Var(W) · E[x²] four times, then take the square root.",
        rel_tol=1e-3,
        mistakes=(
            Mistake(
                lambda: _linear_net_std(500, 4, 1.0) ** 2,
                "That is the variance; the question asks for the standard deviation.",
            ),
            Mistake(
                lambda: 4 * math.sqrt(500),
                "The factors multiply from layer to layer, they do not add.",
            ),
        ),
    )
)


# --------------------------------------------------------------------------------------
# 04 · Xavier/Glorot initialization
# --------------------------------------------------------------------------------------
def _catalogue_uniform_limit(rule: str, fan_in: int, fan_out: int) -> float:
    """The limit ``a`` of the catalogue's uniform rule ``rule`` for a ``(fan_in, fan_out)`` kernel:
    ``U(±a)`` has variance ``a²/3``, so ``a = sqrt(3 · Var(W))``."""
    return math.sqrt(3.0 * initializers.get_variance_scaling(rule).variance((fan_in, fan_out)))


def _linear_layer_std_factor(fan_in: int, fan_out: int, weight_variance: float) -> float:
    """By how much one linear layer multiplies the std of its N(0, 1) inputs (the variance rule)."""
    prediction = theory.predict_signal("linear", [fan_in, fan_out], [weight_variance])
    return math.sqrt(prediction.activation_second_moments[0])


register(
    Exercise(
        key="04.1",
        question="What is the limit a of glorot_uniform, U(-a, a), for a Dense kernel from 300 "
        "inputs to 100 units?",
        solution=lambda: _catalogue_uniform_limit("glorot_uniform", 300, 100),
        explanation="Var(W) = 2 / (300 + 100) = 0.005 and U(±a) has variance a²/3, so "
        "a = sqrt(3 · 0.005) = sqrt(6 / 400) ≈ 0.1225.",
        hint="first the variance 2 / (fan_in + fan_out), then the uniform limit with the same "
        "variance.",
        rel_tol=1e-3,
        mistakes=(
            Mistake(
                lambda: math.sqrt(2 / 400),
                "That is the std of glorot_normal; the uniform limit is sqrt(3) times larger.",
            ),
            Mistake(
                lambda: _catalogue_uniform_limit("he_uniform", 300, 100),
                "That is he_uniform's limit sqrt(6 / fan_in).",
            ),
            Mistake(
                lambda: _catalogue_uniform_limit("lecun_uniform", 300, 100),
                "That is lecun_uniform's limit sqrt(3 / fan_in): fan_out is missing.",
            ),
        ),
    )
)

register(
    Exercise(
        key="04.2",
        question="Glorot and Bengio's 'standard' init draws W from U[-1/sqrt(n), 1/sqrt(n)] with "
        "n = fan_in. In a square linear layer, by what factor does it multiply the std of "
        "the signal?",
        solution=lambda: _linear_layer_std_factor(500, 500, (1 / math.sqrt(500)) ** 2 / 3),
        explanation="Var U(±a) = a²/3 = 1/(3n), so n · Var(W) = 1/3 and the std is multiplied by "
        "1/sqrt(3) ≈ 0.577 at every layer, forward and backward.",
        hint="the variance of U(-a, a) is a²/3; then apply the variance rule.",
        rel_tol=1e-3,
        mistakes=(
            Mistake(
                lambda: 1 / 3,
                "1/3 is the factor on the variance; the std changes by its square root.",
            ),
            Mistake(
                lambda: 1.0,
                "That would hold for weights of variance 1/n; U[±1/sqrt(n)] has variance 1/(3n).",
            ),
        ),
    )
)

register(
    Exercise(
        key="04.3",
        question="A linear layer from 1000 inputs to 500 units uses Glorot's Var(W) = 2/(fan_in "
        "+ fan_out). By what factor does it multiply the std of N(0, 1) inputs?",
        solution=lambda: _linear_layer_std_factor(1000, 500, 2 / 1500),
        explanation="fan_in · Var(W) = 1000 · 2/1500 = 4/3, so the std grows by sqrt(4/3) ≈ 1.155: "
        "Glorot's compromise is exact only when fan_in = fan_out.",
        hint="compute fan_in · Var(W) and take the square root.",
        rel_tol=1e-3,
        mistakes=(
            Mistake(
                lambda: 4 / 3,
                "4/3 is the factor on the variance; the std changes by its square root.",
            ),
            Mistake(
                lambda: _linear_layer_std_factor(1000, 500, 1 / 1000),
                "1.0 is what LeCun's 1/fan_in gives; Glorot's rule is 2/(fan_in + fan_out).",
            ),
        ),
    )
)


# --------------------------------------------------------------------------------------
# 05 · He/Kaiming initialization
# --------------------------------------------------------------------------------------
def _leaky_relu_with_slope(slope: float) -> Callable[[np.ndarray], np.ndarray]:
    """Leaky ReLU / PReLU with negative ``slope``: ``z`` for ``z > 0``, ``slope · z`` otherwise."""
    return lambda z: np.where(z > 0, z, slope * z)


def _second_moment_gain(activation: Callable[[np.ndarray], np.ndarray]) -> float:
    """The gain that keeps ``E[a²]`` at the pre-activation variance: ``1 / sqrt(E[φ(z)²])``.

    ``z ~ N(0, 1)``.
    """
    return 1.0 / math.sqrt(theory.activation_second_moment(activation, 1.0))


def _relu_net_second_moment(depth: int, width: int, weight_variance: float) -> float:
    """Predicted ``E[a²]`` after ``depth`` ReLU layers of ``width`` units for N(0, 1) inputs."""
    prediction = theory.predict_signal("relu", [width] * (depth + 1), [weight_variance] * depth)
    return prediction.activation_second_moments[-1]


register(
    Exercise(
        key="05.1",
        question="What is the standard deviation of he_normal weights for a Dense kernel from "
        "256 inputs to 128 units?",
        solution=lambda: math.sqrt(
            initializers.get_variance_scaling("he_normal").variance((256, 128))
        ),
        explanation="He's rule is Var(W) = 2 / fan_in = 2/256, so the std is sqrt(2/256) ≈ 0.0884 "
        "(fan_out plays no part in the default fan_in mode).",
        hint="Var(W) = 2 / fan_in; the question asks for the square root.",
        rel_tol=1e-3,
        mistakes=(
            Mistake(lambda: 2 / 256, "That is the variance 2/fan_in; the std is its square root."),
            Mistake(
                lambda: math.sqrt(1 / 256),
                "That is LeCun's std sqrt(1/fan_in): ReLU needs twice the variance.",
            ),
            Mistake(
                lambda: math.sqrt(2 / (256 + 128)),
                "That is Glorot's std sqrt(2/(fan_in + fan_out)).",
            ),
        ),
    )
)

register(
    Exercise(
        key="05.2",
        question="PReLU starts with a negative slope of 0.25. Which gain (the factor on the std of "
        "N(0, 1/fan_in) weights) keeps E[a²] equal to the pre-activation variance?",
        solution=lambda: _second_moment_gain(_leaky_relu_with_slope(0.25)),
        explanation="For z ~ N(0, q), E[a²] = q · (1 + α²)/2 with negative slope α, so the gain is "
        "sqrt(2 / (1 + 0.25²)) = sqrt(2 / 1.0625) ≈ 1.372.",
        hint="half of z² survives unchanged, the other half is multiplied by slope².",
        rel_tol=1e-3,
        mistakes=(
            Mistake(
                lambda: _second_moment_gain(_leaky_relu_with_slope(0.0)),
                "sqrt(2) is ReLU's gain; the negative side still passes slope² of its energy.",
            ),
            Mistake(
                lambda: _second_moment_gain(_leaky_relu_with_slope(0.25)) ** 2,
                "That is the gain squared, the factor on the variance.",
            ),
        ),
    )
)

register(
    Exercise(
        key="05.3",
        question="A ReLU net of 10 layers of 500 units uses LeCun's Var(W) = 1/fan_in and gets "
        "N(0, 1) inputs. What is E[a²] after the 10th layer?",
        solution=lambda: _relu_net_second_moment(10, 500, 1 / 500),
        explanation="Each layer gives E[a²] = fan_in · Var(W) · E[a_prev²] / 2 = E[a_prev²] / 2, "
        "so after 10 layers E[a²] = 2^-10 ≈ 0.000977.",
        hint="ReLU keeps half of the pre-activation variance, and 1/fan_in does not give it back.",
        rel_tol=1e-3,
        mistakes=(
            Mistake(
                lambda: math.sqrt(_relu_net_second_moment(10, 500, 1 / 500)),
                "That is sqrt(E[a²]); the question asks for E[a²] itself.",
            ),
            Mistake(
                lambda: _relu_net_second_moment(9, 500, 1 / 500),
                "That is after 9 layers: the first layer already halves the second moment.",
            ),
            Mistake(
                lambda: 1.0, "1 is what He's 2/fan_in gives; LeCun's rule loses half per layer."
            ),
        ),
    )
)


# --------------------------------------------------------------------------------------
# 06 · Keras equivalence
# --------------------------------------------------------------------------------------
def _variance_scaling_limit(
    initializer: initializers.VarianceScaling, shape: tuple[int, ...]
) -> float:
    """``sqrt(3 · Var)``: the bound of a uniform VarianceScaling draw."""
    return math.sqrt(3 * initializer.variance(shape))


register(
    Exercise(
        key="06.1",
        question="Seed 001's output layer is Dense(2) on 4 inputs with he_uniform, kernel shape "
        "(4, 2). What is the limit of its uniform distribution?",
        solution=lambda: _variance_scaling_limit(initializers.HeUniform(seed=0), (4, 2)),
        explanation="He uniform draws from U[-limit, limit) with limit = sqrt(6 / fan_in); "
        "fan_in = 4 (the kernel's first axis), so limit = sqrt(6/4) ≈ 1.2247.",
        hint="he_uniform uses fan_in only: the number of inputs of the layer.",
        mistakes=(
            Mistake(
                lambda: _variance_scaling_limit(initializers.GlorotUniform(seed=0), (4, 2)),
                "That is glorot_uniform's limit sqrt(6 / (fan_in + fan_out)); He's rule uses "
                "fan_in only.",
            ),
            Mistake(
                lambda: _variance_scaling_limit(initializers.HeUniform(seed=0), (2, 4)),
                "You used fan_out = 2: a Keras kernel is (fan_in, fan_out), so fan_in is 4.",
            ),
            Mistake(
                lambda: math.sqrt(initializers.HeNormal(seed=0).variance((4, 2))),
                "That is the std sqrt(2 / fan_in); the uniform limit is sqrt(3) times the std.",
            ),
            Mistake(
                lambda: _variance_scaling_limit(initializers.LecunUniform(seed=0), (4, 2)),
                "That is lecun_uniform's limit sqrt(3 / fan_in); He doubles the variance for ReLU.",
            ),
        ),
    )
)

register(
    Exercise(
        key="06.2",
        question="A Keras Conv2D layer with a 3×3 kernel maps 64 channels to 128; its kernel has "
        "shape (3, 3, 64, 128). What is its fan_in?",
        solution=lambda: initializers.compute_fans((3, 3, 64, 128))[0],
        explanation="fan_in = in_channels × receptive field = 64 × 3 × 3 = 576: each output "
        "value sums over 576 inputs.",
        hint="each output pixel sums over every input channel at every position of the kernel "
        "window.",
        rel_tol=0.0,
        mistakes=(
            Mistake(lambda: 64, "That ignores the 3×3 window: every channel contributes 9 inputs."),
            Mistake(
                lambda: initializers.compute_fans((3, 3, 64, 128))[1],
                "That is fan_out (128 × 9); fan_in counts the input channels.",
            ),
            Mistake(lambda: 3 * 64, "The window is 3×3 = 9 positions, not 3."),
        ),
    )
)

register(
    Exercise(
        key="06.3",
        question="TruncatedNormal(mean=0.0, stddev=0.05) keeps draws within ±2·stddev and does not "
        "rescale them. What is the standard deviation of the values it returns?",
        solution=lambda: 0.05 * initializers.truncated_normal_std(2.0),
        explanation="Cutting N(0, σ²) at ±2σ removes the tails and leaves std 0.8796·σ = 0.04398; "
        "only VarianceScaling divides σ by 0.8796 first to undo this.",
        hint="cutting off the tails makes the spread smaller; by what factor?",
        rel_tol=2e-3,
        mistakes=(
            Mistake(
                lambda: 0.05, "stddev is the std before the cut; removing the tails shrinks it."
            ),
            Mistake(
                lambda: 0.05 / initializers.truncated_normal_std(2.0),
                "That is the pre-correction VarianceScaling applies; TruncatedNormal applies none.",
            ),
        ),
    )
)


# --------------------------------------------------------------------------------------
# 07 · Does initialization change learning?
# --------------------------------------------------------------------------------------
def _square_kernel_factor(width: int = 64) -> float:
    """Xavier's std over He's for a square (width × width) kernel, from the package's two rules."""
    rng_seed = 0
    xavier = experiment.glorot_init(width, width, rng=np.random.default_rng(rng_seed))
    he = experiment.he_init(width, width, rng=np.random.default_rng(rng_seed))
    return float(xavier[0, 0] / he[0, 0])


register(
    Exercise(
        key="07.1",
        question="The 30-layer Xavier and He nets share their random numbers. By what factor is "
        "each square (64 × 64) Xavier kernel smaller than the He kernel?",
        solution=_square_kernel_factor,
        explanation="Xavier's std is sqrt(2 / (64 + 64)) = sqrt(1/64), He's sqrt(2/64); the "
        "ratio is 1/sqrt(2) ≈ 0.7071, and (1/sqrt(2))^29 ≈ 2^-14.5 over 29 square "
        "layers.",
        hint="divide sqrt(2 / (fan_in + fan_out)) by sqrt(2 / fan_in) with fan_in = fan_out = 64.",
        rel_tol=1e-3,
        mistakes=(
            Mistake(
                lambda: 0.5,
                "That is the ratio of the variances; the weights scale with the std, its square "
                "root.",
            ),
            Mistake(
                lambda: 2**-15,
                "That is the effect on the first layer's gradient after 30 layers, not one "
                "kernel's factor.",
            ),
        ),
    )
)

register(
    Exercise(
        key="07.2",
        question="W ~ U[-1/sqrt(n), 1/sqrt(n)] with fan_in = n, tanh in its linear region: by "
        "what factor does one layer scale the standard deviation of the signal?",
        solution=lambda: math.sqrt(theory.preactivation_variance(300, 1 / (3 * 300), 1.0)),
        explanation="Var(U[-a, a]) = a²/3 = 1/(3n), so Var(z) = n · 1/(3n) · Var(x) = Var(x)/3 "
        "and the std shrinks by 1/sqrt(3) ≈ 0.577 per layer (Glorot and Bengio's "
        "observation).",
        hint="the variance of U[-a, a] is a²/3; then use Var(z) = fan_in · Var(W) · Var(x).",
        rel_tol=1e-3,
        mistakes=(
            Mistake(
                lambda: 1 / 3,
                "That is the factor on the variance; the std scales by its square root.",
            ),
            Mistake(
                lambda: 1.0,
                "That would need Var(W) = 1/n; the uniform's variance is a²/3 = 1/(3n), not a² = "
                "1/n.",
            ),
        ),
    )
)


# --------------------------------------------------------------------------------------
# 08 · The explorer
# --------------------------------------------------------------------------------------
def _relu_small_init_factor(width: int = 256, std: float = 0.01) -> float:
    """Predicted per-layer factor of E[a²] for ReLU layers of ``width`` with W = std · randn."""
    prediction = theory.predict_signal("relu", [width] * 3, [std**2] * 2)
    first, second = prediction.activation_second_moments
    return second / first


register(
    Exercise(
        key="08.1",
        question="In the explorer choose relu and small_random_init (W = 0.01·randn), width 256. "
        "By which factor does the theory say E[a²] shrinks from one layer to the next?",
        solution=_relu_small_init_factor,
        explanation="Var(z) = 256 · 0.01² · E[a²] and a ReLU keeps half of the second moment: "
        "256 · 1e-4 · 1/2 = 0.0128 per layer.",
        hint="one layer multiplies E[a²] by fan_in · Var(W), and ReLU then halves it.",
        rel_tol=1e-3,
        mistakes=(
            Mistake(
                lambda: 2 * _relu_small_init_factor(),
                "You left out the ReLU: it zeroes half of the pre-activations, which halves E[a²].",
            ),
            Mistake(
                lambda: math.sqrt(_relu_small_init_factor()),
                "That is the factor of the std; the question asks for the second moment E[a²].",
            ),
        ),
    )
)

register(
    Exercise(
        key="08.2",
        question="Backward view, relu, he_init: what std of the back-propagated gradient ∂L/∂z "
        "does the theory predict in every layer (the upstream gradient is N(0, 1))?",
        solution=lambda: math.sqrt(
            theory.predict_signal("relu", [256] * 4, [2 / 256] * 3).gradient_second_moments[0]
        ),
        explanation="He's rule makes fan_out · Var(W) · E[φ'(z)²] = 256 · (2/256) · 1/2 = 1 per "
        "layer, so E[(∂L/∂z)²] stays at 1 · E[φ'(z)²] = 1/2 and the std at sqrt(1/2) "
        "≈ 0.707.",
        hint="at the last layer ∂L/∂z = upstream · φ'(z), and φ'(z) is 1 for half of the units, "
        "0 for the rest.",
        rel_tol=1e-3,
        mistakes=(
            Mistake(
                lambda: 1.0,
                "That forgets φ'(z): the ReLU's slope is 0 for the half of the units that are off.",
            ),
            Mistake(
                lambda: 0.5, "That is the second moment E[(∂L/∂z)²]; the question asks for the std."
            ),
        ),
    )
)

register(
    Exercise(
        key="08.3",
        question="tanh with lecun_init and bias std σ_b = 0.3: which gain σ_w puts the net on "
        "the edge of chaos (χ₁ = 1)? The explorer's summary line shows χ₁ as you move "
        "the gain.",
        solution=lambda: math.sqrt(theory.critical_sigma_w2(0.3**2, "tanh")),
        explanation="lecun_init times the gain draws Var(W) = σ_w² / fan_in. The critical line "
        "for tanh at σ_b² = 0.09 is σ_w² ≈ 1.948, so σ_w ≈ 1.396.",
        hint="find σ_w² with theory.critical_sigma_w2(σ_b²), or move the gain until χ₁ reads "
        "1.000.",
        rel_tol=0.03,
        mistakes=(
            Mistake(
                lambda: theory.critical_sigma_w2(0.3**2, "tanh"),
                "That is σ_w², the weight variance times fan_in; the gain is its square root σ_w.",
            ),
            Mistake(
                lambda: 1.0,
                "σ_w = 1 is critical only without biases; a bias adds variance and moves the edge.",
            ),
            Mistake(
                lambda: 5 / 3,
                "5/3 is tanh's gain for keeping the signal's size; at σ_b = 0.3 it is chaotic "
                "(χ₁ ≈ 1.15).",
            ),
        ),
    )
)


# --------------------------------------------------------------------------------------
# 09 · Orthogonal initialization and dynamical isometry
# --------------------------------------------------------------------------------------


def _largest_singular_value_of_scaled_orthogonal_product(gain: float, count: int) -> float:
    """Largest singular value of a product of ``count`` orthogonal 8 × 8 matrices times ``gain``."""
    init_fn = init_fns.catalogue_init("orthogonal", gain=gain)
    rng = np.random.default_rng(0)
    return float(
        isometry.product_singular_values([init_fn(8, 8, rng=rng) for _ in range(count)])[-1][0]
    )


def _half_way_time(singular_value: float, initial_strength: float, tau: float) -> float:
    """The time at which Saxe et al.'s Eq. 12 reaches ``s/2``, by bisection on the curve."""
    low, high = 0.0, 1.0
    while (
        deep_linear.mode_strength_curve(singular_value, initial_strength, np.array([high]), tau)[0]
        < singular_value / 2
    ):
        high *= 2.0
    for _ in range(100):
        middle = (low + high) / 2
        below = (
            deep_linear.mode_strength_curve(
                singular_value, initial_strength, np.array([middle]), tau
            )[0]
            < singular_value / 2
        )
        low, high = (middle, high) if below else (low, middle)
    return (low + high) / 2


register(
    Exercise(
        key="09.1",
        question="Ten orthogonal matrices, each multiplied by the gain 1.1, are multiplied "
        "together. What is the largest singular value of the product?",
        solution=lambda: _largest_singular_value_of_scaled_orthogonal_product(1.1, 10),
        explanation="Every singular value of 1.1·Q is 1.1, and products of orthogonal matrices are "
        "orthogonal, so all singular values of the product are 1.1^10 ≈ 2.594.",
        hint="an orthogonal matrix has all singular values 1; what does the gain do to them, "
        "layer after layer?",
        rel_tol=1e-3,
        mistakes=(
            Mistake(lambda: 1.1 * 10, "The gains multiply from layer to layer, they do not add."),
            Mistake(
                lambda: 1.21**10,
                "1.21 is the gain squared (the variance factor); singular values scale with the "
                "gain itself.",
            ),
        ),
    )
)

register(
    Exercise(
        key="09.2",
        question="A mode with s = 2 starts at u0 = 0.01 and tau = 100. At what time t does Saxe "
        "et al.'s Eq. 12 put it half-way, u = s/2?",
        solution=lambda: _half_way_time(2.0, 0.01, 100.0),
        explanation="Setting u = s/2 in u = s e^{2st/τ} / (e^{2st/τ} - 1 + s/u0) gives e^{2st/τ} "
        "= s/u0 - 1, so t = τ/(2s) · ln(s/u0 - 1) = 25 · ln 199 ≈ 132.3.",
        hint="set u = s/2 and solve for e^{2st/τ} first.",
        rel_tol=1e-3,
        mistakes=(
            Mistake(
                lambda: 100.0 / 2.0 * math.log(2.0 / 0.01 - 1.0),
                "The exponent is 2st/τ: divide by 2s, not by s.",
            ),
            Mistake(
                lambda: 100.0 / 4.0 * (2.0 / 0.01 - 1.0),
                "Solve for the exponential, then take its logarithm: t = τ/(2s) · ln(s/u0 - 1).",
            ),
        ),
    )
)

register(
    Exercise(
        key="09.3",
        question="A ReLU net of depth 20 at criticality with orthogonal weights: what variance "
        "of the squared singular values of its Jacobian does Pennington et al.'s "
        "formula predict?",
        solution=lambda: isometry.predicted_jacobian_variance(20, "relu", 1.0, "orthogonal"),
        explanation="For ReLU φ' is 0 or 1, so μ1 = μ2 = 1/2 and μ2/μ1² = 2; orthogonal weights "
        "have s1 = 0, so Var(λ) = L (2 - 1 - 0) = 20.",
        hint="compute μ2/μ1² for a derivative that is 0 or 1 with probability 1/2 each, and use "
        "s1 = 0.",
        rel_tol=1e-3,
        mistakes=(
            Mistake(
                lambda: isometry.predicted_jacobian_variance(20, "relu", 1.0, "gaussian"),
                "That is the Gaussian case (s1 = -1); orthogonal weights have s1 = 0.",
            ),
            Mistake(
                lambda: isometry.predicted_jacobian_variance(20, "linear", 1.0, "orthogonal"),
                "Zero holds for a linear net; ReLU's on/off derivative adds L whatever the "
                "weights.",
            ),
        ),
    )
)


# --------------------------------------------------------------------------------------
# 10 · The edge of chaos
# --------------------------------------------------------------------------------------
register(
    Exercise(
        key="10.1",
        question="A linear net (φ(z) = z) has σ_w² = 0.8 and σ_b² = 0.1. What is the fixed point "
        "q* of its variance map?",
        solution=lambda: theory.fixed_point(0.8, 0.1, "linear"),
        explanation="For φ(z) = z the map is q' = σ_w² q + σ_b². At the fixed point q* = 0.8 q* "
        "+ 0.1, so q* = σ_b² / (1 - σ_w²) = 0.1 / 0.2 = 0.5.",
        hint="E[(√q u)²] = q, so the map is q' = σ_w² q + σ_b²; set q' = q.",
        rel_tol=1e-3,
        mistakes=(
            Mistake(
                lambda: theory.chi_1(0.8, 0.1, "linear"),
                "0.8 is χ₁ = σ_w², the gradient's factor per layer; q* solves q = σ_w² q + σ_b².",
            ),
            Mistake(
                lambda: 0.1 / 1.8,
                "Check the sign: q* - σ_w² q* = σ_b² gives q* = σ_b² / (1 - σ_w²).",
            ),
            Mistake(
                lambda: 0.1 / 0.8,
                "σ_b² / σ_w² is not it: move σ_w² q* to the left-hand side first.",
            ),
        ),
    )
)

register(
    Exercise(
        key="10.2",
        question="A 30-layer tanh net with σ_w² = 1.5, σ_b² = 0.05 sits at its fixed point q*. "
        "What is the ratio E[δ₁²] / E[δ₃₀²] of the mean squared gradients at layers 1 and 30?",
        solution=lambda: theory.chi_1(1.5, 0.05) ** 29,
        explanation="Each step back multiplies E[δ²] by χ₁ = theory.chi_1(1.5, 0.05) ≈ 0.939; "
        "from layer 30 to layer 1 there are 29 steps, so the ratio is χ₁²⁹ ≈ 0.16.",
        hint="count the steps back from layer 30 to layer 1 and multiply by χ₁ at each.",
        rel_tol=1e-2,
        mistakes=(
            Mistake(
                lambda: theory.chi_1(1.5, 0.05) ** 30,
                "There are 29 steps back between layer 30 and layer 1, not 30.",
            ),
            Mistake(
                lambda: theory.chi_1(1.5, 0.05) ** 14.5,
                "That is the ratio of the standard deviations; χ₁ acts on the mean square.",
            ),
            Mistake(
                lambda: theory.chi_1(1.5, 0.05) ** -29,
                "Inverted: in the ordered phase the gradient at layer 1 is the smaller one.",
            ),
        ),
    )
)

register(
    Exercise(
        key="10.3",
        question="A random tanh net trains up to a depth of about 6 ξ_c (Schoenholz et al.). How "
        "many layers is that for σ_w² = 1.3, σ_b² = 0.05?",
        solution=lambda: 6 * theory.correlation_depth_scale(1.3, 0.05),
        explanation="The net is in the ordered phase (χ₁ ≈ 0.88), where ξ_c = -1/ln χ₁ ≈ 7.8 "
        "layers (theory.correlation_depth_scale), so 6 ξ_c ≈ 47 layers.",
        hint="compute ξ_c with theory.correlation_depth_scale(1.3, 0.05), then multiply by 6.",
        rel_tol=2e-2,
        mistakes=(
            Mistake(
                lambda: theory.correlation_depth_scale(1.3, 0.05),
                "That is ξ_c itself; the trainable depth is about six times it.",
            ),
            Mistake(
                lambda: 6 / (1 - theory.chi_1(1.3, 0.05)),
                "1/(1 - χ) approximates -1/ln χ only when χ is very close to 1; use the logarithm.",
            ),
        ),
    )
)


# --------------------------------------------------------------------------------------
# 11 · SELU, LSUV and Fixup
# --------------------------------------------------------------------------------------


def _layers_until_below(factor: float, start: float = 1.0, target: float = 0.01) -> int:
    """The first ``k`` with ``start · factor^k < target`` (an error shrinking geometrically)."""
    return math.floor(math.log(target / start) / math.log(factor)) + 1


def _selu_variance_contraction() -> float:
    """The (ν, ν) entry of the SELU moment map's Jacobian at the fixed point (0, 1)."""
    return float(self_normalizing.moment_map_jacobian()[1, 1])


register(
    Exercise(
        key="11.1",
        question="Near SELU's fixed point each layer multiplies a small variance error by the "
        "(ν, ν) entry of the moment map's Jacobian. From an error of 1, after how many "
        "layers is it first below 0.01 (linear approximation)?",
        solution=lambda: _layers_until_below(_selu_variance_contraction()),
        explanation="The entry is about 0.7826 (self_normalizing.moment_map_jacobian()[1, 1]); "
        "0.7826^k < 0.01 needs k > ln(0.01)/ln(0.7826) ≈ 18.85, so k = 19.",
        hint="solve 0.7826^k < 0.01 with logarithms and round up.",
        abs_tol=0.1,
        mistakes=(
            Mistake(
                lambda: _layers_until_below(_selu_variance_contraction()) - 1,
                "After that many layers the error is still just above 0.01: round up, not down.",
            ),
            Mistake(
                lambda: _layers_until_below(
                    float(np.linalg.norm(self_normalizing.moment_map_jacobian(), 2))
                ),
                "That uses the spectral norm 0.788, a bound over all directions; the variance "
                "error alone shrinks by the (ν, ν) entry, 0.783.",
            ),
        ),
    )
)

register(
    Exercise(
        key="11.2",
        question="On the batch, a layer's output has variance 0.04. By what factor does LSUV "
        "multiply its kernel (no biases)?",
        solution=lambda: 1 / math.sqrt(0.04),
        explanation="Var(z) scales with the square of the kernel, so W ← W / sqrt(0.04) = 5 W "
        "gives variance 25 · 0.04 = 1.",
        hint="multiplying W by c multiplies Var(x @ W) by c².",
        rel_tol=1e-6,
        mistakes=(
            Mistake(
                lambda: 1 / 0.04,
                "Dividing by the variance overshoots: the output variance would be 625 · 0.04 = "
                "25.",
            ),
            Mistake(
                lambda: math.sqrt(0.04),
                "That multiplies by the std and shrinks the layer further; LSUV divides by it.",
            ),
        ),
    )
)

register(
    Exercise(
        key="11.3",
        question="A residual net has 16 blocks whose branches have three layers each. By what "
        "factor does Fixup scale the branch layers that are not zero-initialized?",
        solution=lambda: residual.fixup_scale(16, 3),
        explanation="Fixup's factor is L^(-1/(2m-2)) with L = 16 blocks and m = 3 layers per "
        "branch: 16^(-1/4) = 0.5.",
        hint="the exponent is -1/(2m - 2), with m the number of layers in a branch.",
        rel_tol=1e-6,
        mistakes=(
            Mistake(
                lambda: residual.fixup_scale(16, 2),
                "That is the factor for two-layer branches, L^(-1/2); with m = 3 the exponent is "
                "-1/4.",
            ),
            Mistake(
                lambda: 1 / 16, "Fixup does not divide by L itself: the exponent is -1/(2m-2)."
            ),
        ),
    )
)


# --------------------------------------------------------------------------------------
# 12 · Normalization layers and residual streams
# --------------------------------------------------------------------------------------


def _notebook_12_probe() -> np.ndarray:
    """Notebook 12's probe batch: 500 standard normal inputs of width 64, seed 0."""
    return np.random.default_rng(0).standard_normal((500, 64))


def _branch_normalized_stream(blocks: int = 30, **options: Any) -> float:
    net = normalization.build_normalized_residual_net(64, blocks, seed=0, **options)
    return float(np.mean(net.forward(_notebook_12_probe())[0][-1] ** 2))


def _last_block_gradient(placement: str, depth: int = 64) -> float:
    """Notebook 12, section 6: ‖∂L/∂B‖ of the last block for a LayerNorm residual net."""
    x_batch = np.random.default_rng(0).standard_normal((256, 64))
    upstream = np.random.default_rng(1).standard_normal((256, 64))
    net = normalization.build_normalized_residual_net(
        64, depth, placement=placement, norm="layer", seed=0
    )
    return net.kernel_gradients(x_batch, upstream)[-1][1]


register(
    Exercise(
        key="12.1",
        question="Residual blocks whose branches end in BatchNorm (γ = 1): E[h²] after 30 blocks on "
        "notebook 12's probe (E[h_0²] ≈ 1)?",
        solution=lambda: _branch_normalized_stream(placement="branch", norm="batch"),
        explanation="Each normalized branch adds a unit-variance signal, uncorrelated with the "
        "stream at initialization, so E[h_30²] ≈ E[h_0²] + 30 ≈ 31; the measurement lands within "
        "a few percent of it (finite width and batch).",
        hint="each block adds γ² = 1 to E[h²]; build the net, run net.forward(x_probe)[0][-1] and "
        "take the mean of its square.",
        rel_tol=1e-3,
        mistakes=(
            Mistake(
                lambda: 3.0**30,
                "That is notebook 11's geometric growth without normalization (3 per block); "
                "a normalized branch adds a constant instead of multiplying.",
            ),
            Mistake(
                lambda: _branch_normalized_stream(
                    placement="branch", norm="batch", zero_gamma=True
                ),
                "That is the zero-γ stream, which never grows; here γ starts at 1.",
            ),
        ),
    )
)

register(
    Exercise(
        key="12.2",
        question="A linear layer followed by BatchNorm has its kernel multiplied by 4. By what "
        "factor does the relative change ‖ΔW‖/‖W‖ of one SGD step change?",
        solution=lambda: 1 / 4**2,
        explanation="The gradient scales like 1/c = 1/4 and ‖W‖ like c = 4, so "
        "η‖∇‖/‖W‖ changes by 1/c² = 1/16 = 0.0625: the effective learning rate η/‖W‖².",
        hint="combine two factors: how the gradient scales with c, and how ‖W‖ does.",
        rel_tol=1e-6,
        mistakes=(
            Mistake(
                lambda: 1 / 4,
                "That is the gradient's factor alone; the step is measured relative to ‖W‖, "
                "which grew by 4 as well.",
            ),
            Mistake(
                lambda: 1.0,
                "The output is invariant, but training is not: the relative step depends on c.",
            ),
            Mistake(
                lambda: 4.0, "Larger weights get smaller gradients under normalization, not larger."
            ),
        ),
    )
)

register(
    Exercise(
        key="12.3",
        question="Why does the initial scale of a layer followed by BatchNorm still matter? "
        "(a) the output changes with the scale; (b) the gradient scales like 1/c, so the scale "
        "sets the effective learning rate; (c) γ absorbs the scale; (d) it does not matter.",
        solution=lambda: "b",
        explanation="(b): the output is invariant to c, but ∂L/∂(cW) = (1/c) ∂L/∂W, so the "
        "relative step η‖∇‖/‖W‖ scales like 1/c²; a larger init is a smaller effective learning rate.",
        hint="section 2's table: which columns change with c, and which do not?",
        mistakes=(
            Mistake(
                lambda: "a",
                "The first column of section 2's table says otherwise: the output is the same "
                "for every c (up to ε).",
            ),
            Mistake(
                lambda: "c",
                "γ multiplies the normalized output, which no longer carries c at all; nothing "
                "needs absorbing, and γ starts at 1 whatever the init.",
            ),
            Mistake(
                lambda: "d",
                "It still sets the size of every gradient step relative to the weights (and below "
                "Var(xW) ≈ ε even the output feels it).",
            ),
        ),
    )
)

register(
    Exercise(
        key="12.4",
        question="Pre-LN LayerNorm residual net of depth 64 (notebook 12, section 6): the gradient "
        "norm ‖∂L/∂B‖ of its last block?",
        solution=lambda: _last_block_gradient("pre"),
        explanation="Build the net with placement='pre', norm='layer', seed=0 and take "
        "kernel_gradients(x_batch, upstream_top)[-1][1]; it lies between the depth-48 and depth-96 "
        "values of the table, on the 1/sqrt(L) trend.",
        hint="branch_gradient_norms('pre', 64)[-1] in notebook 12 computes it.",
        rel_tol=1e-3,
        mistakes=(
            Mistake(
                lambda: _last_block_gradient("post"),
                "That is the post-LN net's gradient; the exercise asks for pre-LN.",
            ),
        ),
    )
)


# --------------------------------------------------------------------------------------
# 13 · Transformers at initialization
# --------------------------------------------------------------------------------------


def _small_gpt_initial_loss(head_factor: float = 1.0) -> float:
    """Exercise 13.2's model: V = 1000, T = 64, d = 128, 4 heads, 4 blocks, seed 0, tokens seed 1."""
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
        question="GPT-2 medium has L = 24 blocks. What std does nanoGPT's rule give its c_proj kernels?",
        solution=lambda: transformer.residual_projection_std(24),
        explanation="Each block adds to the stream twice, so N = 2L = 48 residual layers and the "
        "std is 0.02/sqrt(48) ≈ 0.00289.",
        hint="count the residual layers: two per block.",
        rel_tol=1e-3,
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
        hint="model.logits(model.streams(tokens[:-1])[-1]), then "
        "transformer.cross_entropy(logits, tokens[1:]).",
        rel_tol=1e-3,
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
        question="Attention with skips and the branch scaled by 1/sqrt(48), 48 layers, notebook 13's "
        "tokens, seed 0: the distance of the last layer from rank 1?",
        solution=_scaled_attention_distance,
        explanation="transformer.rank_one_residual of the last output; it stays close to the "
        "input's distance: the scaled branches move the tokens little, so averaging cannot win.",
        hint="x_tokens = np.random.default_rng(0).standard_normal((32, 64)); take [-1] of the "
        "stack's outputs.",
        rel_tol=1e-3,
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


# --------------------------------------------------------------------------------------
# 14 · Width, parametrizations and μP
# --------------------------------------------------------------------------------------
def _mup_rule(width: int, layer: int, learning_rate: float = 0.01, optimizer: str = "adam") -> Any:
    """Layer ``layer``'s :class:`parametrization.LayerRule` in ``[256, width, width, 10]``, base 64."""
    sizes = [256, width, width, 10]
    return parametrization.layer_rules(sizes, "mup", optimizer, learning_rate, base_width=64)[layer]


_COORDINATE_CHECKS: dict[str, Any] = {}


def _input_layer_change_ratio(layer: int = 0) -> float:
    """SP + SGD 0.1: ``mean|h(4) - h(0)|`` of ``layer`` at width 1024 over width 64 (the check
    runs once and is kept: the feedback asks for it several times)."""
    if "sp-sgd" not in _COORDINATE_CHECKS:
        _COORDINATE_CHECKS["sp-sgd"] = parametrization.coordinate_check(
            [64, 1024], "sp", "sgd", 0.1, 64
        )
    change = _COORDINATE_CHECKS["sp-sgd"].mean_change
    return float(change[1, 4, layer] / change[0, 4, layer])


register(
    Exercise(
        key="14.1",
        question="μP (Table 3 form), Adam, base width 64, η = 0.01: what is the learning rate of a "
        "hidden 2048 × 2048 kernel?",
        solution=lambda: _mup_rule(2048, 1).learning_rate,
        explanation="Hidden kernels get η/m with m = fan_in / base width = 2048 / 64 = 32, so "
        "0.01 / 32 = 3.125e-4 (parametrization.layer_rules).",
        hint="find the width multiplier m = fan_in / base width, then use the hidden row of the "
        "Adam column.",
        rel_tol=1e-6,
        mistakes=(
            Mistake(lambda: 0.01, "That is SP's rate; μP divides the hidden Adam rate by m."),
            Mistake(
                lambda: 0.01 / 2048,
                "That divides by fan_in itself; relative to a base width the factor is "
                "m = fan_in / 64.",
            ),
            Mistake(
                lambda: 0.01 * 32,
                "That multiplies by m, as SGD does for the input layer; Adam's hidden rate divides.",
            ),
        ),
    )
)

register(
    Exercise(
        key="14.2",
        question="Under μP with base width 64, what init std does a width-4096 net's output "
        "kernel get?",
        solution=lambda: _mup_rule(4096, 2).init_std,
        explanation="The output std is 1/√(fan_in · m) = √64 / 4096 = 1/512 ≈ 0.00195, 8 times "
        "below SP's 1/√4096.",
        hint="the variance is 1/(fan_in · m) with m = 4096 / 64; take the square root.",
        rel_tol=1e-6,
        mistakes=(
            Mistake(
                lambda: 1 / math.sqrt(4096), "That is SP's 1/√fan_in, μP's input and hidden std."
            ),
            Mistake(lambda: 64 / 4096**2, "That is the variance; the question asks for the std."),
        ),
    )
)

register(
    Exercise(
        key="14.3",
        question="SP with SGD (η = 0.1), coordinate check at widths 64 and 1024 (three seeds): "
        "mean|h₁(4) - h₁(0)| at width 1024 divided by its value at width 64?",
        solution=_input_layer_change_ratio,
        explanation="The first layer's change shrinks about 2^-0.6 per doubling, so over four "
        "doublings it falls to roughly a fifth: in a wide SP net trained with SGD the input "
        "layer barely learns.",
        hint="run the coordinate check and divide mean_change[1, 4, 0] by mean_change[0, 4, 0].",
        rel_tol=2e-2,
        mistakes=(
            Mistake(
                lambda: _input_layer_change_ratio(2),
                "That is the logits' ratio (layer index 2); the first hidden layer is index 0.",
            ),
            Mistake(
                lambda: 1 / _input_layer_change_ratio(),
                "Inverted: divide the width-1024 value by the width-64 one.",
            ),
        ),
    )
)

register(
    Exercise(
        key="14.4",
        question="Which hyperparameter does Tensor Programs V not claim to transfer across width? "
        "(a) the learning rate, (b) the output multiplier, (c) the init scale, (d) the weight decay.",
        solution=lambda: "d",
        explanation="Table 1 of the paper lists optimization hyperparameters, init and parameter "
        "multipliers as μTransferable; regularization (dropout, weight decay) is not, since how "
        "much a net needs depends on the data and model size.",
        hint="μP fixes how the optimization behaves with width; which of these is about "
        "regularization instead?",
        mistakes=(
            Mistake(
                lambda: "a",
                "The learning rate is the headline of μTransfer: under μP its optimum stays put.",
            ),
            Mistake(
                lambda: "b",
                "Parameter multipliers such as the output multiplier are listed as transferable.",
            ),
            Mistake(
                lambda: "c",
                "The init scale transfers too: μP's rules already carry its width dependence.",
            ),
        ),
    )
)


# --------------------------------------------------------------------------------------
# 15 · Check your network before training
# --------------------------------------------------------------------------------------
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
        question="Three classes with prior (0.5, 0.3, 0.2); the output bias is set to the log "
        "prior. What initial loss should the check expect?",
        solution=_skewed_prior_entropy,
        explanation="With b = ln p and near-zero logits otherwise, softmax(b) = p, so the expected "
        "cross-entropy is the prior's entropy H(p) = -Σ p ln p ≈ 1.030 "
        "(diagnostics.expected_initial_loss(class_prior=p)).",
        hint="the net predicts p for every input; average -ln p_y over labels drawn from p.",
        rel_tol=1e-3,
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
        hint="invert the sigmoid: b = ln(π / (1 - π)).",
        rel_tol=1e-4,
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
        hint="build the net as the notebook does, multiply model.weights[0] by 0.5 and run "
        "diagnostics.saturated_fraction on the hidden activations.",
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
                "He's factor 2 is for ReLU, which halves the signal; a linear layer with it explodes.",
            ),
        ),
    )
)
