#!/usr/bin/env -S /usr/bin/python3
"""Golden test vectors for @lm-objectives/core, computed in float64 with PyTorch.

Writes three JSON fixtures that the TypeScript tests load (the tests never run Python):

  packages/core/src/ops/__fixtures__/cross-entropy.golden.json
      `crossEntropy(logits, labels, options)`: loss, sum, count and the gradient w.r.t. the logits.
  packages/core/src/ops/__fixtures__/linear-cross-entropy.golden.json
      `linearCrossEntropy(hidden, weight, labels, options)`: the same quantities with
      logits = hidden · W + bias, and the gradients w.r.t. hidden, weight and bias.
  packages/core/src/ops/__fixtures__/softmax-precision.golden.json
      Softmax precision across logit scales (0.1 to 1e4, and two near-equal top logits at
      |z| ≈ 2.5e4): the float64 loss and logit gradient, and beside them the relative errors of
      PyTorch's own float32 `F.cross_entropy` on the same float32 logits, the bar the TypeScript
      tests hold `crossEntropy` and `linearCrossEntropy` to.
  packages/core/src/random/__fixtures__/rng.golden.json
      Outputs of an independent Python mirror of `createRng` (xoshiro128** seeded by splitmix32).

Rerun from the repository root with

    pnpm golden        # = /usr/bin/python3 scripts/golden/generate_core_fixtures.py

It needs Debian's /usr/bin/python3 (with torch and numpy); the output is deterministic, so rerunning
it without changing this file reproduces the fixtures byte for byte.

Every array is stored as {"dtype": "float32" | "float64" | "int32", "shape": [...], "base64": ...},
where base64 holds the little-endian raw bytes. Inputs that the TypeScript code receives as float32
are rounded to float32 *before* the expected values are computed (in float64, from the rounded
values), so the fixtures measure only the error of the TypeScript implementation, not the rounding
of its inputs.
"""

import base64
import json
import math
import sys
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

REPO_ROOT = Path(__file__).resolve().parents[2]
OPS_FIXTURES = REPO_ROOT / "packages/core/src/ops/__fixtures__"
RANDOM_FIXTURES = REPO_ROOT / "packages/core/src/random/__fixtures__"
GENERATOR = "scripts/golden/generate_core_fixtures.py"

IGNORE_INDEX = -100
MASK32 = 0xFFFFFFFF


# --------------------------------------------------------------------------------------------------
# Encoding
# --------------------------------------------------------------------------------------------------

_DTYPE_NAMES = {torch.float32: "float32", torch.float64: "float64", torch.int32: "int32"}


def encode(tensor):
    """Encodes a tensor as {dtype, shape, base64}. The dtype is the tensor's own: never converted
    here, so that a forgotten rounding step cannot hide inside the encoder."""
    name = _DTYPE_NAMES[tensor.dtype]
    array = np.ascontiguousarray(tensor.detach().cpu().numpy())
    little_endian = array.astype(array.dtype.newbyteorder("<"), copy=False)
    return {
        "dtype": name,
        "shape": list(array.shape),
        "base64": base64.b64encode(little_endian.tobytes()).decode("ascii"),
    }


def write_json(path, document):
    """Writes `document` with one top-level key per line and one case (or seed) per line: readable
    diffs, while the base64 payloads stay on single compact lines."""
    def compact(value):
        return json.dumps(value, separators=(",", ":"), allow_nan=False, ensure_ascii=False)

    lines = ["{"]
    items = list(document.items())
    for index, (key, value) in enumerate(items):
        comma = "," if index < len(items) - 1 else ""
        if isinstance(value, list) and value and isinstance(value[0], dict):
            lines.append(f" {compact(key)}: [")
            for item_index, item in enumerate(value):
                item_comma = "," if item_index < len(value) - 1 else ""
                lines.append(f"  {compact(item)}{item_comma}")
            lines.append(f" ]{comma}")
        else:
            lines.append(f" {compact(key)}: {compact(value)}{comma}")
    lines.append("}")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


# --------------------------------------------------------------------------------------------------
# Deterministic inputs
# --------------------------------------------------------------------------------------------------


def generator(seed):
    """A private torch generator per case, so adding or reordering cases never changes the others."""
    return torch.Generator().manual_seed(seed)


def normal_f32(gen, shape, scale=1.0):
    """Normal samples drawn in float64, then rounded to float32 (what the TypeScript code receives)."""
    return (torch.randn(shape, generator=gen, dtype=torch.float64) * scale).to(torch.float32)


def uniform_f32(gen, shape, low, high):
    values = torch.rand(shape, generator=gen, dtype=torch.float64) * (high - low) + low
    return values.to(torch.float32)


def random_labels(gen, shape, vocab, ignored=(), ignore_index=IGNORE_INDEX):
    """Labels in [0, vocab) with the positions listed in `ignored` (index tuples) set to ignore_index."""
    labels = torch.randint(0, vocab, shape, generator=gen, dtype=torch.int64)
    for position in ignored:
        labels[position] = ignore_index
    return labels.to(torch.int32)


def f32(values):
    """Literal values (e.g. weights such as 0.3) rounded to float32, as the TypeScript side sees them."""
    return torch.tensor(values, dtype=torch.float64).to(torch.float32)


def cotangent_for(gen, labels):
    """A float64 cotangent for reduction 'none': the gradient checked is that of Σ cotangent·loss."""
    return torch.randn(labels.shape, generator=gen, dtype=torch.float64)


# --------------------------------------------------------------------------------------------------
# Reference cross-entropy (float64)
# --------------------------------------------------------------------------------------------------


def shift_targets(labels, weights, shift, ignore_index):
    """Applies `shift`: position t predicts label t+1 of the same sequence, and the last position of
    each sequence predicts nothing. Rank-1 labels (rank-2 logits) form one single sequence. The
    per-position weights travel with the labels. Returns flat (targets, weights)."""
    if not shift:
        return labels.reshape(-1), weights.reshape(-1)
    sequences = labels.reshape(1, -1) if labels.dim() == 1 else labels
    sequence_weights = weights.reshape(sequences.shape)
    targets = torch.full_like(sequences, ignore_index)
    targets[:, :-1] = sequences[:, 1:]
    shifted_weights = torch.zeros_like(sequence_weights)
    shifted_weights[:, :-1] = sequence_weights[:, 1:]
    return targets.reshape(-1), shifted_weights.reshape(-1)


def explicit_smoothed_loss(rows, targets, smoothing):
    """The documented formula, written out independently of torch's cross_entropy:
    (1−ε)·(lse − z[y]) + ε·(lse − mean_v z)."""
    lse = torch.logsumexp(rows, dim=-1)
    picked = rows.gather(1, targets.unsqueeze(1)).squeeze(1)
    return (1 - smoothing) * (lse - picked) + smoothing * (lse - rows.mean(dim=-1))


def per_position_losses(rows, targets, counted, smoothing, z_loss):
    """ℓ_t for every row (ignored rows get a harmless dummy target 0; they are masked later)."""
    safe_targets = torch.where(counted, targets, torch.zeros_like(targets))
    core = F.cross_entropy(rows, safe_targets, reduction="none", label_smoothing=smoothing)
    # torch's smoothing must be exactly the documented formula, otherwise the fixtures would encode
    # torch's convention instead of ours.
    explicit = explicit_smoothed_loss(rows.detach(), safe_targets, smoothing)
    scale = max(1.0, float(rows.detach().abs().max()))
    assert torch.allclose(core.detach(), explicit, rtol=1e-12, atol=1e-12 * scale), "smoothing formula"
    lse = torch.logsumexp(rows, dim=-1)
    return core + z_loss * lse**2


def cross_entropy_reference(logits, labels, weights, options):
    """Float64 crossEntropy with the documented semantics. `logits` may require grad.
    Returns (loss, sum, count, coefficient), where coefficient_t = ∂loss/∂ℓ_t for scalar losses
    (used by the analytic gradient check)."""
    ignore_index = options.get("ignoreIndex", IGNORE_INDEX)
    labels = labels.to(torch.int64)
    weights = torch.ones(labels.shape, dtype=torch.float64) if weights is None else weights.to(torch.float64)
    targets, position_weights = shift_targets(labels, weights, options.get("shift", False), ignore_index)
    rows = logits.reshape(-1, logits.shape[-1])
    counted = targets != ignore_index
    losses = per_position_losses(
        rows, targets, counted, options.get("labelSmoothing", 0.0), options.get("zLoss", 0.0)
    )
    scaled_weights = counted.to(torch.float64) * position_weights
    weighted = scaled_weights * losses
    total = weighted.sum()
    count = scaled_weights.sum()

    reduction = options.get("reduction", "mean")
    if reduction == "none":
        return weighted.reshape(labels.shape), total, count, scaled_weights
    if reduction == "sum":
        return total, total, count, scaled_weights
    normaliser = float(options.get("numItemsInBatch", count.item()))
    if normaliser == 0:
        # Nothing counted: the loss is defined as 0 with a zero gradient, not 0/0.
        return total * 0.0, total, count, scaled_weights * 0.0
    return total / normaliser, total, count, scaled_weights / normaliser


def differentiable_objective(loss, cotangent):
    """What autograd differentiates: the scalar loss, or Σ cotangent·loss for reduction 'none'."""
    return loss if cotangent is None else (cotangent * loss).sum()


def analytic_logit_gradient(logits, labels, weights, options, cotangent):
    """The closed-form gradient, as an independent check of autograd:
    ∂ℓ/∂z = softmax·(1 + 2λ·lse) − (1−ε)·onehot(y) − ε/V, times ∂loss/∂ℓ_t."""
    with torch.no_grad():
        _, _, _, coefficient = cross_entropy_reference(logits, labels, weights, options)
        ignore_index = options.get("ignoreIndex", IGNORE_INDEX)
        if cotangent is not None:
            # cotangent_t multiplies loss_t, which sits at position t (already shifted), so it is
            # not shifted again.
            coefficient = coefficient * cotangent.reshape(-1)
        targets, _ = shift_targets(
            labels.to(torch.int64), torch.ones(labels.shape, dtype=torch.float64),
            options.get("shift", False), ignore_index,
        )
        rows = logits.reshape(-1, logits.shape[-1])
        vocab = rows.shape[-1]
        smoothing = options.get("labelSmoothing", 0.0)
        z_loss = options.get("zLoss", 0.0)
        lse = torch.logsumexp(rows, dim=-1, keepdim=True)
        softmax = torch.exp(rows - lse)
        onehot = torch.zeros_like(rows)
        counted = targets != ignore_index
        onehot[counted, targets[counted]] = 1.0
        per_row = softmax * (1 + 2 * z_loss * lse) - (1 - smoothing) * onehot - smoothing / vocab
        return (coefficient.unsqueeze(1) * per_row).reshape(logits.shape)


def expected_summary(loss, total, count):
    """The `expected` fields shared by both fixtures: loss (number or float64 array), sum, count."""
    loss_value = encode(loss.detach()) if loss.dim() > 0 else float(loss)
    return {"loss": loss_value, "sum": float(total), "count": float(count)}


def assert_close(actual, expected, what):
    scale = max(1.0, float(expected.abs().max())) if expected.numel() else 1.0
    assert torch.allclose(actual, expected, rtol=1e-10, atol=1e-12 * scale), what


# --------------------------------------------------------------------------------------------------
# crossEntropy fixture
# --------------------------------------------------------------------------------------------------


def cross_entropy_case(name, logits, labels, options=None, weights=None, cotangent=None):
    """One fixture case. `logits`/`weights` are float32 (the values the TypeScript code receives);
    everything expected is computed in float64 from exactly those values."""
    options = dict(options or {})
    assert logits.dtype == torch.float32 and labels.dtype == torch.int32
    assert (cotangent is not None) == (options.get("reduction") == "none"), name
    logits64 = logits.to(torch.float64).requires_grad_(True)
    loss, total, count, _ = cross_entropy_reference(logits64, labels, weights, options)
    (grad,) = torch.autograd.grad(differentiable_objective(loss, cotangent), logits64)
    assert_close(grad, analytic_logit_gradient(logits64.detach(), labels, weights, options, cotangent), name)

    case = {"name": name, "logits": encode(logits), "labels": encode(labels)}
    if weights is not None:
        case["weights"] = encode(weights)
    case["options"] = options
    if cotangent is not None:
        case["cotangent"] = encode(cotangent)
    case["expected"] = {**expected_summary(loss, total, count), "gradLogits": encode(grad)}
    return case, (loss, total, count, grad)


def label_at_extreme_logit(logits, labels, row, pick):
    """Sets labels[row] to the index of the largest (pick=argmax) or smallest logit of that row."""
    labels = labels.clone()
    labels[row] = int(pick(logits[row]))
    return labels


def cross_entropy_cases():
    cases = []

    def add(*args, **kwargs):
        case, result = cross_entropy_case(*args, **kwargs)
        cases.append(case)
        return result

    g = generator(101)
    add("rank 2, mean over all positions", normal_f32(g, [5, 7]), random_labels(g, [5], 7))

    g = generator(102)
    add("rank 2, mean with some labels ignored",
        normal_f32(g, [6, 7]), random_labels(g, [6], 7, ignored=[(1,), (4,)]))

    g = generator(103)
    # Row 1's first label is ignored too: with shift it is never predicted, so it changes nothing.
    add("rank 3, shifted, a few labels ignored",
        normal_f32(g, [2, 4, 6]), random_labels(g, [2, 4], 6, ignored=[(0, 2), (1, 0)]),
        {"shift": True})

    g = generator(104)
    add("rank 2, reduction sum with ignored labels",
        normal_f32(g, [6, 5]), random_labels(g, [6], 5, ignored=[(0,), (3,)]), {"reduction": "sum"})

    g = generator(105)
    labels = random_labels(g, [2, 5], 6, ignored=[(0, 3), (1, 1)])
    add("rank 3, shifted, reduction none with a cotangent",
        normal_f32(g, [2, 5, 6]), labels, {"shift": True, "reduction": "none"},
        cotangent=cotangent_for(g, labels))

    g = generator(106)
    _, _, count, _ = add("rank 2, mean over numItemsInBatch 10 while 4 positions count",
                         normal_f32(g, [6, 7]), random_labels(g, [6], 7, ignored=[(0,), (5,)]),
                         {"numItemsInBatch": 10})
    assert float(count) == 4.0

    g = generator(107)
    add("rank 2, label smoothing 0.1 with ignored labels",
        normal_f32(g, [6, 8]), random_labels(g, [6], 8, ignored=[(2,)]), {"labelSmoothing": 0.1})

    g = generator(108)
    add("rank 2, z-loss 1e-4", normal_f32(g, [5, 7], scale=4.0), random_labels(g, [5], 7),
        {"zLoss": 1e-4})

    g = generator(109)
    add("rank 3, weights with zeros and fractions",
        normal_f32(g, [2, 4, 6]), random_labels(g, [2, 4], 6, ignored=[(1, 2)]),
        weights=f32([[1.0, 0.0, 0.5, 2.25], [0.3, 1.7, 0.0, 1.0]]))

    g = generator(110)
    logits = uniform_f32(g, [6, 11], -1e4, 1e4)
    labels = random_labels(g, [6], 11)
    labels = label_at_extreme_logit(logits, labels, 4, torch.argmax)
    labels = label_at_extreme_logit(logits, labels, 5, torch.argmin)
    add("rank 2, logits up to ±1e4, label at the max and at the min", logits, labels)

    g = generator(111)
    add("rank 3, vocabulary of 2", normal_f32(g, [2, 3, 2]),
        random_labels(g, [2, 3], 2, ignored=[(1, 1)]))

    g = generator(112)
    add("rank 3, vocabulary 32000, shifted, one label ignored",
        normal_f32(g, [1, 4, 32000], scale=3.0), random_labels(g, [1, 4], 32000, ignored=[(0, 2)]),
        {"shift": True})

    g = generator(113)
    add("rank 2, vocabulary 32000, label smoothing 0.1",
        normal_f32(g, [3, 32000], scale=3.0), random_labels(g, [3], 32000), {"labelSmoothing": 0.1})

    g = generator(114)
    loss, total, count, grad = add(
        "rank 2, every label ignored gives zeros", normal_f32(g, [3, 5]),
        torch.full([3], IGNORE_INDEX, dtype=torch.int32))
    assert float(loss) == 0.0 and float(total) == 0.0 and float(count) == 0.0
    assert bool((grad == 0).all())

    g = generator(115)
    add("rank 3, everything combined",
        normal_f32(g, [2, 5, 8], scale=2.0), random_labels(g, [2, 5], 8, ignored=[(0, 1), (1, 4)]),
        {"shift": True, "labelSmoothing": 0.05, "zLoss": 1e-3, "numItemsInBatch": 7.5},
        weights=f32([[1.0, 0.5, 2.0, 0.0, 1.25], [0.75, 1.0, 3.0, 0.1, 1.0]]))

    g = generator(116)
    labels = random_labels(g, [6], 7, ignored=[(1,), (3,)], ignore_index=-1)
    assert bool((labels != IGNORE_INDEX).all())
    add("rank 2, custom ignoreIndex -1", normal_f32(g, [6, 7]), labels, {"ignoreIndex": -1})

    g = generator(117)
    add("rank 2, shifted as a single sequence", normal_f32(g, [5, 6]), random_labels(g, [5], 6),
        {"shift": True})

    g = generator(118)
    add("rank 2, reduction sum with all weights 2", normal_f32(g, [5, 6]), random_labels(g, [5], 6),
        {"reduction": "sum"}, weights=f32([2.0] * 5))

    return cases


# --------------------------------------------------------------------------------------------------
# linearCrossEntropy fixture
# --------------------------------------------------------------------------------------------------


def linear_logits(hidden, weight, bias, layout):
    """logits = hidden · W (+ bias); with 'vocab-by-hidden' the weight is [V, H] (tied embeddings)."""
    matrix = weight if layout == "hidden-by-vocab" else weight.transpose(0, 1)
    logits = hidden @ matrix
    return logits if bias is None else logits + bias


def check_linear_gradients(inputs64, has_bias, layout, labels, weights, options, cotangent, grads):
    """Chain rule from the closed-form logit gradient G, independent of autograd:
    ∂hidden = G·Mᵀ, ∂M = hiddenᵀ·G (transposed back for 'vocab-by-hidden'), ∂bias = Σ_rows G."""
    hidden, weight = (tensor.detach() for tensor in inputs64[:2])
    bias = inputs64[2].detach() if has_bias else None
    logits = linear_logits(hidden, weight, bias, layout)
    logit_grad = analytic_logit_gradient(logits, labels, weights, options, cotangent)
    rows = logit_grad.reshape(-1, logit_grad.shape[-1])
    flat_hidden = hidden.reshape(-1, hidden.shape[-1])
    matrix = weight if layout == "hidden-by-vocab" else weight.transpose(0, 1)
    matrix_grad = flat_hidden.transpose(0, 1) @ rows
    expected = [
        (rows @ matrix.transpose(0, 1)).reshape(hidden.shape),
        matrix_grad if layout == "hidden-by-vocab" else matrix_grad.transpose(0, 1),
    ] + ([rows.sum(dim=0)] if has_bias else [])
    for actual, wanted in zip(grads, expected):
        assert_close(actual, wanted, "linear gradients")


def linear_case(name, hidden, weight, layout, labels, bias=None, options=None, weights=None,
                cotangent=None):
    options = dict(options or {})
    assert hidden.dtype == weight.dtype == torch.float32 and labels.dtype == torch.int32
    assert (cotangent is not None) == (options.get("reduction") == "none"), name
    inputs = [hidden, weight] + ([] if bias is None else [bias])
    inputs64 = [tensor.to(torch.float64).requires_grad_(True) for tensor in inputs]
    bias64 = inputs64[2] if bias is not None else None
    logits = linear_logits(inputs64[0], inputs64[1], bias64, layout)
    loss, total, count, _ = cross_entropy_reference(logits, labels, weights, options)
    grads = torch.autograd.grad(differentiable_objective(loss, cotangent), inputs64)
    check_linear_gradients(inputs64, bias is not None, layout, labels, weights, options, cotangent, grads)

    case = {"name": name, "hidden": encode(hidden), "weight": encode(weight), "weightLayout": layout}
    if bias is not None:
        case["bias"] = encode(bias)
    case["labels"] = encode(labels)
    if weights is not None:
        case["weights"] = encode(weights)
    case["options"] = options
    if cotangent is not None:
        case["cotangent"] = encode(cotangent)
    expected = {**expected_summary(loss, total, count),
                "gradHidden": encode(grads[0]), "gradWeight": encode(grads[1])}
    if bias is not None:
        expected["gradBias"] = encode(grads[2])
    case["expected"] = expected
    assert grads[1].shape == weight.shape
    return case, (loss, total, count, grads)


def projection(gen, hidden_size, vocab, layout):
    """A weight scaled by 1/√H so that the logits are O(1), in the requested layout."""
    shape = [hidden_size, vocab] if layout == "hidden-by-vocab" else [vocab, hidden_size]
    return normal_f32(gen, shape, scale=1.0 / math.sqrt(hidden_size))


def linear_cross_entropy_cases():
    cases = []

    def add(*args, **kwargs):
        case, result = linear_case(*args, **kwargs)
        cases.append(case)
        return result

    g = generator(201)
    add("rank 2, hidden-by-vocab with bias, mean with ignored labels",
        normal_f32(g, [6, 5]), projection(g, 5, 9, "hidden-by-vocab"), "hidden-by-vocab",
        random_labels(g, [6], 9, ignored=[(2,), (5,)]), bias=normal_f32(g, [9], scale=0.5))

    g = generator(202)
    add("rank 3, vocab-by-hidden (tied embeddings), shifted",
        normal_f32(g, [2, 4, 5]), projection(g, 5, 9, "vocab-by-hidden"), "vocab-by-hidden",
        random_labels(g, [2, 4], 9, ignored=[(1, 2)]), options={"shift": True})

    g = generator(203)
    add("rank 2, label smoothing 0.1, z-loss 1e-4, numItemsInBatch 20, with bias",
        normal_f32(g, [8, 5]), projection(g, 5, 9, "hidden-by-vocab"), "hidden-by-vocab",
        random_labels(g, [8], 9, ignored=[(3,)]), bias=normal_f32(g, [9], scale=0.5),
        options={"labelSmoothing": 0.1, "zLoss": 1e-4, "numItemsInBatch": 20})

    g = generator(204)
    add("rank 2, reduction sum with weights",
        normal_f32(g, [6, 5]), projection(g, 5, 9, "vocab-by-hidden"), "vocab-by-hidden",
        random_labels(g, [6], 9, ignored=[(4,)]), options={"reduction": "sum"},
        weights=f32([1.0, 0.0, 0.5, 2.0, 1.0, 0.3]))

    g = generator(205)
    ignored = [(index,) for index in (0, 7, 13, 31, 32, 50, 63)]
    add("rank 2, larger: 64 × 32 hidden, vocabulary 1000, vocab-by-hidden with bias",
        normal_f32(g, [64, 32]), projection(g, 32, 1000, "vocab-by-hidden"), "vocab-by-hidden",
        random_labels(g, [64], 1000, ignored=ignored), bias=normal_f32(g, [1000], scale=0.5))

    g = generator(206)
    loss, total, count, grads = add(
        "rank 2, every label ignored gives zeros",
        normal_f32(g, [4, 5]), projection(g, 5, 9, "hidden-by-vocab"), "hidden-by-vocab",
        torch.full([4], IGNORE_INDEX, dtype=torch.int32), bias=normal_f32(g, [9], scale=0.5))
    assert float(loss) == 0.0 and float(total) == 0.0 and float(count) == 0.0
    assert all(bool((grad == 0).all()) for grad in grads)

    g = generator(207)
    labels = random_labels(g, [2, 4], 9, ignored=[(0, 1)])
    add("rank 3, reduction none with a cotangent",
        normal_f32(g, [2, 4, 5]), projection(g, 5, 9, "hidden-by-vocab"), "hidden-by-vocab",
        labels, bias=normal_f32(g, [9], scale=0.5), options={"reduction": "none"},
        cotangent=cotangent_for(g, labels))

    return cases


# --------------------------------------------------------------------------------------------------
# Softmax precision fixture: float64 answers and PyTorch float32's error beside them
# --------------------------------------------------------------------------------------------------


def relative_error(actual, expected):
    """max |actual − expected| / max |expected|, in float64: the error of a whole tensor relative to
    its largest entry (the metric of the TypeScript tests' expectRelativelyClose)."""
    difference = (actual.to(torch.float64) - expected).abs().max()
    return float(difference / expected.abs().max().clamp_min(1e-300))


def precision_case(name, logits, labels):
    """The mean cross-entropy of float32 `logits` [N, V]: its float64 value and gradient (from the
    exact float32 inputs), and the relative errors of PyTorch float32 on the same inputs."""
    assert logits.dtype == torch.float32 and labels.dtype == torch.int32
    logits64 = logits.to(torch.float64).requires_grad_(True)
    loss64 = F.cross_entropy(logits64, labels.to(torch.int64))
    (grad64,) = torch.autograd.grad(loss64, logits64)
    with torch.no_grad():
        analytic = (torch.softmax(logits64, dim=-1) - F.one_hot(labels.to(torch.int64), logits.shape[-1])) / logits.shape[0]
    assert_close(grad64, analytic, name)
    logits32 = logits.clone().requires_grad_(True)
    loss32 = F.cross_entropy(logits32, labels.to(torch.int64))
    (grad32,) = torch.autograd.grad(loss32, logits32)
    return {
        "name": name,
        "logits": encode(logits),
        "labels": encode(labels),
        "expected": {"loss": float(loss64), "gradLogits": encode(grad64.detach())},
        "pytorchFloat32": {
            "lossRelativeError": abs(float(loss32) - float(loss64)) / abs(float(loss64)),
            "gradientRelativeError": relative_error(grad32.detach(), grad64.detach()),
        },
    }


def near_tie_logits(gen, rows, vocab, magnitude):
    """Rows at |z| ≈ magnitude whose two largest logits are 0.25 apart (≈ 128 float32 ulps at
    2.5e4) and the rest up to 30 below: the softmax mass sits on two entries, and a log-sum-exp
    rounded at that magnitude (ulp ≈ 2e-3) visibly skews both."""
    values = torch.rand([rows, vocab], generator=gen, dtype=torch.float64) * -30.0 - 1.0
    for row in range(rows):
        first, second = torch.randperm(vocab, generator=gen)[:2].tolist()
        values[row, first] = 0.0
        values[row, second] = -0.25
    sign = torch.where(torch.arange(rows) % 2 == 0, 1.0, -1.0).to(torch.float64).unsqueeze(1)
    # Centred on ±magnitude: every row's values are large, of either sign.
    return (values + sign * magnitude).to(torch.float32)


def softmax_precision_cases():
    cases = []
    rows, vocab = 16, 256
    for index, scale in enumerate([0.1, 1.0, 10.0, 100.0, 1e3, 1e4]):
        g = generator(301 + index)
        logits = normal_f32(g, [rows, vocab], scale=scale)
        labels = random_labels(g, [rows], vocab)
        # Half the rows are labelled at their largest logit: the regime of a trained model.
        for row in range(0, rows, 2):
            labels[row] = int(torch.argmax(logits[row]))
        cases.append(precision_case(f"logit scale {scale:g}", logits, labels))
    g = generator(310)
    logits = near_tie_logits(g, rows, vocab, 2.5e4)
    top_two = torch.topk(logits, 2, dim=-1).indices
    labels = torch.where(torch.arange(rows) % 4 < 2, top_two[:, 0], top_two[:, 1]).to(torch.int32)
    cases.append(precision_case("two near-equal top logits at |z| ≈ 2.5e4", logits, labels))
    # A real vocabulary size: the sums over 32000 entries are where float32 accumulation shows.
    g = generator(311)
    logits = normal_f32(g, [2, 32000], scale=10.0)
    labels = random_labels(g, [2], 32000)
    labels[0] = int(torch.argmax(logits[0]))
    cases.append(precision_case("logit scale 10, vocabulary 32000", logits, labels))
    return cases


# --------------------------------------------------------------------------------------------------
# Python mirror of createRng (packages/core/src/random/create-rng.ts)
# --------------------------------------------------------------------------------------------------


def imul(a, b):
    """Math.imul: the low 32 bits of the product (kept unsigned here; the bits are what matter)."""
    return (a * b) & MASK32


def rotate_left(value, bits):
    return ((value << bits) | (value >> (32 - bits))) & MASK32


def splitmix32(state):
    """One splitmix32 step: returns (next_state, output)."""
    state = (state + 0x9E3779B9) & MASK32
    z = state
    z = imul(z ^ (z >> 16), 0x85EBCA6B)
    z = imul(z ^ (z >> 13), 0xC2B2AE35)
    return state, (z ^ (z >> 16)) & MASK32


def expand_seed(low, high):
    """Four state words from two 32-bit seed words; `high` is mixed in before the third word."""
    state = low & MASK32
    words = []
    for index in range(4):
        if index == 2:
            state ^= high & MASK32
        state, output = splitmix32(state)
        words.append(output)
    if all(word == 0 for word in words):
        words[0] = 1
    return words


class Xoshiro128StarStar:
    """Mirrors createRng's RandomSource method by method, in the same order of draws."""

    def __init__(self, words):
        self.s = list(words)

    @classmethod
    def from_seed(cls, seed):
        return cls(expand_seed(seed % 2**32, seed // 2**32))

    def next_uint32(self):
        s = self.s
        result = imul(rotate_left(imul(s[1], 5), 7), 9)
        t = (s[1] << 9) & MASK32
        s[2] ^= s[0]
        s[3] ^= s[1]
        s[1] ^= s[2]
        s[0] ^= s[3]
        s[2] ^= t
        s[3] = rotate_left(s[3], 11)
        return result

    def uniform(self):
        high = self.next_uint32() >> 5  # 27 bits
        low = self.next_uint32() >> 6  # 26 bits
        return (high * 67108864 + low) / 2**53

    def below(self, range_):
        """Unbiased integer in [0, range_) by rejecting draws at or above the largest multiple."""
        limit = 2**32 - (2**32 % range_)
        draw = self.next_uint32()
        while draw >= limit:
            draw = self.next_uint32()
        return draw % range_

    def int(self, low, high):
        return low + self.below(high - low + 1)

    def shuffle(self, items):
        for index in range(len(items) - 1, 0, -1):
            other = self.below(index + 1)
            items[index], items[other] = items[other], items[index]
        return items

    def categorical(self, weights):
        total = 0.0
        for weight in weights:
            total += weight
        target = self.uniform() * total
        cumulative = 0.0
        last_positive = 0
        for index, weight in enumerate(weights):
            if weight == 0:
                continue
            last_positive = index
            cumulative += weight
            if target < cumulative:
                return index
        return last_positive

    def poisson(self, lam):
        threshold = math.exp(-lam)
        count = 0
        product = self.uniform()
        while product > threshold:
            count += 1
            product *= self.uniform()
        return count

    def normal(self, mean=0.0, std=1.0):
        # Same evaluation order as the TypeScript expression, so the float64 results agree exactly.
        radius = math.sqrt(-2 * math.log(1 - self.uniform()))
        return mean + std * radius * math.cos(2 * math.pi * self.uniform())

    def fork(self):
        low = self.next_uint32()
        high = self.next_uint32()
        return Xoshiro128StarStar(expand_seed(low, high))

    def get_state(self):
        return list(self.s)


def check_xoshiro_against_reference():
    """Blackman & Vigna's published C xoshiro128** (compiled and run once) outputs these six values
    from state [1, 2, 3, 4], so a transcription slip in the mirror fails here rather than silently
    producing wrong fixtures."""
    rng = Xoshiro128StarStar([1, 2, 3, 4])
    expected = [11520, 0, 5927040, 70819200, 2031721883, 1637235492]
    assert [rng.next_uint32() for _ in range(6)] == expected, "xoshiro128** reference"


def rng_record(seed):
    def fresh():
        return Xoshiro128StarStar.from_seed(seed)

    rng = fresh()
    next_uint32 = [rng.next_uint32() for _ in range(16)]
    rng = fresh()
    uniform = [rng.uniform() for _ in range(8)]
    rng = fresh()
    dice = [rng.int(1, 6) for _ in range(16)]
    rng = fresh()
    big = [rng.int(0, 999999999) for _ in range(8)]
    shuffled = fresh().shuffle(list(range(10)))
    rng = fresh()
    categorical = [rng.categorical([0.1, 0, 2, 0.5]) for _ in range(12)]
    rng = fresh()
    poisson = [rng.poisson(3) for _ in range(12)]
    rng = fresh()
    normal = [rng.normal(0, 1) for _ in range(6)]
    parent = fresh()
    child = parent.fork()
    fork_then_next = [child.next_uint32() for _ in range(4)] + [parent.next_uint32() for _ in range(4)]
    rng = fresh()
    for _ in range(3):
        rng.next_uint32()
    return {
        "seed": seed,
        "nextUint32": next_uint32,
        "uniform": uniform,
        "int_1_6": dice,
        "int_0_999999999": big,
        "shuffle10": shuffled,
        "categorical": categorical,
        "poisson3": poisson,
        "normal": normal,
        "forkThenNext": fork_then_next,
        "stateAfter3": rng.get_state(),
    }


# --------------------------------------------------------------------------------------------------
# Main
# --------------------------------------------------------------------------------------------------


def main():
    # One thread: multithreaded CPU reductions may split sums differently on another machine, which
    # would change the last bits of the float64 results and break byte-for-byte reproducibility.
    torch.set_num_threads(1)
    torch.manual_seed(0)  # Not relied on (every case has its own generator); pinned for safety.
    np.random.seed(0)

    write_json(OPS_FIXTURES / "cross-entropy.golden.json", {
        "description": "crossEntropy(logits, labels, options) golden values: float32 inputs, expected "
                       "values in float64 from those exact float32 values. For reduction 'none', "
                       "gradLogits is the gradient of sum(cotangent * loss).",
        "generator": GENERATOR,
        "torch": torch.__version__,
        "cases": cross_entropy_cases(),
    })

    write_json(OPS_FIXTURES / "linear-cross-entropy.golden.json", {
        "description": "linearCrossEntropy(hidden, weight, labels, options) golden values, logits = "
                       "hidden · W + bias (W is [H, V] for 'hidden-by-vocab', [V, H] for "
                       "'vocab-by-hidden'). Float32 inputs; expected values in float64. For "
                       "reduction 'none', the gradients are those of sum(cotangent * loss).",
        "generator": GENERATOR,
        "torch": torch.__version__,
        "cases": linear_cross_entropy_cases(),
    })

    write_json(OPS_FIXTURES / "softmax-precision.golden.json", {
        "description": "Mean cross-entropy of float32 logits [N, V] across logit scales: expected "
                       "loss and logit gradient in float64 from the exact float32 logits, and the "
                       "relative errors of PyTorch's float32 F.cross_entropy on the same inputs "
                       "(loss: |l32 - l64| / |l64|; gradient: max |g32 - g64| / max |g64|).",
        "generator": GENERATOR,
        "torch": torch.__version__,
        "cases": softmax_precision_cases(),
    })

    check_xoshiro_against_reference()
    seeds = [0, 1, 42, 4294967296 + 7, 9007199254740991]
    write_json(RANDOM_FIXTURES / "rng.golden.json", {
        "description": "Outputs of createRng(seed) from an independent Python mirror; each field "
                       "starts from a fresh createRng(seed) (forkThenNext: 4 outputs of "
                       "parent.fork(), then 4 of the parent). Every field is exact except "
                       "'normal': it uses the C library's correctly rounded log/cos, while JS "
                       "engines use fdlibm's, which can be 1 ulp off, so compare 'normal' with a "
                       "tolerance of a few ulps (relative 1e-15).",
        "generator": GENERATOR,
        "algorithm": "xoshiro128** seeded by splitmix32",
        "seeds": [rng_record(seed) for seed in seeds],
    })
    return 0


if __name__ == "__main__":
    sys.exit(main())
