"""Plain-PyTorch definitions of three Hugging Face architectures, written from their published
definitions (the `transformers` package is not installed here), with their exact `state_dict`
names and `config.json` keys:

  - BertForPreTraining (modeling_bert): post-LN encoder, exact GELU ("gelu"), pooler,
    masked-LM transform, decoder tied to the word embeddings with its own bias, NSP classifier;
  - GPT2LMHeadModel (modeling_gpt2): pre-LN decoder with Conv1D weights [in, out], a fused
    c_attn (query | key | value along the output axis), "gelu_new" (tanh), tied head;
  - LlamaForCausalLM (modeling_llama): RMSNorm, rotary positions (rotate-half), SwiGLU,
    grouped-query attention, no biases, untied head (or tied with tie_word_embeddings).

Also a minimal safetensors reader and writer (the format: an 8-byte little-endian header length,
a JSON header, then the raw little-endian data), so that nothing but torch and numpy is needed.
Everything runs in float64; weights are stored in float32, float16 or bfloat16.
"""

import json
import math
import struct

import numpy as np
import torch
import torch.nn.functional as F

MIN = torch.finfo(torch.float64).min


# ---------------------------------------------------------------- safetensors


_DTYPES = {
    "F32": (torch.float32, 4),
    "F16": (torch.float16, 2),
    "BF16": (torch.bfloat16, 2),
    "F64": (torch.float64, 8),
    "I64": (torch.int64, 8),
}


def write_safetensors(path, tensors, dtype="F32"):
    """Writes {name: float tensor} stored as `dtype`, names sorted, data tiled in that order."""
    header, chunks, offset = {"__metadata__": {"format": "pt"}}, [], 0
    for name in sorted(tensors):
        value = tensors[name].detach().to(_DTYPES[dtype][0]).contiguous()
        if dtype == "BF16":
            raw = value.view(torch.int16).numpy().astype("<i2").tobytes()
        else:
            raw = value.numpy().astype(value.numpy().dtype.newbyteorder("<")).tobytes()
        header[name] = {"dtype": dtype, "shape": list(value.shape), "data_offsets": [offset, offset + len(raw)]}
        chunks.append(raw)
        offset += len(raw)
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as file:
        file.write(struct.pack("<Q", len(text)))
        file.write(text)
        for raw in chunks:
            file.write(raw)


def read_safetensors(path):
    """Reads every tensor as float64 (F32, F16, BF16, F64) or int64 (I64)."""
    with open(path, "rb") as file:
        data = file.read()
    (length,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8 : 8 + length].decode("utf-8"))
    start, result = 8 + length, {}
    for name, entry in header.items():
        if name == "__metadata__":
            continue
        torch_dtype, _ = _DTYPES[entry["dtype"]]
        begin, end = entry["data_offsets"]
        raw = bytearray(data[start + begin : start + end])
        if entry["dtype"] == "BF16":
            bits = torch.frombuffer(raw, dtype=torch.int16) if raw else torch.zeros(0, dtype=torch.int16)
            value = bits.view(torch.bfloat16)
        else:
            value = torch.frombuffer(raw, dtype=torch_dtype) if raw else torch.zeros(0, dtype=torch_dtype)
        value = value.reshape(entry["shape"])
        result[name] = value.to(torch.int64 if entry["dtype"] == "I64" else torch.float64)
    return result


# ---------------------------------------------------------------- shared pieces


def padding_bias(attention_mask):
    """[B, 1, 1, L]: 0 for real tokens, the dtype's minimum for padding (HF's extended mask)."""
    return (1.0 - attention_mask[:, None, None, :].to(torch.float64)) * MIN


def causal_bias(length):
    allowed = torch.tril(torch.ones(length, length, dtype=torch.bool))
    zero = torch.zeros(length, length, dtype=torch.float64)
    return torch.where(allowed, zero, torch.full_like(zero, MIN))[None, None]


def attend(query, key, value, bias):
    """softmax(q k^T / sqrt(d) + bias) v for [B, heads, L, d]."""
    scores = query @ key.transpose(-1, -2) / math.sqrt(query.shape[-1])
    # HF adds both masks to the scores; clamping at MIN keeps MIN + MIN finite.
    scores = torch.clamp(scores + bias, min=MIN)
    return torch.softmax(scores, dim=-1) @ value


def split_heads(x, heads):
    batch, length, size = x.shape
    return x.view(batch, length, heads, size // heads).transpose(1, 2)


def merge_heads(x):
    batch, heads, length, size = x.shape
    return x.transpose(1, 2).reshape(batch, length, heads * size)


def gelu_new(x):
    return 0.5 * x * (1.0 + torch.tanh(math.sqrt(2.0 / math.pi) * (x + 0.044715 * torch.pow(x, 3.0))))


def causal_lm_loss(logits, labels):
    """HF's causal-LM loss: logits[:, :-1] predict labels[:, 1:], mean over labels != -100."""
    shifted = logits[:, :-1].reshape(-1, logits.shape[-1])
    return F.cross_entropy(shifted, labels[:, 1:].reshape(-1), ignore_index=-100)


# ---------------------------------------------------------------- BERT


def bert_shapes(config):
    h, v, i = config["hidden_size"], config["vocab_size"], config["intermediate_size"]
    shapes = {
        "bert.embeddings.word_embeddings.weight": [v, h],
        "bert.embeddings.position_embeddings.weight": [config["max_position_embeddings"], h],
        "bert.embeddings.token_type_embeddings.weight": [config["type_vocab_size"], h],
        "bert.embeddings.LayerNorm.weight": [h],
        "bert.embeddings.LayerNorm.bias": [h],
    }
    for layer in range(config["num_hidden_layers"]):
        p = f"bert.encoder.layer.{layer}."
        for part in ["attention.self.query", "attention.self.key", "attention.self.value", "attention.output.dense"]:
            shapes[p + part + ".weight"] = [h, h]
            shapes[p + part + ".bias"] = [h]
        shapes[p + "attention.output.LayerNorm.weight"] = [h]
        shapes[p + "attention.output.LayerNorm.bias"] = [h]
        shapes[p + "intermediate.dense.weight"] = [i, h]
        shapes[p + "intermediate.dense.bias"] = [i]
        shapes[p + "output.dense.weight"] = [h, i]
        shapes[p + "output.dense.bias"] = [h]
        shapes[p + "output.LayerNorm.weight"] = [h]
        shapes[p + "output.LayerNorm.bias"] = [h]
    shapes.update(
        {
            "bert.pooler.dense.weight": [h, h],
            "bert.pooler.dense.bias": [h],
            "cls.predictions.bias": [v],
            "cls.predictions.transform.dense.weight": [h, h],
            "cls.predictions.transform.dense.bias": [h],
            "cls.predictions.transform.LayerNorm.weight": [h],
            "cls.predictions.transform.LayerNorm.bias": [h],
            "cls.seq_relationship.weight": [2, h],
            "cls.seq_relationship.bias": [2],
        }
    )
    return shapes


def bert_forward(w, config, input_ids, token_type_ids, attention_mask):
    """BertForPreTraining: (prediction logits [B, L, V], seq_relationship logits [B, 2])."""
    eps, heads = config["layer_norm_eps"], config["num_attention_heads"]
    act = F.gelu if config["hidden_act"] == "gelu" else gelu_new
    h_size = config["hidden_size"]

    def norm(x, name):
        return F.layer_norm(x, (h_size,), w[name + ".weight"], w[name + ".bias"], eps)

    def dense(x, name):
        return F.linear(x, w[name + ".weight"], w[name + ".bias"])

    length = input_ids.shape[1]
    x = (
        w["bert.embeddings.word_embeddings.weight"][input_ids]
        + w["bert.embeddings.position_embeddings.weight"][torch.arange(length)][None]
        + w["bert.embeddings.token_type_embeddings.weight"][token_type_ids]
    )
    x = norm(x, "bert.embeddings.LayerNorm")
    bias = padding_bias(attention_mask)
    for layer in range(config["num_hidden_layers"]):
        p = f"bert.encoder.layer.{layer}."
        q, k, v = (split_heads(dense(x, p + "attention.self." + n), heads) for n in ["query", "key", "value"])
        context = merge_heads(attend(q, k, v, bias))
        x = norm(dense(context, p + "attention.output.dense") + x, p + "attention.output.LayerNorm")
        inner = act(dense(x, p + "intermediate.dense"))
        x = norm(dense(inner, p + "output.dense") + x, p + "output.LayerNorm")
    pooled = torch.tanh(dense(x[:, 0], "bert.pooler.dense"))
    transformed = norm(act(dense(x, "cls.predictions.transform.dense")), "cls.predictions.transform.LayerNorm")
    logits = transformed @ w["bert.embeddings.word_embeddings.weight"].T + w["cls.predictions.bias"]
    return logits, dense(pooled, "cls.seq_relationship")


def bert_loss(logits, nsp_logits, labels, next_sentence_label):
    """BertForPreTraining's total loss: masked-LM cross-entropy + next-sentence cross-entropy."""
    mlm = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), labels.reshape(-1), ignore_index=-100)
    return mlm + F.cross_entropy(nsp_logits, next_sentence_label)


# ---------------------------------------------------------------- GPT-2


def gpt2_shapes(config):
    h, v = config["n_embd"], config["vocab_size"]
    inner = config.get("n_inner") or 4 * h
    shapes = {"transformer.wte.weight": [v, h], "transformer.wpe.weight": [config["n_positions"], h]}
    for layer in range(config["n_layer"]):
        p = f"transformer.h.{layer}."
        shapes.update(
            {
                p + "ln_1.weight": [h],
                p + "ln_1.bias": [h],
                p + "attn.c_attn.weight": [h, 3 * h],
                p + "attn.c_attn.bias": [3 * h],
                p + "attn.c_proj.weight": [h, h],
                p + "attn.c_proj.bias": [h],
                p + "ln_2.weight": [h],
                p + "ln_2.bias": [h],
                p + "mlp.c_fc.weight": [h, inner],
                p + "mlp.c_fc.bias": [inner],
                p + "mlp.c_proj.weight": [inner, h],
                p + "mlp.c_proj.bias": [h],
            }
        )
    shapes["transformer.ln_f.weight"] = [h]
    shapes["transformer.ln_f.bias"] = [h]
    return shapes


def gpt2_forward(w, config, input_ids, attention_mask):
    """GPT2LMHeadModel: logits [B, L, V] (Conv1D: y = x W + b with W [in, out])."""
    h_size, heads, eps = config["n_embd"], config["n_head"], config["layer_norm_epsilon"]

    def norm(x, name):
        return F.layer_norm(x, (h_size,), w[name + ".weight"], w[name + ".bias"], eps)

    def conv1d(x, name):
        return x @ w[name + ".weight"] + w[name + ".bias"]

    length = input_ids.shape[1]
    x = w["transformer.wte.weight"][input_ids] + w["transformer.wpe.weight"][torch.arange(length)][None]
    bias = causal_bias(length) + padding_bias(attention_mask)
    for layer in range(config["n_layer"]):
        p = f"transformer.h.{layer}."
        q, k, v = conv1d(norm(x, p + "ln_1"), p + "attn.c_attn").split(h_size, dim=2)
        context = merge_heads(attend(split_heads(q, heads), split_heads(k, heads), split_heads(v, heads), bias))
        x = x + conv1d(context, p + "attn.c_proj")
        x = x + conv1d(gelu_new(conv1d(norm(x, p + "ln_2"), p + "mlp.c_fc")), p + "mlp.c_proj")
    x = norm(x, "transformer.ln_f")
    return x @ w["transformer.wte.weight"].T


# ---------------------------------------------------------------- Llama


def llama_shapes(config):
    h, v, i = config["hidden_size"], config["vocab_size"], config["intermediate_size"]
    heads, kv = config["num_attention_heads"], config["num_key_value_heads"]
    d = h // heads
    shapes = {"model.embed_tokens.weight": [v, h]}
    for layer in range(config["num_hidden_layers"]):
        p = f"model.layers.{layer}."
        shapes.update(
            {
                p + "self_attn.q_proj.weight": [heads * d, h],
                p + "self_attn.k_proj.weight": [kv * d, h],
                p + "self_attn.v_proj.weight": [kv * d, h],
                p + "self_attn.o_proj.weight": [h, heads * d],
                p + "mlp.gate_proj.weight": [i, h],
                p + "mlp.up_proj.weight": [i, h],
                p + "mlp.down_proj.weight": [h, i],
                p + "input_layernorm.weight": [h],
                p + "post_attention_layernorm.weight": [h],
            }
        )
    shapes["model.norm.weight"] = [h]
    if not config.get("tie_word_embeddings", False):
        shapes["lm_head.weight"] = [v, h]
    return shapes


def rotate_half(x):
    first, second = x[..., : x.shape[-1] // 2], x[..., x.shape[-1] // 2 :]
    return torch.cat((-second, first), dim=-1)


def llama_forward(w, config, input_ids, attention_mask):
    """LlamaForCausalLM: logits [B, L, V]."""
    heads, kv = config["num_attention_heads"], config["num_key_value_heads"]
    d = config["hidden_size"] // heads
    eps = config["rms_norm_eps"]

    def rms(x, name):
        return w[name] * (x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + eps))

    length = input_ids.shape[1]
    # HF computes inv_freq in float32; the angles here are float64 (a difference far below 1e-4).
    inv_freq = 1.0 / (config["rope_theta"] ** (torch.arange(0, d, 2, dtype=torch.float64) / d))
    freqs = torch.arange(length, dtype=torch.float64)[:, None] * inv_freq[None]
    emb = torch.cat((freqs, freqs), dim=-1)
    cos, sin = emb.cos()[None, None], emb.sin()[None, None]
    x = w["model.embed_tokens.weight"][input_ids]
    bias = causal_bias(length) + padding_bias(attention_mask)
    for layer in range(config["num_hidden_layers"]):
        p = f"model.layers.{layer}."
        y = rms(x, p + "input_layernorm.weight")
        q = split_heads(F.linear(y, w[p + "self_attn.q_proj.weight"]), heads)
        k = split_heads(F.linear(y, w[p + "self_attn.k_proj.weight"]), kv)
        v = split_heads(F.linear(y, w[p + "self_attn.v_proj.weight"]), kv)
        q, k = q * cos + rotate_half(q) * sin, k * cos + rotate_half(k) * sin
        k, v = k.repeat_interleave(heads // kv, dim=1), v.repeat_interleave(heads // kv, dim=1)
        x = x + F.linear(merge_heads(attend(q, k, v, bias)), w[p + "self_attn.o_proj.weight"])
        y = rms(x, p + "post_attention_layernorm.weight")
        gate = F.linear(y, w[p + "mlp.gate_proj.weight"])
        up = F.linear(y, w[p + "mlp.up_proj.weight"])
        x = x + F.linear(F.silu(gate) * up, w[p + "mlp.down_proj.weight"])
    x = rms(x, "model.norm.weight")
    head = w["model.embed_tokens.weight"] if config.get("tie_word_embeddings", False) else w["lm_head.weight"]
    return x @ head.T


ARCHITECTURES = {
    "BertForPreTraining": (bert_shapes, bert_forward),
    "GPT2LMHeadModel": (gpt2_shapes, gpt2_forward),
    "LlamaForCausalLM": (llama_shapes, llama_forward),
}
