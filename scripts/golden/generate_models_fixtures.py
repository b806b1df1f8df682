#!/usr/bin/env -S /usr/bin/python3
"""Golden forward and backward passes for @lm-objectives/models, computed in float64 with PyTorch.

Writes one JSON fixture that the TypeScript tests load (the tests never run Python):

  packages/models/src/models/__fixtures__/models.golden.json

For each model kind (the BERT encoder, the GLM encoder, the causal decoder) it draws random weights
(biases and LayerNorm parameters included, so that a forgotten bias or gamma shows), random inputs
and masks, and computes with an independent PyTorch implementation:

  - the hidden states `[B, L, H]` (and BERT's pooled output),
  - the gradient of $s = \\sum h \\odot R$ (+ $\\sum \\mathrm{pooled} \\odot R_p$) with respect to
    every weight, for a random `R`.

The attention is PyTorch's own `F.multi_head_attention_forward` (fused input projection, its own
head split), the GELU is `F.gelu(approximate='tanh')`, the LayerNorm `F.layer_norm`: nothing is
shared with the TypeScript code but the architecture and the weight names.

Rerun from the repository root with

    /usr/bin/python3 scripts/golden/generate_models_fixtures.py

It needs Debian's /usr/bin/python3 (with torch and numpy); the output is deterministic.

Every array is stored as {"dtype": "float32" | "float64" | "int32", "shape": [...], "base64": ...}
(little-endian raw bytes). Weights and `R` are rounded to float32 before the expected values are
computed in float64 from the rounded values, so the fixture measures only the TypeScript error.
"""

import base64
import json
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

REPO_ROOT = Path(__file__).resolve().parents[2]
FIXTURE = REPO_ROOT / "packages/models/src/models/__fixtures__/models.golden.json"
GENERATOR = "scripts/golden/generate_models_fixtures.py"
MASKED = -1e9  # core's MASKED_ATTENTION_BIAS

_DTYPE_NAMES = {torch.float32: "float32", torch.float64: "float64", torch.int32: "int32"}


def encode(tensor):
    name = _DTYPE_NAMES[tensor.dtype]
    array = np.ascontiguousarray(tensor.detach().cpu().numpy())
    little_endian = array.astype(array.dtype.newbyteorder("<"), copy=False)
    return {
        "dtype": name,
        "shape": list(array.shape),
        "base64": base64.b64encode(little_endian.tobytes()).decode("ascii"),
    }


def rounded(tensor):
    """float64 values exactly representable in float32."""
    return tensor.to(torch.float32).to(torch.float64)


class Weights:
    """Named float64 leaves, drawn from one generator in a fixed order."""

    def __init__(self, generator):
        self.generator = generator
        self.tensors = {}

    def draw(self, name, shape, kind="normal"):
        noise = torch.randn(*shape, generator=self.generator, dtype=torch.float64)
        if kind == "normal":
            value = 0.5 * noise
        elif kind == "gamma":
            value = 1.0 + 0.2 * noise
        else:  # small offsets: biases and betas
            value = 0.1 * noise
        leaf = rounded(value).requires_grad_(True)
        self.tensors[name] = leaf
        return leaf

    def __getitem__(self, name):
        return self.tensors[name]


def build_weights(generator, kind, config):
    hidden, inner = config["hiddenSize"], config["intermediateSize"]
    weights = Weights(generator)
    weights.draw("embeddings.token", (config["vocabularySize"], hidden))
    weights.draw("embeddings.position", (config["maxPositions"], hidden))
    if kind == "bert-encoder":
        weights.draw("embeddings.segment", (config["typeVocabularySize"], hidden))
    if kind == "glm-encoder":
        weights.draw("embeddings.blockPosition", (config["maxBlockPositions"], hidden))
    if config["normalization"] == "post":
        weights.draw("embeddings.layerNorm.gamma", (hidden,), "gamma")
        weights.draw("embeddings.layerNorm.beta", (hidden,), "offset")
    for layer in range(config["numLayers"]):
        for part in ("query", "key", "value", "output"):
            weights.draw(f"layers.{layer}.attention.{part}.kernel", (hidden, hidden))
            weights.draw(f"layers.{layer}.attention.{part}.bias", (hidden,), "offset")
        weights.draw(f"layers.{layer}.attention.layerNorm.gamma", (hidden,), "gamma")
        weights.draw(f"layers.{layer}.attention.layerNorm.beta", (hidden,), "offset")
        weights.draw(f"layers.{layer}.feedForward.intermediate.kernel", (hidden, inner))
        weights.draw(f"layers.{layer}.feedForward.intermediate.bias", (inner,), "offset")
        weights.draw(f"layers.{layer}.feedForward.output.kernel", (inner, hidden))
        weights.draw(f"layers.{layer}.feedForward.output.bias", (hidden,), "offset")
        weights.draw(f"layers.{layer}.feedForward.layerNorm.gamma", (hidden,), "gamma")
        weights.draw(f"layers.{layer}.feedForward.layerNorm.beta", (hidden,), "offset")
    if config["normalization"] == "pre":
        weights.draw("finalLayerNorm.gamma", (hidden,), "gamma")
        weights.draw("finalLayerNorm.beta", (hidden,), "offset")
    if config.get("pooler"):
        weights.draw("pooler.dense.kernel", (hidden, hidden))
        weights.draw("pooler.dense.bias", (hidden,), "offset")
    return weights


def layer_norm(x, weights, name, epsilon):
    return F.layer_norm(x, (x.shape[-1],), weights[f"{name}.gamma"], weights[f"{name}.beta"], epsilon)


def attention(x, weights, block, num_heads, bias):
    """PyTorch's multi-head attention; `bias` is the additive mask [B, 1, L, L]."""
    batch, length, hidden = x.shape
    name = f"{block}.attention"
    # PyTorch stores projections as [out, in]; ours are [in, out] kernels.
    in_weight = torch.cat([weights[f"{name}.{part}.kernel"].t() for part in ("query", "key", "value")])
    in_bias = torch.cat([weights[f"{name}.{part}.bias"] for part in ("query", "key", "value")])
    mask = bias.expand(batch, num_heads, length, length).reshape(batch * num_heads, length, length)
    sequence_first = x.transpose(0, 1)
    output, _ = F.multi_head_attention_forward(
        sequence_first, sequence_first, sequence_first, hidden, num_heads,
        in_weight, in_bias, None, None, False, 0.0,
        weights[f"{name}.output.kernel"].t(), weights[f"{name}.output.bias"],
        training=False, need_weights=False, attn_mask=mask,
    )
    return output.transpose(0, 1)


def feed_forward(x, weights, block):
    name = f"{block}.feedForward"
    inner = F.gelu(x @ weights[f"{name}.intermediate.kernel"] + weights[f"{name}.intermediate.bias"], approximate="tanh")
    return inner @ weights[f"{name}.output.kernel"] + weights[f"{name}.output.bias"]


def forward(kind, config, weights, inputs, bias):
    epsilon = config["layerNormEpsilon"]
    hidden = F.embedding(inputs["inputIds"].long(), weights["embeddings.token"])
    hidden = hidden + F.embedding(inputs["positionIds"].long(), weights["embeddings.position"])
    if kind == "bert-encoder":
        hidden = hidden + F.embedding(inputs["segmentIds"].long(), weights["embeddings.segment"])
    if kind == "glm-encoder":
        hidden = hidden + F.embedding(inputs["blockPositionIds"].long(), weights["embeddings.blockPosition"])
    post = config["normalization"] == "post"
    if post:
        hidden = layer_norm(hidden, weights, "embeddings.layerNorm", epsilon)
    for layer in range(config["numLayers"]):
        block = f"layers.{layer}"
        if post:
            hidden = layer_norm(hidden + attention(hidden, weights, block, config["numHeads"], bias), weights, f"{block}.attention.layerNorm", epsilon)
            hidden = layer_norm(hidden + feed_forward(hidden, weights, block), weights, f"{block}.feedForward.layerNorm", epsilon)
        else:
            hidden = hidden + attention(layer_norm(hidden, weights, f"{block}.attention.layerNorm", epsilon), weights, block, config["numHeads"], bias)
            hidden = hidden + feed_forward(layer_norm(hidden, weights, f"{block}.feedForward.layerNorm", epsilon), weights, block)
    if not post:
        hidden = layer_norm(hidden, weights, "finalLayerNorm", epsilon)
    pooled = None
    if config.get("pooler"):
        pooled = torch.tanh(hidden[:, 0] @ weights["pooler.dense.kernel"] + weights["pooler.dense.bias"])
    return hidden, pooled


def allowed_to_bias(allowed):
    return torch.where(allowed, torch.zeros((), dtype=torch.float64), torch.full((), MASKED, dtype=torch.float64))


def make_case(kind, seed):
    generator = torch.Generator().manual_seed(seed)
    batch, length = 2, 6
    config = {
        "vocabularySize": 13, "hiddenSize": 8, "numLayers": 2, "numHeads": 2,
        "intermediateSize": 12, "maxPositions": 10,
    }
    if kind == "bert-encoder":
        config.update(normalization="post", layerNormEpsilon=1e-12, typeVocabularySize=3, pooler=True)
    elif kind == "glm-encoder":
        config.update(normalization="pre", layerNormEpsilon=1e-5, maxBlockPositions=6)
    else:
        config.update(normalization="pre", layerNormEpsilon=1e-5)
    weights = build_weights(generator, kind, config)
    input_ids = torch.randint(0, config["vocabularySize"], (batch, length), generator=generator, dtype=torch.int32)
    inputs = {"inputIds": input_ids}
    keys = torch.arange(length)
    if kind == "bert-encoder":
        inputs["segmentIds"] = torch.tensor([[0, 0, 0, 1, 1, 1], [0, 0, 1, 1, 0, 0]], dtype=torch.int32)
        inputs["positionIds"] = keys.repeat(batch, 1).to(torch.int32)
        inputs["attentionMask"] = torch.tensor([[1] * 6, [1, 1, 1, 1, 0, 0]], dtype=torch.int32)
        bias = allowed_to_bias(inputs["attentionMask"].bool()).reshape(batch, 1, 1, length)
    elif kind == "glm-encoder":
        inputs["positionIds"] = torch.tensor([[0, 1, 2, 2, 2, 2], [0, 1, 2, 3, 1, 1]], dtype=torch.int32)
        inputs["blockPositionIds"] = torch.tensor([[0, 0, 0, 1, 2, 3], [0, 0, 0, 0, 1, 2]], dtype=torch.int32)
        separators = torch.tensor([3, 4])
        inputs["separators"] = separators.to(torch.int32)
        allowed = (keys.reshape(1, 1, length) < separators.reshape(batch, 1, 1)) | (keys.reshape(1, 1, length) <= keys.reshape(1, length, 1))
        bias = allowed_to_bias(allowed).reshape(batch, 1, length, length)
    else:
        inputs["positionIds"] = keys.repeat(batch, 1).to(torch.int32)
        inputs["attentionMask"] = torch.tensor([[1] * 6, [1, 1, 1, 1, 1, 0]], dtype=torch.int32)
        causal = keys.reshape(1, 1, length) <= keys.reshape(1, length, 1)
        allowed = causal & inputs["attentionMask"].bool().reshape(batch, 1, length)
        bias = allowed_to_bias(allowed).reshape(batch, 1, length, length)
    hidden, pooled = forward(kind, config, weights, inputs, bias)
    projection = rounded(torch.randn(*hidden.shape, generator=generator, dtype=torch.float64))
    score = (hidden * projection).sum()
    pooled_projection = None
    if pooled is not None:
        pooled_projection = rounded(torch.randn(*pooled.shape, generator=generator, dtype=torch.float64))
        score = score + (pooled * pooled_projection).sum()
    score.backward()
    case = {
        "kind": kind,
        "config": config,
        "weights": {name: encode(leaf.detach().to(torch.float32)) for name, leaf in weights.tensors.items()},
        "inputs": {name: encode(value) for name, value in inputs.items()},
        "hiddenStates": encode(hidden.detach()),
        "scoreWeights": encode(projection.to(torch.float32)),
        "gradients": {name: encode(leaf.grad) for name, leaf in weights.tensors.items()},
    }
    if pooled is not None:
        case["pooledOutput"] = encode(pooled.detach())
        case["pooledScoreWeights"] = encode(pooled_projection.to(torch.float32))
    return case


def main():
    torch.set_default_dtype(torch.float64)
    cases = [make_case(kind, seed) for seed, kind in enumerate(["bert-encoder", "glm-encoder", "causal-decoder"], start=7)]
    document = {
        "generator": GENERATOR,
        "torch": torch.__version__,
        "description": "hidden states and gradients of sum(h * R) for each model kind, float64 PyTorch reference",
        "cases": cases,
    }
    FIXTURE.parent.mkdir(parents=True, exist_ok=True)
    lines = ["{"]
    items = list(document.items())
    for index, (key, value) in enumerate(items):
        comma = "," if index < len(items) - 1 else ""
        if key == "cases":
            lines.append(' "cases": [')
            for case_index, case in enumerate(value):
                case_comma = "," if case_index < len(value) - 1 else ""
                lines.append("  " + json.dumps(case, separators=(",", ":"), allow_nan=False) + case_comma)
            lines.append(" ]" + comma)
        else:
            lines.append(f" {json.dumps(key)}: {json.dumps(value)}{comma}")
    lines.append("}")
    FIXTURE.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {FIXTURE.relative_to(REPO_ROOT)}")


if __name__ == "__main__":
    main()
