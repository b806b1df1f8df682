#!/usr/bin/env -S /usr/bin/python3
"""Loads the checkpoints that `@lm-objectives/models` exported (scripts/export-fixtures.ts) into the
plain-PyTorch architectures of `hugging_face_models.py`, and records what PyTorch computes:

  packages/models/src/hugging-face/__fixtures__/exported/<case>/torch-check.json

Loading is strict, as `from_pretrained` is for a complete checkpoint: the file must hold exactly
the tensors the architecture defines for its config.json (tied copies left out, as
`save_pretrained` leaves them out), each of the defined shape. The logits and the loss for the same
fixed inputs as the import fixtures are computed in float64; the TypeScript test compares its own
outputs with them (CI never runs Python). Rerun from the repository root with

    /usr/bin/python3 packages/models/scripts/check_exported_checkpoints.py
"""

import json
from pathlib import Path

from generate_hugging_face_fixtures import (
    ATTENTION_MASK,
    CAUSAL_LABELS,
    INPUT_IDS,
    MLM_LABELS,
    NEXT_SENTENCE_LABEL,
    TOKEN_TYPE_IDS,
)
from hugging_face_models import ARCHITECTURES, bert_loss, causal_lm_loss, read_safetensors

ROOT = Path(__file__).resolve().parents[1] / "src/hugging-face/__fixtures__/exported"


def check(folder):
    config = json.loads((folder / "config.json").read_text())
    architecture = config["architectures"][0]
    shapes_of, forward = ARCHITECTURES[architecture]
    weights = read_safetensors(folder / "model.safetensors")
    shapes = shapes_of(config)
    missing = sorted(set(shapes) - set(weights))
    unexpected = sorted(set(weights) - set(shapes))
    if missing or unexpected:
        raise SystemExit(f"{folder.name}: missing {missing}, unexpected {unexpected}")
    for name, shape in shapes.items():
        if list(weights[name].shape) != shape:
            raise SystemExit(f"{folder.name}: {name} has shape {list(weights[name].shape)}, expected {shape}")
    if architecture == "BertForPreTraining":
        logits, nsp = forward(weights, config, INPUT_IDS, TOKEN_TYPE_IDS, ATTENTION_MASK)
        result = {
            "logits": logits.tolist(),
            "nextSentenceLogits": nsp.tolist(),
            "loss": bert_loss(logits, nsp, MLM_LABELS, NEXT_SENTENCE_LABEL).item(),
        }
    else:
        logits = forward(weights, config, INPUT_IDS, ATTENTION_MASK)
        result = {"logits": logits.tolist(), "loss": causal_lm_loss(logits, CAUSAL_LABELS).item()}
    document = {
        "checker": "packages/models/scripts/check_exported_checkpoints.py",
        "architecture": architecture,
        "loadedTensors": len(shapes),
        "hiddenAct": config.get("hidden_act", config.get("activation_function")),
        **result,
    }
    (folder / "torch-check.json").write_text(json.dumps(document) + "\n")
    print(f"{folder.name}: {architecture}, {len(shapes)} tensors loaded strictly, loss {result['loss']:.6f}")


def main():
    for folder in sorted(ROOT.iterdir()):
        check(folder)


if __name__ == "__main__":
    main()
