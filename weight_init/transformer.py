r"""A GPT-2-shaped decoder in NumPy, initialized the GPT-2/nanoGPT way, forward pass only.

Shapes: a sequence of ``T`` token ids gives a residual stream ``x`` of shape ``(T, d)``
(``d`` = width); kernels are ``(fan_in, fan_out)`` and a layer computes :math:`x W + b`. A pre-LN
block (GPT-2, Radford et al. 2019) normalizes the input of each branch, never the stream:

.. math::

    x &= \text{wte}[\text{tokens}] + \text{wpe}[0, \ldots, T-1]
        \qquad \text{token and position embeddings} \\
    x &= x + \operatorname{attention}(\operatorname{LN}_1(x))
        \qquad \text{causal multi-head self-attention} \\
    x &= x + \operatorname{mlp}(\operatorname{LN}_2(x))
        \qquad d \to 4d \to d \text{ with GELU} \\
    \text{logits} &= \operatorname{LN}_f(x) \, \text{wte}^\top
        \qquad \text{the head is tied to wte}

Attention with :math:`H` heads of :math:`d_k = d/H` each:
:math:`[q\ k\ v] = u W_{\text{attn}} + b_{\text{attn}}`, per head
:math:`\operatorname{softmax}(q k^\top / \sqrt{d_k} + \text{mask}) v` (the mask is :math:`-\infty`
above the diagonal: a token sees only itself and earlier tokens), heads concatenated, then
multiplied by :math:`W_{\text{proj}}` and added :math:`b_{\text{proj}}`.

The nanoGPT initialization (:func:`build_gpt`): every kernel and embedding
:math:`\mathcal{N}(0, 0.02^2)`, the two projections that write into the stream (attention's
``c_proj``, the MLP's ``c_proj``) :math:`\mathcal{N}(0, (0.02/\sqrt{2L})^2)` because each of the
``L`` blocks adds to the stream twice, biases 0, LayerNorm :math:`\gamma = 1, \beta = 0`. The
parameter names of :func:`parameter_stds` are nanoGPT's.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np

from ._checks import check_bool, check_int, check_number
from .normalization import layer_norm
from .randomness import SeedLike, make_rng

GPT2_STD = 0.02
"""The std of every GPT-2/nanoGPT kernel and embedding at initialization."""


def gelu(x: np.ndarray) -> np.ndarray:
    r"""GPT-2's GELU (tanh form): :math:`0.5 x (1 + \tanh(\sqrt{2/\pi} (x + 0.044715 x^3)))`."""
    x = np.asarray(x)
    inner = math.sqrt(2.0 / math.pi) * (x + 0.044715 * x * x * x)
    return 0.5 * x * (1.0 + np.tanh(inner))


def residual_projection_std(layers: int, std: float = GPT2_STD) -> float:
    r"""nanoGPT's ``c_proj`` std :math:`\operatorname{std} / \sqrt{2L}`: two additions to the stream
    per block."""
    layers = check_int(layers, "layers")
    return check_number(std, "std", positive=True) / math.sqrt(2 * layers)


def check_heads(width: int, heads: int) -> int:
    """``d_k = width // heads``; a ``ValueError`` when ``heads`` does not divide ``width``."""
    width, heads = check_int(width, "width"), check_int(heads, "heads")
    if width % heads:
        raise ValueError(
            f"width must be divisible by heads; received width={width}, heads={heads} "
            f"(width % heads = {width % heads})."
        )
    return width // heads


def attention_probabilities(q: np.ndarray, k: np.ndarray, causal: bool = True) -> np.ndarray:
    r""":math:`\operatorname{softmax}(q k^\top / \sqrt{d_k})` per head: ``q, k`` ``(heads, T, d_k)``
    -> ``(heads, T, T)``.

    ``causal=True`` masks every key after the query (row ``t`` sees columns ``0 .. t``).
    """
    scores = q @ np.swapaxes(k, -1, -2) / math.sqrt(q.shape[-1])
    if causal:
        length = q.shape[-2]
        scores = np.where(np.tri(length, dtype=bool), scores, -np.inf)
    scores = scores - scores.max(axis=-1, keepdims=True)
    weights = np.exp(scores)
    return weights / weights.sum(axis=-1, keepdims=True)


def self_attention(
    u: np.ndarray,
    w_attn: np.ndarray,
    b_attn: np.ndarray,
    w_proj: np.ndarray,
    b_proj: np.ndarray,
    heads: int,
    causal: bool = True,
) -> np.ndarray:
    """Multi-head self-attention of ``u`` ``(T, d)``: ``w_attn`` ``(d, 3d)``, ``w_proj``
    ``(d, d)``."""
    length, width = u.shape
    head_width = check_heads(width, heads)
    qkv = u @ w_attn + b_attn
    q, k, v = (
        part.reshape(length, heads, head_width).transpose(1, 0, 2)
        for part in np.split(qkv, 3, axis=-1)
    )
    mixed = attention_probabilities(q, k, causal) @ v
    return mixed.transpose(1, 0, 2).reshape(length, width) @ w_proj + b_proj


def mlp(
    u: np.ndarray, w_fc: np.ndarray, b_fc: np.ndarray, w_proj: np.ndarray, b_proj: np.ndarray
) -> np.ndarray:
    r""":math:`\operatorname{gelu}(u W_\text{fc} + b_\text{fc}) W_\text{proj} + b_\text{proj}`:
    ``(T, d)`` -> ``(T, 4d)`` -> ``(T, d)``."""
    return gelu(u @ w_fc + b_fc) @ w_proj + b_proj


@dataclass
class Block:
    """One pre-LN block's parameters (nanoGPT's names in the comments)."""

    ln_1: tuple[np.ndarray, np.ndarray]  # ln_1.weight, ln_1.bias        (d,), (d,)
    attn: tuple[np.ndarray, np.ndarray]  # attn.c_attn.weight, .bias      (d, 3d), (3d,)
    attn_proj: tuple[np.ndarray, np.ndarray]  # attn.c_proj.weight, .bias (d, d), (d,)
    ln_2: tuple[np.ndarray, np.ndarray]  # ln_2.weight, ln_2.bias        (d,), (d,)
    fc: tuple[np.ndarray, np.ndarray]  # mlp.c_fc.weight, .bias          (d, 4d), (4d,)
    mlp_proj: tuple[np.ndarray, np.ndarray]  # mlp.c_proj.weight, .bias   (4d, d), (d,)

    def branches(self, x: np.ndarray, heads: int) -> tuple[np.ndarray, np.ndarray]:
        """``(attention branch, MLP branch)``: what the block adds to the stream ``x``
        ``(T, d)``."""
        attention = self_attention(layer_norm(x, *self.ln_1)[0], *self.attn, *self.attn_proj, heads)
        x = x + attention
        return attention, mlp(layer_norm(x, *self.ln_2)[0], *self.fc, *self.mlp_proj)

    def forward(self, x: np.ndarray, heads: int) -> np.ndarray:
        r""":math:`x + \operatorname{attention}(\operatorname{LN}_1(x))`, then
        :math:`u + \operatorname{mlp}(\operatorname{LN}_2(u))` on that result :math:`u`."""
        attention, feed_forward = self.branches(x, heads)
        return x + attention + feed_forward

    def scaled_projections(self, factor: float) -> Block:
        """A copy whose two ``c_proj`` kernels (the writes into the stream) are multiplied by
        ``factor``."""
        factor = check_number(factor, "factor", positive=True)
        attn_w, attn_b = self.attn_proj
        mlp_w, mlp_b = self.mlp_proj
        return replace(
            self,
            attn_proj=((attn_w * factor).astype(attn_w.dtype), attn_b),
            mlp_proj=((mlp_w * factor).astype(mlp_w.dtype), mlp_b),
        )


def _normal(
    rng: np.random.Generator, shape: tuple[int, ...], std: float, dtype: type
) -> np.ndarray:
    r""":math:`\operatorname{std} \cdot \mathcal{N}(0, 1)` of ``shape`` in ``dtype``, drawn from
    ``rng``."""
    values = rng.standard_normal(shape, dtype=dtype)
    values *= dtype(std)
    return values


def build_block(
    width: int,
    residual_std: float = GPT2_STD,
    std: float = GPT2_STD,
    seed: SeedLike = 0,
    dtype: type = np.float32,
) -> Block:
    r"""A block of ``width`` ``d``: kernels :math:`\mathcal{N}(0, \operatorname{std}^2)`, both
    ``c_proj`` :math:`\mathcal{N}(0, \text{residual\_std}^2)`.

    Draw order (one generator): ``c_attn``, attention ``c_proj``, ``c_fc``, MLP ``c_proj``.
    """
    width = check_int(width, "width")
    std = check_number(std, "std", positive=True)
    residual_std = check_number(residual_std, "residual_std", positive=True)
    rng = make_rng(seed)
    return Block(
        ln_1=(np.ones(width, dtype), np.zeros(width, dtype)),
        attn=(_normal(rng, (width, 3 * width), std, dtype), np.zeros(3 * width, dtype)),
        attn_proj=(_normal(rng, (width, width), residual_std, dtype), np.zeros(width, dtype)),
        ln_2=(np.ones(width, dtype), np.zeros(width, dtype)),
        fc=(_normal(rng, (width, 4 * width), std, dtype), np.zeros(4 * width, dtype)),
        mlp_proj=(_normal(rng, (4 * width, width), residual_std, dtype), np.zeros(width, dtype)),
    )


@dataclass
class GPT:
    r"""Embeddings ``wte`` ``(V, d)`` and ``wpe`` ``(T_max, d)``, the blocks, the final LayerNorm.

    The output head is ``wte`` itself (tied):
    :math:`\text{logits} = \operatorname{LN}_f(x) \text{wte}^\top`.
    """

    wte: np.ndarray
    wpe: np.ndarray
    blocks: list[Block]
    ln_f: tuple[np.ndarray, np.ndarray]
    heads: int

    def embed(self, tokens: np.ndarray) -> np.ndarray:
        """``wte[tokens] + wpe[0 .. T-1]`` for a 1-D array of ``T`` token ids: ``(T, d)``."""
        tokens = check_tokens(tokens, self.wte.shape[0], self.wpe.shape[0])
        return self.wte[tokens] + self.wpe[: len(tokens)]

    def streams(self, tokens: np.ndarray) -> list[np.ndarray]:
        """The residual stream after the embeddings and after each block: ``L + 1`` arrays
        ``(T, d)``."""
        x = self.embed(tokens)
        out = [x]
        for block in self.blocks:
            x = block.forward(x, self.heads)
            out.append(x)
        return out

    def logits(self, top: np.ndarray) -> np.ndarray:
        r"""The tied head on the top of the stream ``(T, d)``:
        :math:`\operatorname{LN}_f(\text{top}) \text{wte}^\top`, ``(T, V)``."""
        return layer_norm(top, *self.ln_f)[0] @ self.wte.T


def check_tokens(tokens: np.ndarray, vocab_size: int, context_length: int) -> np.ndarray:
    """``tokens`` as a 1-D int array of length ``1 .. context_length`` with ids in ``0 .. V-1``."""
    tokens = np.asarray(tokens)
    if tokens.ndim != 1 or not np.issubdtype(tokens.dtype, np.integer):
        raise TypeError(
            f"tokens must be a 1-D array of integer ids; received dtype {tokens.dtype}, "
            f"shape {tokens.shape}."
        )
    if not 1 <= len(tokens) <= context_length:
        raise ValueError(
            f"the sequence length must be 1 .. {context_length} (the context length); "
            f"received {len(tokens)} tokens."
        )
    if tokens.min() < 0 or tokens.max() >= vocab_size:
        raise ValueError(
            f"token ids must lie in 0 .. {vocab_size - 1}; received ids from {tokens.min()} "
            f"to {tokens.max()}."
        )
    return tokens


def build_gpt(
    vocab_size: int,
    context_length: int,
    width: int,
    heads: int,
    layers: int,
    scaled_residual: bool = True,
    std: float = GPT2_STD,
    seed: SeedLike = 0,
    dtype: type = np.float32,
) -> GPT:
    """A GPT-2-shaped model initialized the nanoGPT way (see the module docstring).

    ``scaled_residual=False`` keeps both ``c_proj`` kernels at ``std`` (GPT-2's rule left out).
    Draws in this order from one generator: ``wte``, ``wpe``, then each block (:func:`build_block`).
    """
    vocab_size = check_int(vocab_size, "vocab_size")
    context_length = check_int(context_length, "context_length")
    layers = check_int(layers, "layers")
    check_heads(width, heads)
    if not isinstance(scaled_residual, (bool, np.bool_)):
        raise TypeError(
            f"scaled_residual must be True or False; received scaled_residual={scaled_residual!r}."
        )
    std = check_number(std, "std", positive=True)
    residual_std = residual_projection_std(layers, std) if scaled_residual else std
    rng = make_rng(seed)
    wte = _normal(rng, (vocab_size, width), std, dtype)
    wpe = _normal(rng, (context_length, width), std, dtype)
    blocks = [build_block(width, residual_std, std, rng, dtype) for _ in range(layers)]
    return GPT(wte, wpe, blocks, (np.ones(width, dtype), np.zeros(width, dtype)), heads)


def parameter_stds(model: GPT) -> dict[str, float]:
    """The measured std of every kernel and embedding, keyed by nanoGPT's parameter names."""
    stds = {"wte.weight": float(np.std(model.wte)), "wpe.weight": float(np.std(model.wpe))}
    for index, block in enumerate(model.blocks):
        stds[f"h.{index}.attn.c_attn.weight"] = float(np.std(block.attn[0]))
        stds[f"h.{index}.attn.c_proj.weight"] = float(np.std(block.attn_proj[0]))
        stds[f"h.{index}.mlp.c_fc.weight"] = float(np.std(block.fc[0]))
        stds[f"h.{index}.mlp.c_proj.weight"] = float(np.std(block.mlp_proj[0]))
    return stds


def cross_entropy(logits: np.ndarray, targets: np.ndarray) -> float:
    """Mean ``logsumexp(z) - z_target`` over the rows of ``logits`` ``(T, V)``, in float64."""
    z = np.asarray(logits, dtype=float)
    shift = z.max(axis=1, keepdims=True)
    log_total = np.log(np.exp(z - shift).sum(axis=1)) + shift[:, 0]
    return float(np.mean(log_total - z[np.arange(len(z)), np.asarray(targets)]))


def initial_loss_prediction(classes: int, logit_std: float) -> float:
    r""":math:`\ln V + s^2/2`: the expected loss for ``V`` i.i.d. :math:`\mathcal{N}(0, s^2)` logits
    (large ``V``).

    :math:`\mathbb{E}[\operatorname{logsumexp} z] \approx \ln(V \mathbb{E}[e^z]) = \ln V + s^2/2`
    and the target's logit has mean 0.
    """
    classes = check_int(classes, "classes", minimum=2)
    logit_std = check_number(logit_std, "logit_std", minimum=0.0)
    return math.log(classes) + logit_std**2 / 2


# --------------------------------------------------------------------------------------
# Rank collapse of stacked attention (Dong, Cordonnier & Loukas 2021)
# --------------------------------------------------------------------------------------
def rank_one_residual(x: np.ndarray) -> float:
    r""":math:`\| X - X_1\|_F / \| X\|_F` with :math:`X_1` the best rank-1 approximation of ``x``
    ``(T, d)``."""
    singular_values = np.linalg.svd(np.asarray(x, dtype=float), compute_uv=False)
    energy = singular_values**2
    return float(math.sqrt(max(energy[1:].sum(), 0.0) / energy.sum()))


def mean_token_cosine(x: np.ndarray) -> float:
    r"""The mean cosine similarity between the rows (tokens) of ``x`` ``(T, d)``, pairs
    :math:`i \ne j`."""
    x = np.asarray(x, dtype=float)
    unit = x / np.linalg.norm(x, axis=1, keepdims=True)
    cosines = unit @ unit.T
    length = len(x)
    return float((cosines.sum() - np.trace(cosines)) / (length * (length - 1)))


def attention_stack(
    x: np.ndarray,
    layers: int,
    heads: int = 1,
    skip: bool = False,
    branch_scale: float = 1.0,
    causal: bool = False,
    seed: SeedLike = 0,
    pre_norm: bool = False,
) -> list[np.ndarray]:
    r"""Self-attention layers only (no MLP), float64: ``x`` ``(T, d)`` and every layer's output.

    Each layer's kernels are :math:`\mathcal{N}(0, 1/d)` (``W_attn`` ``(d, 3d)``, ``W_proj``
    ``(d, d)``, no bias), so a unit-scale input gives unit-scale ``q, k, v``. ``skip=False``:
    :math:`X \leftarrow \operatorname{SA}(X)`; ``skip=True``:
    :math:`X \leftarrow X + \text{branch\_scale} \cdot \operatorname{SA}(X)`. ``pre_norm=True``
    feeds the branch :math:`\operatorname{LN}(X)` (LayerNorm, :math:`\gamma = 1, \beta = 0`) as a
    pre-LN transformer does:
    :math:`X \leftarrow X + \text{branch\_scale} \cdot \operatorname{SA}(\operatorname{LN}(X))` with
    a skip, :math:`X \leftarrow \operatorname{SA}(\operatorname{LN}(X))` without.
    """
    x = np.asarray(x, dtype=float)
    if x.ndim != 2:
        raise ValueError(f"x must be a (T, d) matrix; received shape {x.shape}.")
    layers = check_int(layers, "layers")
    branch_scale = check_number(branch_scale, "branch_scale", minimum=0.0)
    pre_norm = check_bool(pre_norm, "pre_norm")
    _length, width = x.shape
    check_heads(width, heads)
    rng = make_rng(seed)
    outputs = [x]
    zeros, ones = np.zeros(3 * width), np.ones(width)
    for _ in range(layers):
        w_attn = rng.standard_normal((width, 3 * width)) / math.sqrt(width)
        w_proj = rng.standard_normal((width, width)) / math.sqrt(width)
        branch_input = layer_norm(x, ones, zeros[:width])[0] if pre_norm else x
        branch = self_attention(branch_input, w_attn, zeros, w_proj, zeros[:width], heads, causal)
        x = x + branch_scale * branch if skip else branch
        outputs.append(x)
    return outputs


def stream_std(x: np.ndarray) -> float:
    """The std of the residual stream's entries (over every token and feature), in float64."""
    return float(np.std(np.asarray(x, dtype=float)))


class DepthSweep:
    """Pre-LN stacks that differ only in their ``c_proj`` std, grown together block by block.

    ``settings`` maps a label to ``(residual_std, depth)``. Every stack starts from the same
    embedded sequence ``x0`` ``(T, d)``; block ``l`` of every stack uses the same draw
    (:func:`build_block` with std 0.02), its two ``c_proj`` kernels rescaled to the stack's
    ``residual_std``, so the stacks differ in that one rule. A stack stops at its depth.
    ``stds[label][l]`` is the stream's std after ``l`` blocks (``l = 0``: the embeddings).
    """

    def __init__(
        self,
        x0: np.ndarray,
        settings: dict[str, tuple[float, int]],
        heads: int,
        seed: SeedLike = 0,
    ) -> None:
        x0 = np.asarray(x0)
        if x0.ndim != 2:
            raise ValueError(f"x0 must be a (T, d) stream; received shape {x0.shape}.")
        check_heads(x0.shape[1], heads)
        self.settings = {
            label: (check_number(std, "residual_std", positive=True), check_int(depth, "depth"))
            for label, (std, depth) in settings.items()
        }
        self.heads = heads
        self.blocks_done = 0
        self._rng = make_rng(seed)
        self.streams = {label: x0 for label in self.settings}
        self.stds = {label: [stream_std(x0)] for label in self.settings}

    @property
    def depth(self) -> int:
        """The deepest stack's depth."""
        return max(depth for _, depth in self.settings.values())

    def grow(self, blocks: int) -> None:
        """Add up to ``blocks`` blocks (fewer at the end) to every stack not yet at its depth."""
        blocks = check_int(blocks, "blocks")
        width = next(iter(self.streams.values())).shape[1]
        dtype = next(iter(self.streams.values())).dtype.type
        for _ in range(min(blocks, self.depth - self.blocks_done)):
            drawn = build_block(width, seed=self._rng, dtype=dtype)
            for label, (residual_std, depth) in self.settings.items():
                if self.blocks_done < depth:
                    block = drawn.scaled_projections(residual_std / GPT2_STD)
                    self.streams[label] = block.forward(self.streams[label], self.heads)
                    self.stds[label].append(stream_std(self.streams[label]))
            self.blocks_done += 1
