#!/usr/bin/env -S /usr/bin/python3
"""Golden test vectors for @lm-objectives/bert, computed in float64 with PyTorch (and Python's own
rounding rules for the masker's selection counts).

Writes two JSON fixtures that the TypeScript tests load (the tests never run Python):

  packages/bert/src/__fixtures__/bert-heads.golden.json
      The BERT objective's tensor side for a fixed small head: the masked-LM loss (gather at the
      masked positions, dense + GELU(tanh) + LayerNorm(eps 1e-12), logits against the tied
      embedding table plus an output bias, mean over the real predictions; padded slots have
      weight 0 and the TypeScript test scores the slots of weight 1 as flat positions b·L + t), the NSP loss (tanh pooler on position 0,
      2-way layer, mean over the batch), their sum, the parts' sum/count, both accuracies, and the
      gradient of the total loss with respect to the hidden states, the embedding table and every
      head weight.
  packages/bert/src/data/__fixtures__/selection-counts.golden.json
      How many tokens each exact selection policy predicts: `exact-round` with Python's `round`
      (ties to even) as the original BERT generator computes it, and `exact-ceil` in float32 as
      TensorFlow Text computes it.

Rerun from the repository root with

    /usr/bin/python3 scripts/golden/generate_bert_fixtures.py

It needs Debian's /usr/bin/python3 (with torch and numpy); the output is deterministic. Arrays are
stored as {"dtype", "shape", "base64"} (little-endian raw bytes) by the same encoder as the core
fixtures. Inputs the TypeScript code receives as float32 are rounded to float32 first, and every
expected value is computed in float64 from exactly those values.
"""

import math
import sys
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate_core_fixtures import encode, write_json  # noqa: E402  (shared encoding)

REPO_ROOT = Path(__file__).resolve().parents[2]
HEAD_FIXTURE = REPO_ROOT / "packages/bert/src/__fixtures__/bert-heads.golden.json"
COUNT_FIXTURE = REPO_ROOT / "packages/bert/src/data/__fixtures__/selection-counts.golden.json"
GENERATOR = "scripts/golden/generate_bert_fixtures.py"
LAYER_NORM_EPSILON = 1e-12

# The order in which the TypeScript test lists the head weights (BertHeadWeights).
WEIGHT_NAMES = [
    "transformKernel", "transformBias", "layerNormGamma", "layerNormBeta", "outputBias",
    "poolerKernel", "poolerBias", "classifierKernel", "classifierBias",
]


def normal_f32(gen, shape, scale=1.0, shift=0.0):
    """Normal samples drawn in float64, then rounded to float32 (what the TypeScript code receives)."""
    return (torch.randn(shape, generator=gen, dtype=torch.float64) * scale + shift).to(torch.float32)


def head_inputs(seed, batch, length, hidden, vocab, predictions, hidden_scale=1.0,
                transform_scale=1.0):
    """Random float32 inputs of one case: hidden states, a tied embedding table and the head weights
    (non-trivial values, not the initialiser's, so every term of the head matters)."""
    gen = torch.Generator().manual_seed(seed)
    tensors = {
        "hiddenStates": normal_f32(gen, (batch, length, hidden), hidden_scale),
        "embeddingTable": normal_f32(gen, (vocab, hidden), 0.5),
        "transformKernel": normal_f32(gen, (hidden, hidden), transform_scale / math.sqrt(hidden)),
        "transformBias": normal_f32(gen, (hidden,), 0.1 * transform_scale),
        "layerNormGamma": normal_f32(gen, (hidden,), 0.1, 1.0),
        "layerNormBeta": normal_f32(gen, (hidden,), 0.1),
        "outputBias": normal_f32(gen, (vocab,), 0.2),
        "poolerKernel": normal_f32(gen, (hidden, hidden), 1.0 / math.sqrt(hidden)),
        "poolerBias": normal_f32(gen, (hidden,), 0.1),
        "classifierKernel": normal_f32(gen, (hidden, 2), 0.5),
        "classifierBias": normal_f32(gen, (2,), 0.1),
    }
    positions = torch.stack([
        torch.randperm(length - 1, generator=gen)[:predictions] + 1 for _ in range(batch)
    ]).sort(dim=1).values.to(torch.int32)
    ids = torch.randint(0, vocab, (batch, predictions), generator=gen, dtype=torch.int64).to(torch.int32)
    labels = torch.randint(0, 2, (batch,), generator=gen, dtype=torch.int64).to(torch.int32)
    return tensors, positions, ids, labels


def reference(tensors, positions, ids, weights, labels, num_items):
    """The BERT pre-training loss in float64, written from the definitions with torch ops."""
    x = {name: value.to(torch.float64).requires_grad_(True) for name, value in tensors.items()}
    hidden = x["hiddenStates"]
    batch, length, size = hidden.shape
    rows = torch.stack([hidden[b, positions[b].long()] for b in range(batch)]).reshape(-1, size)
    dense = rows @ x["transformKernel"] + x["transformBias"]
    transformed = F.layer_norm(
        F.gelu(dense, approximate="tanh"), (size,), x["layerNormGamma"], x["layerNormBeta"],
        eps=LAYER_NORM_EPSILON,
    )
    logits = transformed @ x["embeddingTable"].T + x["outputBias"]
    targets = ids.reshape(-1).long()
    slot_weights = weights.reshape(-1).to(torch.float64)
    nll = F.cross_entropy(logits, targets, reduction="none")
    mlm_sum = (slot_weights * nll).sum()
    mlm_count = slot_weights.sum()
    mlm_normaliser = num_items.get("maskedLm", float(mlm_count))
    mlm_loss = mlm_sum / mlm_normaliser if mlm_normaliser > 0 else mlm_sum * 0.0

    pooled = torch.tanh(hidden[:, 0] @ x["poolerKernel"] + x["poolerBias"])
    nsp_logits = pooled @ x["classifierKernel"] + x["classifierBias"]
    nsp_nll = F.cross_entropy(nsp_logits, labels.long(), reduction="none")
    nsp_sum = nsp_nll.sum()
    nsp_count = torch.tensor(float(batch), dtype=torch.float64)
    nsp_loss = nsp_sum / num_items.get("nextSentence", float(batch))
    total = mlm_loss + nsp_loss

    names = ["hiddenStates", "embeddingTable", *WEIGHT_NAMES]
    gradients = torch.autograd.grad(total, [x[name] for name in names])
    with torch.no_grad():
        counted = slot_weights > 0
        hits = (logits.argmax(dim=1) == targets) & counted
        mlm_accuracy = float(hits.sum()) / max(int(counted.sum()), 1)
        nsp_accuracy = float((nsp_logits.argmax(dim=1) == labels.long()).double().mean())
    return {
        "loss": float(total),
        "maskedLm": {"loss": float(mlm_loss), "sum": float(mlm_sum), "count": float(mlm_count)},
        "nextSentence": {"loss": float(nsp_loss), "sum": float(nsp_sum), "count": float(nsp_count)},
        "maskedLmAccuracy": mlm_accuracy,
        "nextSentenceAccuracy": nsp_accuracy,
        "gradients": {name: encode(gradient) for name, gradient in zip(names, gradients)},
    }


def predicted_ids(tensors, positions):
    """The arg-max prediction of the head at every slot (float64), to make some labels right."""
    with torch.no_grad():
        x = {name: value.to(torch.float64) for name, value in tensors.items()}
        hidden = x["hiddenStates"]
        size = hidden.shape[-1]
        rows = torch.stack([hidden[b, positions[b].long()] for b in range(hidden.shape[0])])
        dense = rows.reshape(-1, size) @ x["transformKernel"] + x["transformBias"]
        transformed = F.layer_norm(F.gelu(dense, approximate="tanh"), (size,), x["layerNormGamma"],
                                   x["layerNormBeta"], eps=LAYER_NORM_EPSILON)
        logits = transformed @ x["embeddingTable"].T + x["outputBias"]
        return logits.argmax(dim=1).reshape(positions.shape).to(torch.int32)


def head_case(name, seed, batch, length, hidden, vocab, predictions, weights_of=None,
              num_items=None, hidden_scale=1.0, transform_scale=1.0):
    tensors, positions, ids, labels = head_inputs(seed, batch, length, hidden, vocab, predictions,
                                                  hidden_scale, transform_scale)
    # Every other slot gets the head's own prediction as its label, so the accuracy is neither 0 nor 1.
    alternate = (torch.arange(batch * predictions) % 2 == 0).reshape(batch, predictions)
    ids = torch.where(alternate, predicted_ids(tensors, positions), ids)
    weights = torch.ones((batch, predictions), dtype=torch.float32)
    if weights_of is not None:
        weights = weights_of(weights)
    # Padded slots use position 0 and id 0, as the masker writes them.
    positions = torch.where(weights > 0, positions, torch.zeros_like(positions))
    ids = torch.where(weights > 0, ids, torch.zeros_like(ids))
    num_items = dict(num_items or {})
    case = {
        "name": name,
        "dimensions": {"batch": batch, "sequence": length, "hidden": hidden, "vocabulary": vocab,
                       "predictions": predictions},
        "inputs": {key: encode(value) for key, value in tensors.items()},
        "maskedPositions": encode(positions),
        "maskedIds": encode(ids),
        "maskedWeights": encode(weights),
        "nextSentenceLabels": encode(labels),
        "expected": reference(tensors, positions, ids, weights, labels, num_items),
    }
    if num_items:
        case["numItemsInBatch"] = num_items
    return case


def pad_last_slots(count):
    def apply(weights):
        weights = weights.clone()
        weights[-1, -count:] = 0
        return weights
    return apply


def ragged_rows(weights):
    """Rows with 3, 1 and 0 real predictions: the flat scored positions skip whole rows."""
    weights = weights.clone()
    weights[1, 1:] = 0
    weights[2, :] = 0
    return weights


def head_cases():
    return [
        head_case("small head, one padded slot", 11, batch=2, length=6, hidden=8, vocab=11,
                  predictions=3, weights_of=pad_last_slots(1)),
        head_case("ragged rows: 3, 1 and 0 predictions", 12, batch=3, length=7, hidden=8,
                  vocab=13, predictions=3, weights_of=ragged_rows),
        head_case("no masked position", 13, batch=2, length=5, hidden=8, vocab=9, predictions=2,
                  weights_of=torch.zeros_like),
        head_case("larger head, V = 1000", 14, batch=3, length=16, hidden=32, vocab=1000,
                  predictions=5, weights_of=pad_last_slots(2)),
        head_case("numItemsInBatch for both parts", 15, batch=2, length=6, hidden=8, vocab=11,
                  predictions=3, num_items={"maskedLm": 10, "nextSentence": 5}),
        head_case("large hidden states (scale 30)", 16, batch=2, length=6, hidden=16, vocab=50,
                  predictions=3, hidden_scale=30.0),
        # Transform outputs of variance ~1e-7: LayerNorm's epsilon (1e-12, not 1e-5) matters here.
        head_case("tiny transform outputs (LayerNorm epsilon matters)", 17, batch=2, length=6,
                  hidden=16, vocab=40, predictions=3, transform_scale=1e-3),
    ]


def selection_counts():
    """Counts of the exact policies for every length 0..600, several rates and caps."""
    lengths = list(range(0, 601))
    rates = [0.15, 0.1, 0.2, 0.3, 0.5, 0.05, 0.123, 0.8]
    caps = [20, 77, 10_000]
    exact_round = []
    exact_ceil = []
    for rate in rates:
        for cap in caps:
            # The original generator: min(max_predictions_per_seq, max(1, int(round(len(tokens) * prob)))).
            exact_round.append({"rate": rate, "maxPredictions": cap, "counts": [
                min(cap, max(1, int(round(n * rate)))) for n in lengths]})
            # TensorFlow Text: ceil(float32(n) * float32(rate)), then the minimum with the cap.
            products = np.float32(lengths) * np.float32(rate)
            assert products.dtype == np.float32
            exact_ceil.append({"rate": rate, "maxPredictions": cap, "counts": [
                int(min(math.ceil(float(value)), cap)) for value in products]})
    halves = [0.5, 1.5, 2.5, 3.5, 4.5, 10.5, 11.5, -0.5, -1.5, 2.4999999999999996, 2.5000000000000004,
              30 * 0.15, 50 * 0.15, 70 * 0.15, 90 * 0.15, 0.0, 7.0, 1e15 + 0.5]
    return {
        "lengths": lengths,
        "exactRound": exact_round,
        "exactCeil": exact_ceil,
        "roundHalfEven": [{"value": value, "rounded": round(value)} for value in halves],
    }


def main():
    torch.set_default_dtype(torch.float64)
    write_json(HEAD_FIXTURE, {
        "generator": GENERATOR,
        "torch": torch.__version__,
        "layerNormEpsilon": LAYER_NORM_EPSILON,
        "weightNames": WEIGHT_NAMES,
        "cases": head_cases(),
    })
    counts = selection_counts()
    write_json(COUNT_FIXTURE, {
        "generator": GENERATOR,
        "lengths": counts["lengths"],
        "roundHalfEven": counts["roundHalfEven"],
        "exactRound": counts["exactRound"],
        "exactCeil": counts["exactCeil"],
    })
    return 0


if __name__ == "__main__":
    sys.exit(main())
