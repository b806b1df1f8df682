#!/usr/bin/env -S /usr/bin/python3
"""Golden test vectors for @lm-objectives/glm, computed in float64 with PyTorch.

Writes one JSON fixture that the TypeScript tests load (the tests never run Python):

  packages/glm/src/__fixtures__/glm-loss.golden.json
      A fixed batch of four GLM samples laid out here independently of the TypeScript builder
      (the reference's worked example with its permutation, the [gMASK] example, a sentence
      sample, and the worked example in text order), right-padded to 11 positions, with the
      scored positions, labels and parts the loss reads (grouped by mode); random logits
      and random hidden states with a tied [V, H] projection plus bias; and the expected loss
      (aligned cross-entropy over Part B, no shift), the per-mode sums and counts, Part B token
      accuracy, and the gradients of the loss w.r.t. the logits, the hidden states, the
      projection weight and the bias.

Rerun from the repository root with

    /usr/bin/python3 scripts/golden/generate_glm_fixtures.py

It needs Debian's /usr/bin/python3 (with torch and numpy). The output is deterministic.

Every array is stored as {"dtype": "float32" | "float64" | "int32", "shape": [...], "base64": ...},
base64 holding the little-endian raw bytes. Float inputs are rounded to float32 before the
expected values are computed (in float64 from the rounded values), so the fixture measures only
the error of the TypeScript implementation.
"""

import sys
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate_core_fixtures import encode, write_json  # noqa: E402  (shared encoding)

REPO_ROOT = Path(__file__).resolve().parents[2]
FIXTURE = REPO_ROOT / "packages/glm/src/__fixtures__/glm-loss.golden.json"
GENERATOR = "scripts/golden/generate_glm_fixtures.py"

# Special tokens of the reference's worked example, plus [sMASK] = 7 and a period = 10.
CLS, MASK, SOP, EOP, GMASK, SMASK, PERIOD, PAD = 1, 2, 3, 4, 5, 7, 10, 0
VOCABULARY = 24
HIDDEN = 8
LENGTH = 11
MODES = ["span", "sentence", "document"]


# --------------------------------------------------------------------------------------------------
# Sample layout, written from the rules of shared/reference/glm.md
# --------------------------------------------------------------------------------------------------


def blank_sample(text, spans, order, mask_id, drop_final_eop=False):
    """text includes [CLS]; spans are (start, end) in text order; order lists span indices."""
    part_a, part_a_positions, mask_position = [], [], {}
    cursor = 0
    for index, (start, end) in enumerate(spans):
        part_a += text[cursor:start]
        mask_position[index] = len(part_a)
        part_a.append(mask_id)
        cursor = end
    part_a += text[cursor:]
    part_a_positions = list(range(len(part_a)))
    tokens, targets = list(part_a), list(part_a)
    positions, blocks, loss_mask = list(part_a_positions), [0] * len(part_a), [0] * len(part_a)
    for index in order:
        start, end = spans[index]
        piece = text[start:end]
        tokens += [SOP] + piece
        targets += piece + [EOP]
        positions += [mask_position[index]] * (len(piece) + 1)
        blocks += list(range(1, len(piece) + 2))
        loss_mask += [1] * (len(piece) + 1)
    if drop_final_eop:
        tokens, targets, positions, blocks, loss_mask = (
            tokens[:-1], targets[:-1], positions[:-1], blocks[:-1], loss_mask[:-1])
    return {"tokens": tokens, "targets": targets, "positions": positions, "blocks": blocks,
            "loss_mask": loss_mask, "sep": len(part_a)}


def fixed_batch():
    worked = [CLS, 11, 12, 13, 14, 15, 16]
    rows = [
        ("span", blank_sample(worked, [(3, 4), (5, 7)], [1, 0], MASK)),
        ("document", blank_sample([CLS, 11, 12, 13, 14, 15, 16, 17], [(3, 8)], [0], GMASK,
                                  drop_final_eop=True)),
        ("sentence", blank_sample([CLS, 11, 12, PERIOD, 13, 14, PERIOD, 15], [(4, 7)], [0], SMASK)),
        ("span", blank_sample(worked, [(3, 4), (5, 7)], [0, 1], MASK)),
    ]
    # The reference's printed layouts, as a check on this script itself.
    assert rows[0][1]["tokens"] == [1, 11, 12, 2, 14, 2, 3, 15, 16, 3, 13]
    assert rows[0][1]["positions"] == [0, 1, 2, 3, 4, 5, 5, 5, 5, 3, 3]
    assert rows[1][1]["tokens"] == [1, 11, 12, 5, 3, 13, 14, 15, 16]
    assert rows[1][1]["targets"] == [1, 11, 12, 5, 13, 14, 15, 16, 17]
    assert rows[1][1]["blocks"] == [0, 0, 0, 0, 1, 2, 3, 4, 5]

    def padded(key, pad):
        return torch.tensor([row[key] + [pad] * (LENGTH - len(row[key])) for _, row in rows],
                            dtype=torch.int32)

    loss_mask = padded("loss_mask", 0)
    targets = padded("targets", PAD)
    labels = torch.where(loss_mask == 1, targets, torch.full_like(targets, -100))
    # What the loss scores, listed once: flat index row * LENGTH + position of every Part B token,
    # grouped by mode (span, sentence, document) and in row-major order within a mode.
    scored = [(row * LENGTH + position, int(targets[row, position]), MODES.index(mode))
              for mode_name in MODES
              for row, (mode, _) in enumerate(rows) if mode == mode_name
              for position in range(LENGTH) if loss_mask[row, position] == 1]
    return {
        "inputIds": padded("tokens", PAD),
        "targets": targets,
        "labels": labels,
        "lossMask": loss_mask,
        "positionIds": padded("positions", 0),
        "blockPositionIds": padded("blocks", 0),
        "separators": torch.tensor([row["sep"] for _, row in rows], dtype=torch.int32),
        "modes": torch.tensor([MODES.index(mode) for mode, _ in rows], dtype=torch.int32),
        "scoredPositions": torch.tensor([flat for flat, _, _ in scored], dtype=torch.int32),
        "scoredLabels": torch.tensor([label for _, label, _ in scored], dtype=torch.int32),
        "scoredParts": torch.tensor([part for _, _, part in scored], dtype=torch.int32),
    }


# --------------------------------------------------------------------------------------------------
# Expected loss (float64)
# --------------------------------------------------------------------------------------------------


def glm_loss(logits, batch):
    """Aligned cross-entropy over Part B: per-mode sums, counts, and the total mean."""
    labels = batch["labels"].long()
    counted = labels != -100
    log_probs = torch.log_softmax(logits, dim=-1)
    safe = torch.where(counted, labels, torch.zeros_like(labels))
    nll = -log_probs.gather(-1, safe.unsqueeze(-1)).squeeze(-1) * counted
    row_modes = batch["modes"].long()
    sums, counts = {}, {}
    for code, mode in enumerate(MODES):
        rows = (row_modes == code).unsqueeze(-1)
        sums[mode] = (nll * rows).sum()
        counts[mode] = int((counted & rows).sum())
    total = sum(counts.values())
    loss = sum(sums.values()) / total
    predictions = logits.argmax(dim=-1)
    correct = int(((predictions == labels) & counted).sum())
    return loss, sums, counts, correct / total


def main():
    batch = fixed_batch()
    gen = torch.Generator().manual_seed(20260501)
    logits32 = (torch.randn((4, LENGTH, VOCABULARY), generator=gen, dtype=torch.float64) * 2
                ).to(torch.float32)
    hidden32 = torch.randn((4, LENGTH, HIDDEN), generator=gen, dtype=torch.float64).to(torch.float32)
    weight32 = (torch.randn((VOCABULARY, HIDDEN), generator=gen, dtype=torch.float64) * 0.7
                ).to(torch.float32)
    bias32 = (torch.randn((VOCABULARY,), generator=gen, dtype=torch.float64) * 0.3).to(torch.float32)

    # Make every other Part B position predict its label (so the accuracy is neither 0 nor 1): raise
    # the label's logit, and point the hidden state along the label's projection row.
    labels = batch["labels"].long()
    planted = [tuple(index) for index in (labels != -100).nonzero().tolist()][::2]
    for row, position in planted:
        label = labels[row, position]
        logits32[row, position, label] += 6.0
        hidden32[row, position] = 2.5 * weight32[label]

    logits = logits32.to(torch.float64).requires_grad_(True)
    loss, sums, counts, accuracy = glm_loss(logits, batch)
    (logits_gradient,) = torch.autograd.grad(loss, [logits])

    hidden = hidden32.to(torch.float64).requires_grad_(True)
    weight = weight32.to(torch.float64).requires_grad_(True)
    bias = bias32.to(torch.float64).requires_grad_(True)
    projected = hidden @ weight.T + bias
    hidden_loss, hidden_sums, _, hidden_accuracy = glm_loss(projected, batch)
    hidden_gradient, weight_gradient, bias_gradient = torch.autograd.grad(
        hidden_loss, [hidden, weight, bias])

    document = {
        "generator": GENERATOR,
        "description": "GLM aligned cross-entropy over Part B on a fixed batch of four samples.",
        "specialTokenIds": {"clsTokenId": CLS, "maskTokenId": MASK, "sopTokenId": SOP,
                            "eopTokenId": EOP, "gMaskTokenId": GMASK, "sMaskTokenId": SMASK,
                            "padTokenId": PAD},
        "period": PERIOD,
        "vocabularySize": VOCABULARY,
        "hiddenSize": HIDDEN,
        "batch": {name: encode(value) for name, value in batch.items()},
        "counts": counts,
        "logits": encode(logits32),
        "logitsCase": {
            "loss": loss.item(),
            "sums": {mode: value.item() for mode, value in sums.items()},
            "accuracy": accuracy,
            "logitsGradient": encode(logits_gradient),
        },
        "hidden": encode(hidden32),
        "weight": encode(weight32),
        "bias": encode(bias32),
        "hiddenCase": {
            "loss": hidden_loss.item(),
            "sums": {mode: value.item() for mode, value in hidden_sums.items()},
            "accuracy": hidden_accuracy,
            "hiddenGradient": encode(hidden_gradient),
            "weightGradient": encode(weight_gradient),
            "biasGradient": encode(bias_gradient),
        },
    }
    write_json(FIXTURE, document)
    print(f"wrote {FIXTURE.relative_to(REPO_ROOT)}: loss {loss.item():.6f}, counts {counts}, "
          f"accuracy {accuracy:.3f}; hidden loss {hidden_loss.item():.6f}")


if __name__ == "__main__":
    main()
