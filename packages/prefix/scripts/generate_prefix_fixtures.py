#!/usr/bin/env -S /usr/bin/python3
"""Golden prefix-tuning forward and backward passes for @lm-objectives/prefix, in float64 PyTorch.

Writes the JSON fixture that the TypeScript tests load (the tests never run Python):

  packages/prefix/src/integration/__fixtures__/prefix.golden.json

For a 2-layer pre-LN causal decoder (GPT-2 style, the architecture of @lm-objectives/models'
createCausalDecoder) with random weights, and a prefix of P = 3 virtual tokens, with and without the
reparameterising MLP, it computes:

  - the projected prefix T [P, L*2*H] (table, or tanh(E W1 + b1) W2 + b2),
  - the hidden states [B, L, H] of a padded batch with the prefix in every layer,
  - the gradient of s = sum(h * R) (random R) with respect to every prefix weight.

The prefix is laid out the way Hugging Face PEFT does it: T.view(P, layers*2, heads, d)
.permute(1, 2, 0, 3), layer l's keys at index 2l and values at 2l+1. Attention is PyTorch's
F.multi_head_attention_forward with `static_k` / `static_v` = [prefix; own projected keys/values]
and an additive mask whose P prefix columns are 0 (always visible) in front of the causal and
padding mask over the real tokens. Positions are 0..L-1 for the real tokens (not shifted by P).

Rerun from the repository root with

    /usr/bin/python3 packages/prefix/scripts/generate_prefix_fixtures.py

It needs Debian's /usr/bin/python3 (torch 1.13, numpy); the output is deterministic. Arrays are
stored as {"dtype", "shape", "base64"} (little-endian). Every input is rounded to float32 first, so
the fixture measures only the TypeScript error.
"""

import base64
import json
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

FIXTURE = Path(__file__).resolve().parents[1] / "src/integration/__fixtures__/prefix.golden.json"
MASKED = -1e9  # core's MASKED_ATTENTION_BIAS
_DTYPE_NAMES = {torch.float64: "float64", torch.int32: "int32", torch.float32: "float32"}


def encode(tensor):
    array = np.ascontiguousarray(tensor.detach().cpu().numpy())
    return {
        "dtype": _DTYPE_NAMES[tensor.dtype],
        "shape": list(array.shape),
        "base64": base64.b64encode(array.astype(array.dtype.newbyteorder("<")).tobytes()).decode("ascii"),
    }


def leaf(generator, shape, scale, offset=0.0):
    value = offset + scale * torch.randn(*shape, generator=generator, dtype=torch.float64)
    return value.to(torch.float32).to(torch.float64).requires_grad_(True)


def layer_norm(x, weights, name):
    return F.layer_norm(x, (x.shape[-1],), weights[f"{name}.gamma"], weights[f"{name}.beta"], 1e-5)


def attention(x, weights, block, heads, prefix_key, prefix_value, mask):
    batch, length, hidden = x.shape
    size = hidden // heads
    name = f"{block}.attention"

    def own(part):  # [B, L, H] -> [B*heads, L, d]
        projected = x @ weights[f"{name}.{part}.kernel"] + weights[f"{name}.{part}.bias"]
        return projected.reshape(batch, length, heads, size).transpose(1, 2).reshape(batch * heads, length, size)

    def with_prefix(prefix, part):  # prefix [heads, P, d] shared by every row
        shared = prefix.unsqueeze(0).expand(batch, -1, -1, -1).reshape(batch * heads, -1, size)
        return torch.cat([shared, own(part)], dim=1)

    in_weight = torch.cat([weights[f"{name}.{part}.kernel"].t() for part in ("query", "key", "value")])
    in_bias = torch.cat([weights[f"{name}.{part}.bias"] for part in ("query", "key", "value")])
    sequence_first = x.transpose(0, 1)
    # static_k / static_v replace the key and value projections; the key input only sets the
    # key length (P + L) that the mask is checked against, so a zero placeholder stands in.
    placeholder = torch.zeros(prefix_key.shape[1] + length, batch, hidden, dtype=x.dtype)
    output, _ = F.multi_head_attention_forward(
        sequence_first, placeholder, placeholder, hidden, heads,
        in_weight, in_bias, None, None, False, 0.0,
        weights[f"{name}.output.kernel"].t(), weights[f"{name}.output.bias"],
        training=False, need_weights=False, attn_mask=mask,
        static_k=with_prefix(prefix_key, "key"), static_v=with_prefix(prefix_value, "value"),
    )
    return output.transpose(0, 1)


def make_case(seed, projection):
    generator = torch.Generator().manual_seed(seed)
    config = {"vocabularySize": 11, "hiddenSize": 8, "numLayers": 2, "numHeads": 2,
              "intermediateSize": 12, "maxPositions": 8}
    hidden, heads, layers = config["hiddenSize"], config["numHeads"], config["numLayers"]
    size = hidden // heads
    batch, length, virtual_tokens, encoder_hidden = 2, 5, 3, 6
    width = layers * 2 * hidden

    model = {}
    model["embeddings.token"] = leaf(generator, (config["vocabularySize"], hidden), 0.5)
    model["embeddings.position"] = leaf(generator, (config["maxPositions"], hidden), 0.5)
    for layer in range(layers):
        block = f"layers.{layer}"
        for part in ("query", "key", "value", "output"):
            model[f"{block}.attention.{part}.kernel"] = leaf(generator, (hidden, hidden), 0.5)
            model[f"{block}.attention.{part}.bias"] = leaf(generator, (hidden,), 0.1)
        for norm in ("attention", "feedForward"):
            model[f"{block}.{norm}.layerNorm.gamma"] = leaf(generator, (hidden,), 0.2, 1.0)
            model[f"{block}.{norm}.layerNorm.beta"] = leaf(generator, (hidden,), 0.1)
        model[f"{block}.feedForward.intermediate.kernel"] = leaf(generator, (hidden, config["intermediateSize"]), 0.5)
        model[f"{block}.feedForward.intermediate.bias"] = leaf(generator, (config["intermediateSize"],), 0.1)
        model[f"{block}.feedForward.output.kernel"] = leaf(generator, (config["intermediateSize"], hidden), 0.5)
        model[f"{block}.feedForward.output.bias"] = leaf(generator, (hidden,), 0.1)
    model["finalLayerNorm.gamma"] = leaf(generator, (hidden,), 0.2, 1.0)
    model["finalLayerNorm.beta"] = leaf(generator, (hidden,), 0.1)

    prefix = {}
    if projection:
        prefix["embedding"] = leaf(generator, (virtual_tokens, hidden), 1.0)
        prefix["projection.hidden.kernel"] = leaf(generator, (hidden, encoder_hidden), 0.5)
        prefix["projection.hidden.bias"] = leaf(generator, (encoder_hidden,), 0.1)
        prefix["projection.output.kernel"] = leaf(generator, (encoder_hidden, width), 0.5)
        prefix["projection.output.bias"] = leaf(generator, (width,), 0.1)
        projected = torch.tanh(prefix["embedding"] @ prefix["projection.hidden.kernel"] + prefix["projection.hidden.bias"])
        projected = projected @ prefix["projection.output.kernel"] + prefix["projection.output.bias"]
    else:
        prefix["embedding"] = leaf(generator, (virtual_tokens, width), 0.5)
        projected = prefix["embedding"]
    per_layer = projected.view(virtual_tokens, layers * 2, heads, size).permute(1, 2, 0, 3)

    input_ids = torch.randint(0, config["vocabularySize"], (batch, length), generator=generator, dtype=torch.int32)
    attention_mask = torch.tensor([[1, 1, 1, 1, 1], [1, 1, 1, 0, 0]], dtype=torch.int32)
    query = torch.arange(length).reshape(length, 1)
    key = torch.arange(length).reshape(1, length)
    allowed = (key <= query).unsqueeze(0) & attention_mask.bool().reshape(batch, 1, length)
    own_bias = torch.where(allowed, torch.zeros((), dtype=torch.float64), torch.full((), MASKED, dtype=torch.float64))
    bias = torch.cat([torch.zeros(batch, length, virtual_tokens, dtype=torch.float64), own_bias], dim=2)
    mask = bias.unsqueeze(1).expand(batch, heads, length, virtual_tokens + length).reshape(batch * heads, length, -1)

    positions = torch.arange(length).repeat(batch, 1)
    h = F.embedding(input_ids.long(), model["embeddings.token"]) + F.embedding(positions, model["embeddings.position"])
    for layer in range(layers):
        block = f"layers.{layer}"
        h = h + attention(layer_norm(h, model, f"{block}.attention.layerNorm"), model, block, heads,
                          per_layer[2 * layer], per_layer[2 * layer + 1], mask)
        inner = layer_norm(h, model, f"{block}.feedForward.layerNorm")
        inner = F.gelu(inner @ model[f"{block}.feedForward.intermediate.kernel"] + model[f"{block}.feedForward.intermediate.bias"], approximate="tanh")
        h = h + inner @ model[f"{block}.feedForward.output.kernel"] + model[f"{block}.feedForward.output.bias"]
    h = layer_norm(h, model, "finalLayerNorm")

    score_weights = torch.randn(h.shape, generator=generator, dtype=torch.float64).to(torch.float32).to(torch.float64)
    (h * score_weights).sum().backward()
    return {
        "config": config,
        "prefixOptions": {"numVirtualTokens": virtual_tokens, "prefixProjection": projection,
                          **({"encoderHiddenSize": encoder_hidden} if projection else {})},
        "modelWeights": {name: encode(value.detach().to(torch.float32)) for name, value in model.items()},
        "prefixWeights": {name: encode(value.detach().to(torch.float32)) for name, value in prefix.items()},
        "inputs": {"inputIds": encode(input_ids), "attentionMask": encode(attention_mask)},
        "projected": encode(projected.detach()),
        "hiddenStates": encode(h.detach()),
        "scoreWeights": encode(score_weights.to(torch.float32)),
        "gradients": {name: encode(value.grad) for name, value in prefix.items()},
    }


def main():
    cases = [make_case(11, projection=False), make_case(12, projection=True)]
    FIXTURE.parent.mkdir(parents=True, exist_ok=True)
    FIXTURE.write_text(json.dumps({"generator": "packages/prefix/scripts/generate_prefix_fixtures.py",
                                   "torch": torch.__version__, "cases": cases}, indent=1) + "\n")
    print(f"wrote {FIXTURE}")


if __name__ == "__main__":
    main()
