#!/usr/bin/env -S /usr/bin/python3
"""Golden test vectors for @lm-objectives/lora, computed in float64 with PyTorch.

Writes two JSON fixtures that the TypeScript tests load (the tests never run Python):

  packages/lora/src/adapter/__fixtures__/lora-adapter.golden.json
      A LoRA adapter on a dense kernel W [in, out]: y = x W + b + s (x A) B with s = alpha / r or
      alpha / sqrt(r) (rsLoRA); the gradients of sum(y * upstream) w.r.t. x, A and B; the merged
      kernel W + s A B. Square and non-square kernels, with a non-zero B.
  packages/lora/src/conditional-lm/__fixtures__/conditional-lm.golden.json
      The conditional (completion-only) objective: the ids, labels, positions, example ids and
      scored positions built from separately tokenized prompts and completions (an independent
      Python implementation of the rules in shared/reference/lora-prefix.md), and the shifted
      token cross-entropy (sum, count, mean) with its gradient, from logits and from hidden
      states plus an output projection.

Rerun from the repository root with

    /usr/bin/python3 scripts/golden/generate_lora_fixtures.py

It needs Debian's /usr/bin/python3 (with torch and numpy); the output is deterministic.
Arrays are stored as {"dtype", "shape", "base64"} (little-endian raw bytes). Inputs the TypeScript
code receives as float32 are rounded to float32 before the expected values are computed in float64.
"""

import math
import sys
from pathlib import Path

import torch
import torch.nn.functional as F

# The array encoding and the JSON layout are the core generator's, shared rather than repeated.
sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate_core_fixtures import encode, generator, normal_f32, write_json  # noqa: E402

REPO_ROOT = Path(__file__).resolve().parents[2]
ADAPTER_FIXTURES = REPO_ROOT / "packages/lora/src/adapter/__fixtures__"
OBJECTIVE_FIXTURES = REPO_ROOT / "packages/lora/src/conditional-lm/__fixtures__"
GENERATOR = "scripts/golden/generate_lora_fixtures.py"
IGNORE_INDEX = -100

# --------------------------------------------------------------------------------------------------
# LoRA adapter
# --------------------------------------------------------------------------------------------------


def adapter_case(name, seed, leading, inputs, outputs, rank, alpha, rs_lora, with_bias):
    gen = generator(seed)
    x = normal_f32(gen, leading + [inputs])
    kernel = normal_f32(gen, [inputs, outputs], 1 / math.sqrt(inputs))
    bias = normal_f32(gen, [outputs], 0.1) if with_bias else None
    a = normal_f32(gen, [inputs, rank], 1 / math.sqrt(inputs))
    b = normal_f32(gen, [rank, outputs], 0.5)  # a trained, non-zero B
    upstream = normal_f32(gen, leading + [outputs])
    scaling = alpha / (math.sqrt(rank) if rs_lora else rank)

    x64 = x.double().requires_grad_(True)
    a64 = a.double().requires_grad_(True)
    b64 = b.double().requires_grad_(True)
    y = x64 @ kernel.double() + scaling * ((x64 @ a64) @ b64)
    if bias is not None:
        y = y + bias.double()
    (y * upstream.double()).sum().backward()
    merged = kernel.double() + scaling * (a.double() @ b.double())
    case = {
        "name": name,
        "rank": rank,
        "alpha": alpha,
        "rsLora": rs_lora,
        "scaling": scaling,
        "x": encode(x),
        "kernel": encode(kernel),
        "a": encode(a),
        "b": encode(b),
        "upstream": encode(upstream),
        "expected": {
            "y": encode(y.detach()),
            "gradX": encode(x64.grad),
            "gradA": encode(a64.grad),
            "gradB": encode(b64.grad),
            "mergedKernel": encode(merged),
        },
    }
    if bias is not None:
        case["bias"] = encode(bias)
    return case


def adapter_fixture():
    cases = [
        adapter_case("square 8x8, r=2, alpha=16", 11, [5], 8, 8, 2, 16.0, False, True),
        adapter_case("non-square 6x10, r=3, alpha=6, rsLoRA", 12, [4], 6, 10, 3, 6.0, True, True),
        adapter_case("non-square 12x5, r=4, alpha=32, no bias", 13, [7], 12, 5, 4, 32.0, False, False),
        adapter_case("rank-3 input [2,3,7] -> 9, r=1, alpha=1", 14, [2, 3], 7, 9, 1, 1.0, False, True),
        adapter_case("non-square 16x4, r=4 (the most 16x4 allows), alpha=8, rsLoRA", 15, [6], 16, 4, 4, 8.0, True, True),
    ]
    return {"generator": GENERATOR, "description": "y = x W + b + s (x A) B; gradients of sum(y * upstream); W + s A B", "cases": cases}


# --------------------------------------------------------------------------------------------------
# Conditional objective: labels (an independent implementation of the reference rules) and loss
# --------------------------------------------------------------------------------------------------


def sequence_of(example, strategy, eos, append_eos, max_length, truncation):
    """Ids and labels of one example; labels -100 where not scored, position 0 always -100."""
    if "turns" in example:
        turns = example["turns"]
        assistant = [i for i, t in enumerate(turns) if t["role"] == "assistant"]
        last = assistant[-1] if assistant else -1
        segments = []
        for i, turn in enumerate(turns):
            if strategy == "all":
                scored = True
            elif strategy == "assistant":
                scored = turn["role"] == "assistant"
            else:  # completion-only and last: the last assistant turn
                scored = i == last
            segments.append((turn["ids"], scored))
    else:
        segments = [(example["prompt"], strategy == "all"), (example["completion"], True)]
    if append_eos:
        segments.append(([eos], segments[-1][1]))
    ids, labels = [], []
    for seg_ids, scored in segments:
        for token in seg_ids:
            ids.append(token)
            labels.append(token if scored else IGNORE_INDEX)
    if max_length is not None and len(ids) > max_length:
        if truncation == "start":
            ids, labels = ids[-max_length:], labels[-max_length:]
        else:
            ids, labels = ids[:max_length], labels[:max_length]
    if labels:
        labels[0] = IGNORE_INDEX
    return ids, labels


def build_batch(examples, options):
    eos = options["eosTokenId"]
    pad = options.get("padTokenId", eos)
    max_length = options.get("maxLength")
    packing = options.get("packing", False)
    kept, dropped = [], []
    for index, example in enumerate(examples):
        ids, labels = sequence_of(example, options.get("strategy", "completion-only"), eos,
                                  options.get("appendEos", True), max_length, options.get("truncation", "end"))
        if sum(1 for label in labels if label != IGNORE_INDEX) == 0:
            dropped.append(index)
        else:
            kept.append((ids, labels))
    rows = []  # each row: list of (ids, labels)
    if packing:
        for ids, labels in kept:
            for row in rows:
                if sum(len(s[0]) for s in row) + len(ids) <= max_length:
                    row.append((ids, labels))
                    break
            else:
                rows.append([(ids, labels)])
    else:
        rows = [[item] for item in kept]
    length = max(sum(len(s[0]) for s in row) for row in rows)
    if options.get("padding", "longest") == "max-length":
        length = max_length
    multiple = options.get("padToMultipleOf", 1)
    length = -(-length // multiple) * multiple
    input_ids = torch.full((len(rows), length), pad, dtype=torch.int32)
    label_array = torch.full((len(rows), length), IGNORE_INDEX, dtype=torch.int32)
    positions = torch.zeros((len(rows), length), dtype=torch.int32)
    example_ids = torch.zeros((len(rows), length), dtype=torch.int32)
    for r, row in enumerate(rows):
        start = 0
        for s, (ids, labels) in enumerate(row):
            n = len(ids)
            input_ids[r, start:start + n] = torch.tensor(ids, dtype=torch.int32)
            label_array[r, start:start + n] = torch.tensor(labels, dtype=torch.int32)
            positions[r, start:start + n] = torch.arange(n, dtype=torch.int32)
            example_ids[r, start:start + n] = s + 1
            start += n
    return input_ids, label_array, positions, example_ids, dropped


def scored_positions(labels):
    """Flat index b * L + t of every position t whose next label is scored, and that label."""
    batch, length = labels.shape
    positions, targets = [], []
    for b in range(batch):
        for t in range(length - 1):
            label = int(labels[b, t + 1])
            if label != IGNORE_INDEX:
                positions.append(b * length + t)
                targets.append(label)
    return torch.tensor(positions, dtype=torch.int32), torch.tensor(targets, dtype=torch.int32)


def shifted_loss(logits64, labels):
    """Position t predicts labels[t + 1]; the last position predicts nothing."""
    targets = torch.full_like(labels, IGNORE_INDEX, dtype=torch.int64)
    targets[:, :-1] = labels[:, 1:].long()
    flat_logits = logits64.reshape(-1, logits64.shape[-1])
    flat_targets = targets.reshape(-1)
    total = F.cross_entropy(flat_logits, flat_targets, ignore_index=IGNORE_INDEX, reduction="sum")
    count = int((flat_targets != IGNORE_INDEX).sum())
    return total, count


def objective_case(name, seed, examples, options, vocab, hidden=None, layout=None, with_bias=False,
                   num_items=None):
    input_ids, labels, positions, example_ids, dropped = build_batch(examples, options)
    scored, scored_labels = scored_positions(labels)
    gen = generator(seed)
    batch, length = labels.shape
    case = {
        "name": name,
        "examples": examples,
        "options": options,
        "vocabularySize": vocab,
        "expectedBatch": {
            "inputIds": encode(input_ids),
            "labels": encode(labels),
            "positionIds": encode(positions),
            "exampleIds": encode(example_ids),
            "scoredPositions": encode(scored),
            "scoredLabels": encode(scored_labels),
            "dropped": dropped,
        },
    }
    if hidden is None:
        logits = normal_f32(gen, [batch, length, vocab], 2.0)
        logits64 = logits.double().requires_grad_(True)
        total, count = shifted_loss(logits64, labels)
        normaliser = num_items if num_items is not None else count
        loss = total / normaliser if normaliser > 0 else total * 0
        loss.backward()
        case["logits"] = encode(logits)
        case["expected"] = {"sum": total.item(), "count": count, "loss": loss.item(), "gradLogits": encode(logits64.grad)}
    else:
        states = normal_f32(gen, [batch, length, hidden])
        shape = [hidden, vocab] if layout == "hidden-by-vocab" else [vocab, hidden]
        weight = normal_f32(gen, shape, 1 / math.sqrt(hidden))
        bias = normal_f32(gen, [vocab], 0.1) if with_bias else None
        states64 = states.double().requires_grad_(True)
        weight64 = weight.double().requires_grad_(True)
        kernel = weight64 if layout == "hidden-by-vocab" else weight64.t()
        logits64 = states64 @ kernel
        if bias is not None:
            logits64 = logits64 + bias.double()
        total, count = shifted_loss(logits64, labels)
        normaliser = num_items if num_items is not None else count
        loss = total / normaliser
        loss.backward()
        case["hiddenStates"] = encode(states)
        case["weight"] = encode(weight)
        case["layout"] = layout
        if bias is not None:
            case["bias"] = encode(bias)
        case["expected"] = {"sum": total.item(), "count": count, "loss": loss.item(),
                            "gradHiddenStates": encode(states64.grad), "gradWeight": encode(weight64.grad)}
    if num_items is not None:
        case["numItemsInBatch"] = num_items
    return case


def objective_fixture():
    eos = 2
    pairs = [
        {"prompt": [5, 9, 4, 11], "completion": [7, 8]},
        {"prompt": [3], "completion": [12, 13, 14, 6]},
        {"prompt": [10, 10, 9, 8, 7, 6, 5], "completion": [4]},
    ]
    chat = [
        {"turns": [{"role": "system", "ids": [15]}, {"role": "user", "ids": [5, 6]},
                   {"role": "assistant", "ids": [7, 8, 9]}, {"role": "user", "ids": [10]},
                   {"role": "assistant", "ids": [11, 12]}]},
        {"turns": [{"role": "user", "ids": [3, 4, 5]}, {"role": "assistant", "ids": [13]}]},
    ]
    cases = [
        objective_case("completion-only, pad = eos", 21, pairs, {"eosTokenId": eos}, 16),
        objective_case("all tokens scored", 22, pairs, {"eosTokenId": eos, "strategy": "all"}, 16),
        objective_case("pad id distinct from eos", 23, pairs, {"eosTokenId": eos, "padTokenId": 0}, 16),
        objective_case("truncation at the end drops an example", 24, pairs, {"eosTokenId": eos, "maxLength": 6}, 16),
        objective_case("truncation at the start keeps completions", 25, pairs,
                       {"eosTokenId": eos, "maxLength": 5, "truncation": "start"}, 16),
        objective_case("packing with position restarts", 26, pairs + [{"prompt": [1], "completion": [3]}],
                       {"eosTokenId": eos, "maxLength": 12, "packing": True}, 16),
        objective_case("padded to maxLength, rounded up to a multiple of 4", 32, pairs,
                       {"eosTokenId": eos, "padTokenId": 0, "maxLength": 10, "padding": "max-length",
                        "padToMultipleOf": 4}, 16),
        objective_case("chat, assistant turns", 27, chat, {"eosTokenId": eos, "strategy": "assistant"}, 16),
        objective_case("chat, last assistant turn", 28, chat, {"eosTokenId": eos, "strategy": "last"}, 16),
        objective_case("numItemsInBatch from an accumulation window", 29, pairs, {"eosTokenId": eos}, 16,
                       num_items=20),
        objective_case("hidden states, hidden-by-vocab projection with bias", 30, pairs, {"eosTokenId": eos}, 16,
                       hidden=6, layout="hidden-by-vocab", with_bias=True),
        objective_case("hidden states, tied vocab-by-hidden projection, packed", 31, pairs,
                       {"eosTokenId": eos, "maxLength": 16, "packing": True}, 16, hidden=5,
                       layout="vocab-by-hidden"),
    ]
    return {"generator": GENERATOR, "description": "conditional LM labels and shifted token cross-entropy", "cases": cases}


def main():
    torch.set_default_dtype(torch.float64)
    write_json(ADAPTER_FIXTURES / "lora-adapter.golden.json", adapter_fixture())
    write_json(OBJECTIVE_FIXTURES / "conditional-lm.golden.json", objective_fixture())


if __name__ == "__main__":
    main()
