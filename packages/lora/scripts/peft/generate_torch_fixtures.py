"""Cross-runtime check of LoRA adapters with PyTorch (no PEFT needed).

Run with Debian's interpreter from packages/lora, after scripts/peft/export-fixture.ts:
    /usr/bin/python3 scripts/peft/generate_torch_fixtures.py

(a) Reads the adapter this project exported (src/peft/__fixtures__/exported): parses
    adapter_model.safetensors by hand with numpy, builds a torch.nn.Linear per linear with the
    same base weights (this project's kernel [in, out] is torch's weight.T), applies
    W + (alpha / r) * B @ A, and writes the outputs for the case's input (float64) to
    exported/torch-expected.golden.json.
(b) Writes a PEFT-layout adapter (adapter_config.golden.json, i.e. adapter_config.json, + adapter_model.safetensors, LLaMA module
    names, rsLoRA, one module stored as float16, one unknown config key) with torch's base weights
    and outputs to src/peft/__fixtures__/from-torch, for this project to load and apply.
"""

import json
import math
import pathlib
import struct

import numpy as np
import torch

ROOT = pathlib.Path(__file__).resolve().parents[2] / "src" / "peft" / "__fixtures__"
DTYPES = {"F32": "<f4", "F16": "<f2", "F64": "<f8"}
ORDER = ["BOOL", "U8", "I8", "F8_E5M2", "F8_E4M3", "I16", "U16", "F16", "BF16", "I32", "U32", "F32", "F64", "I64", "U64"]
PREFIX = "base_model.model."


def read_safetensors(path):
    raw = path.read_bytes()
    (length,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8 : 8 + length])
    data = raw[8 + length :]
    tensors = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        begin, end = info["data_offsets"]
        array = np.frombuffer(data[begin:end], dtype=DTYPES[info["dtype"]]).reshape(info["shape"])
        tensors[name] = array
    return tensors, header.get("__metadata__", {})


def write_safetensors(path, tensors, metadata):
    named = {name: (("F16" if array.dtype == np.float16 else "F32"), array) for name, array in tensors.items()}
    ordered = sorted(named.items(), key=lambda item: (-ORDER.index(item[1][0]), item[0]))
    header = {"__metadata__": metadata}
    offset = 0
    chunks = []
    for name, (dtype, array) in ordered:
        data = np.ascontiguousarray(array).astype(DTYPES[dtype]).tobytes()
        header[name] = {"dtype": dtype, "shape": list(array.shape), "data_offsets": [offset, offset + len(data)]}
        offset += len(data)
        chunks.append(data)
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * ((8 - len(text) % 8) % 8)
    path.write_bytes(struct.pack("<Q", len(text)) + text + b"".join(chunks))


def bert_path(name):
    layer, rest = name.split(".")[1], ".".join(name.split(".")[2:])
    table = {
        "attention.query": "attention.self.query",
        "attention.key": "attention.self.key",
        "attention.value": "attention.self.value",
        "attention.output": "attention.output.dense",
        "feedForward.intermediate": "intermediate.dense",
        "feedForward.output": "output.dense",
    }
    return f"bert.encoder.layer.{layer}.{table[rest]}"


def linear_with_lora(weight_out_in, bias, lora_a=None, lora_b=None, scaling=0.0):
    """A float64 torch.nn.Linear holding W (+ scaling * B @ A when an adapter is given)."""
    out_features, in_features = weight_out_in.shape
    layer = torch.nn.Linear(in_features, out_features).double()
    with torch.no_grad():
        weight = torch.from_numpy(np.asarray(weight_out_in, dtype=np.float64))
        if lora_a is not None:
            a = torch.from_numpy(np.asarray(lora_a, dtype=np.float64))
            b = torch.from_numpy(np.asarray(lora_b, dtype=np.float64))
            weight = weight + scaling * (b @ a)
        layer.weight.copy_(weight)
        layer.bias.copy_(torch.from_numpy(np.asarray(bias, dtype=np.float64)))
    return layer


def check_exported():
    directory = ROOT / "exported"
    case = json.loads((directory / "case.golden.json").read_text())
    config = json.loads((directory / "adapter_config.golden.json").read_text())
    tensors, metadata = read_safetensors(directory / "adapter_model.safetensors")
    assert metadata == {"format": "pt"}, metadata
    scaling = config["lora_alpha"] / (math.sqrt(config["r"]) if config["use_rslora"] else config["r"])
    x = torch.tensor(case["input"], dtype=torch.float64).reshape(case["inputShape"])
    outputs = {}
    adapted = []
    for name, linear in case["linears"].items():
        in_features, out_features = linear["shape"]
        weight = np.asarray(linear["kernel"], dtype=np.float32).reshape(in_features, out_features).T
        key = PREFIX + bert_path(name)
        lora_a = tensors.get(key + ".lora_A.weight")
        lora_b = tensors.get(key + ".lora_B.weight")
        if lora_a is not None:
            assert lora_a.shape == (config["r"], in_features) and lora_b.shape == (out_features, config["r"])
            adapted.append(name)
        if in_features != x.shape[1]:
            continue  # the case's input fits the linears that read the hidden size
        layer = linear_with_lora(weight, linear["bias"], lora_a, lora_b, scaling)
        with torch.no_grad():
            outputs[name] = layer(x).reshape(-1).tolist()
    expected = {"scaling": scaling, "adapted": adapted, "outputs": outputs}
    (directory / "torch-expected.golden.json").write_text(json.dumps(expected, indent=1) + "\n")


def write_from_torch():
    directory = ROOT / "from-torch"
    directory.mkdir(parents=True, exist_ok=True)
    generator = torch.Generator().manual_seed(2024)
    rank, alpha = 2, 4
    scaling = alpha / math.sqrt(rank)  # use_rslora
    shapes = {  # this project's name: (python module, in, out)
        "layers.0.attention.query": ("model.layers.0.self_attn.q_proj", 8, 8),
        "layers.0.attention.value": ("model.layers.0.self_attn.v_proj", 8, 8),
        "layers.0.feedForward.output": ("model.layers.0.mlp.down_proj", 12, 8),
        "layers.0.feedForward.intermediate": ("model.layers.0.mlp.up_proj", 8, 12),
    }
    adapted = ["layers.0.attention.query", "layers.0.attention.value", "layers.0.feedForward.output"]
    base = {}
    weights = {}
    inputs = {}
    outputs = {}
    for name, (module, in_features, out_features) in shapes.items():
        weight = (torch.randn(out_features, in_features, generator=generator) * 0.3).float().numpy()
        bias = (torch.randn(out_features, generator=generator) * 0.1).float().numpy()
        base[name] = {"weight": weight.ravel().tolist(), "bias": bias.tolist(), "shape": [out_features, in_features]}
        x = torch.randn(3, in_features, generator=generator, dtype=torch.float64).float().double()
        inputs[name] = x.reshape(-1).tolist()
        lora_a = lora_b = None
        if name in adapted:
            lora_a = (torch.randn(rank, in_features, generator=generator) * 0.5).float().numpy()
            lora_b = (torch.randn(out_features, rank, generator=generator) * 0.5).float().numpy()
            if name == "layers.0.attention.value":
                # Stored as float16: the reference uses the rounded values the file holds.
                lora_a, lora_b = lora_a.astype(np.float16), lora_b.astype(np.float16)
            weights[PREFIX + module + ".lora_A.weight"] = lora_a
            weights[PREFIX + module + ".lora_B.weight"] = lora_b
        layer = linear_with_lora(weight, bias, lora_a, lora_b, scaling)
        with torch.no_grad():
            outputs[name] = layer(x).reshape(-1).tolist()
    write_safetensors(directory / "adapter_model.safetensors", weights, {"format": "pt"})
    config = {
        "alpha_pattern": {},
        "auto_mapping": None,
        "base_model_name_or_path": "lm-objectives/tiny-llama",
        "bias": "none",
        "fan_in_fan_out": False,
        "inference_mode": True,
        "init_lora_weights": True,
        "layers_pattern": None,
        "layers_to_transform": None,
        "lora_alpha": alpha,
        "lora_dropout": 0.05,
        "modules_to_save": None,
        "peft_type": "LORA",
        "r": rank,
        "rank_pattern": {},
        "revision": None,
        "target_modules": ["q_proj", "v_proj", "down_proj"],
        "task_type": "CAUSAL_LM",
        "use_dora": False,
        "use_rslora": True,
        "x_future_option": {"enabled": True},
    }
    (directory / "adapter_config.golden.json").write_text(json.dumps(config, indent=2, sort_keys=True) + "\n")
    case = {"rank": rank, "alpha": alpha, "scaling": scaling, "adapted": adapted, "base": base, "inputs": inputs, "outputs": outputs}
    (directory / "case.golden.json").write_text(json.dumps(case) + "\n")


if __name__ == "__main__":
    check_exported()
    write_from_torch()
