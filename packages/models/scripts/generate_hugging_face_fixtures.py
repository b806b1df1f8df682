#!/usr/bin/env -S /usr/bin/python3
"""Tiny random checkpoints in the Hugging Face layout, with float64 reference outputs.

For each architecture of `hugging_face_models.py` (BertForPreTraining, GPT2LMHeadModel,
LlamaForCausalLM) it draws random weights (biases and norm scales included, so a forgotten bias
or gamma shows), stores them as Hugging Face stores them, and records the logits and the loss for
fixed inputs, computed in float64 from the stored values:

  packages/models/src/hugging-face/__fixtures__/<case>/config.json        HF's key names
  packages/models/src/hugging-face/__fixtures__/<case>/model.safetensors  HF's tensor names
  packages/models/src/hugging-face/__fixtures__/<case>/expected.json      inputs, logits, loss and
                                                                          the loss's gradient for every tensor

Cases: bert, gpt2, llama (float32), gpt2-float16 and llama-bfloat16 (half-precision files whose
reference outputs use the exactly upcast values). Rerun from the repository root with

    /usr/bin/python3 packages/models/scripts/generate_hugging_face_fixtures.py

It needs only torch and numpy; the output is deterministic.
"""

import json
from pathlib import Path

import torch

from hugging_face_models import ARCHITECTURES, bert_loss, causal_lm_loss, write_safetensors

ROOT = Path(__file__).resolve().parents[1] / "src/hugging-face/__fixtures__"
STORAGE = {"F32": torch.float32, "F16": torch.float16, "BF16": torch.bfloat16}

BERT_CONFIG = {
    "architectures": ["BertForPreTraining"],
    "attention_probs_dropout_prob": 0.1,
    "classifier_dropout": None,
    "hidden_act": "gelu",
    "hidden_dropout_prob": 0.1,
    "hidden_size": 16,
    "initializer_range": 0.02,
    "intermediate_size": 32,
    "layer_norm_eps": 1e-12,
    "max_position_embeddings": 20,
    "model_type": "bert",
    "num_attention_heads": 4,
    "num_hidden_layers": 2,
    "pad_token_id": 0,
    "position_embedding_type": "absolute",
    "torch_dtype": "float32",
    "type_vocab_size": 2,
    "use_cache": True,
    "vocab_size": 23,
}

GPT2_CONFIG = {
    "activation_function": "gelu_new",
    "architectures": ["GPT2LMHeadModel"],
    "attn_pdrop": 0.1,
    "bos_token_id": 1,
    "embd_pdrop": 0.1,
    "eos_token_id": 1,
    "initializer_range": 0.02,
    "layer_norm_epsilon": 1e-05,
    "model_type": "gpt2",
    "n_embd": 16,
    "n_head": 4,
    "n_inner": None,
    "n_layer": 2,
    "n_positions": 20,
    "reorder_and_upcast_attn": False,
    "resid_pdrop": 0.1,
    "scale_attn_by_inverse_layer_idx": False,
    "scale_attn_weights": True,
    "summary_activation": None,
    "summary_first_dropout": 0.1,
    "summary_proj_to_labels": True,
    "summary_type": "cls_index",
    "summary_use_proj": True,
    "torch_dtype": "float32",
    "use_cache": True,
    "vocab_size": 23,
}

LLAMA_CONFIG = {
    "architectures": ["LlamaForCausalLM"],
    "attention_bias": False,
    "attention_dropout": 0.0,
    "bos_token_id": 1,
    "eos_token_id": 2,
    "head_dim": 4,
    "hidden_act": "silu",
    "hidden_size": 16,
    "initializer_range": 0.02,
    "intermediate_size": 24,
    "max_position_embeddings": 20,
    "mlp_bias": False,
    "model_type": "llama",
    "num_attention_heads": 4,
    "num_hidden_layers": 2,
    "num_key_value_heads": 2,
    "pretraining_tp": 1,
    "rms_norm_eps": 1e-06,
    "rope_scaling": None,
    "rope_theta": 10000.0,
    "tie_word_embeddings": False,
    "torch_dtype": "float32",
    "use_cache": True,
    "vocab_size": 23,
}

INPUT_IDS = torch.tensor([[2, 7, 11, 3, 19, 5, 4], [2, 13, 8, 22, 4, 0, 0]])
ATTENTION_MASK = torch.tensor([[1, 1, 1, 1, 1, 1, 1], [1, 1, 1, 1, 1, 0, 0]])
TOKEN_TYPE_IDS = torch.tensor([[0, 0, 0, 0, 1, 1, 1], [0, 0, 0, 1, 1, 0, 0]])
MLM_LABELS = torch.tensor([[-100, 9, -100, -100, 19, -100, -100], [-100, -100, 8, -100, -100, -100, -100]])
NEXT_SENTENCE_LABEL = torch.tensor([0, 1])
CAUSAL_LABELS = torch.where(ATTENTION_MASK == 1, INPUT_IDS, torch.tensor(-100))


def random_weights(shapes, seed, storage):
    """Draws each tensor, rounds it to the storage dtype, and returns the float64 values."""
    generator = torch.Generator().manual_seed(seed)
    weights = {}
    for name in sorted(shapes):
        noise = torch.randn(*shapes[name], generator=generator, dtype=torch.float64)
        is_scale = name.endswith("norm.weight") or "LayerNorm.weight" in name or name.endswith("ln_1.weight") or name.endswith("ln_2.weight") or name.endswith("ln_f.weight") or name == "model.norm.weight"
        is_offset = (name.endswith(".bias") or name.endswith("LayerNorm.bias")) and not is_scale
        value = 1.0 + 0.2 * noise if is_scale else (0.1 * noise if is_offset else 0.4 * noise)
        weights[name] = value.to(STORAGE[storage]).to(torch.float64)
    return weights


def as_list(tensor):
    return tensor.tolist()


def write_case(name, config, seed, storage="F32"):
    architecture = config["architectures"][0]
    shapes, forward = ARCHITECTURES[architecture]
    weights = random_weights(shapes(config), seed, storage)
    for value in weights.values():
        value.requires_grad_(True)
    folder = ROOT / name
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "config.json").write_text(json.dumps(config, indent=2, sort_keys=True) + "\n")
    write_safetensors(folder / "model.safetensors", {key: value.detach() for key, value in weights.items()}, storage)
    inputs = {"inputIds": as_list(INPUT_IDS), "attentionMask": as_list(ATTENTION_MASK)}
    if architecture == "BertForPreTraining":
        logits, nsp = forward(weights, config, INPUT_IDS, TOKEN_TYPE_IDS, ATTENTION_MASK)
        loss = bert_loss(logits, nsp, MLM_LABELS, NEXT_SENTENCE_LABEL)
        inputs.update(
            tokenTypeIds=as_list(TOKEN_TYPE_IDS),
            labels=as_list(MLM_LABELS),
            nextSentenceLabel=as_list(NEXT_SENTENCE_LABEL),
        )
        expected_loss = loss
        expected = {"logits": as_list(logits.detach()), "nextSentenceLogits": as_list(nsp.detach()), "loss": loss.item()}
    else:
        logits = forward(weights, config, INPUT_IDS, ATTENTION_MASK)
        inputs["labels"] = as_list(CAUSAL_LABELS)
        expected_loss = causal_lm_loss(logits, CAUSAL_LABELS)
        expected = {"logits": as_list(logits.detach()), "loss": expected_loss.item()}
    # The gradient of the loss with respect to every stored tensor (Hugging Face's names and layouts).
    names = sorted(weights)
    gradients = torch.autograd.grad(expected_loss, [weights[key] for key in names])
    expected["gradients"] = {key: gradient.reshape(-1).tolist() for key, gradient in zip(names, gradients)}
    document = {
        "generator": "packages/models/scripts/generate_hugging_face_fixtures.py",
        "architecture": architecture,
        "storage": storage,
        "inputs": inputs,
        **expected,
    }
    (folder / "expected.json").write_text(json.dumps(document) + "\n")


def main():
    write_case("bert", BERT_CONFIG, 1)
    write_case("gpt2", GPT2_CONFIG, 2)
    write_case("llama", LLAMA_CONFIG, 3)
    write_case("gpt2-float16", {**GPT2_CONFIG, "torch_dtype": "float16"}, 4, "F16")
    write_case("llama-bfloat16", {**LLAMA_CONFIG, "torch_dtype": "bfloat16"}, 5, "BF16")


if __name__ == "__main__":
    main()
