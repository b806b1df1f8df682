#!/usr/bin/env -S /usr/bin/python3
"""Golden test vectors for @lm-objectives/trainer, computed in float64 with PyTorch.

Writes packages/trainer/src/optimizer/__fixtures__/adamw.golden.json: sequences of optimizer steps
run by PyTorch's own `torch.optim.AdamW`, `torch.nn.utils.clip_grad_norm_` and
`torch.optim.lr_scheduler.LambdaLR` (with Hugging Face's warmup + cosine formula), from fixed
initial weights and fixed gradients. The TypeScript test feeds the same gradients to
`clipByGlobalNorm` + `createAdamW` with `createLearningRateSchedule` and compares every step.

Rerun from the repository root with

    /usr/bin/python3 scripts/golden/generate_trainer_fixtures.py

It needs Debian's /usr/bin/python3 (torch, numpy). The output is deterministic. Inputs the
TypeScript code receives as float32 (initial weights, gradients) are rounded to float32 first; the
expected values are then computed in float64 from the rounded inputs.
"""

import math
import sys
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate_core_fixtures import encode, generator, normal_f32, write_json  # noqa: E402

REPO_ROOT = Path(__file__).resolve().parents[2]
FIXTURES = REPO_ROOT / "packages/trainer/src/optimizer/__fixtures__"
GENERATOR = "scripts/golden/generate_trainer_fixtures.py"

SHAPES = {"kernel": [4, 3], "bias": [3], "embedding": [5, 2]}


def hugging_face_cosine(peak_ratio_floor, warmup, total):
    """Hugging Face's get_cosine_with_min_lr_schedule_with_warmup multiplier, written from its
    documented formula: s / W during warmup, then floor + (1 - floor) * (1 + cos(pi p)) / 2."""

    def multiplier(step):
        if step < warmup:
            return step / max(1, warmup)
        progress = (step - warmup) / max(1, total - warmup)
        factor = 0.5 * (1.0 + math.cos(math.pi * progress))
        return factor * (1.0 - peak_ratio_floor) + peak_ratio_floor

    return multiplier


def run_case(name, seed, steps, scales, options):
    gen = generator(seed)
    initial = {key: normal_f32(gen, shape, 0.5) for key, shape in SHAPES.items()}
    gradients = []
    for step in range(steps):
        gradients.append({
            key: normal_f32(gen, shape, scales[step])
            for key, shape in SHAPES.items()
            if not (key == "embedding" and step in options["embedding_without_gradient"])
        })
    params = {key: value.to(torch.float64).clone().requires_grad_(True) for key, value in initial.items()}
    groups = [
        {"params": [params[key]], "weight_decay": options["weight_decay"] if key in options["decayed"] else 0.0}
        for key in SHAPES
    ]
    optimizer = torch.optim.AdamW(
        groups,
        lr=options["peak"],
        betas=(options["beta1"], options["beta2"]),
        eps=options["epsilon"],
    )
    scheduler = torch.optim.lr_scheduler.LambdaLR(
        optimizer,
        hugging_face_cosine(options["minimum"] / options["peak"], options["warmup"], options["total"]),
    )
    records = []
    for step in range(steps):
        for key, param in params.items():
            param.grad = gradients[step][key].to(torch.float64).clone() if key in gradients[step] else None
        learning_rate = optimizer.param_groups[0]["lr"]
        present = [param for param in params.values() if param.grad is not None]
        if options["max_norm"] is None:
            norm = torch.sqrt(sum((param.grad ** 2).sum() for param in present))
        else:
            norm = torch.nn.utils.clip_grad_norm_(present, options["max_norm"])
        optimizer.step()
        scheduler.step()
        records.append({
            "learningRate": learning_rate,
            "gradientNorm": float(norm),
            "gradients": {key: encode(value) for key, value in gradients[step].items()},
            "after": {key: encode(param.detach().clone()) for key, param in params.items()},
        })
    return {
        "name": name,
        "options": options,
        "initial": {key: encode(value) for key, value in initial.items()},
        "steps": records,
    }


def main():
    common = {"beta1": 0.9, "beta2": 0.999, "epsilon": 1e-8, "embedding_without_gradient": [6]}
    cases = [
        run_case(
            "clipped, cosine with warmup, decay on the kernel only, a step without embedding gradient",
            seed=1301,
            steps=10,
            scales=[0.1, 3.0, 0.5, 10.0, 0.2, 1.0, 5.0, 0.05, 2.0, 0.7],
            options={**common, "peak": 0.05, "minimum": 0.005, "warmup": 3, "total": 10,
                     "max_norm": 1.0, "weight_decay": 0.1, "decayed": ["kernel"]},
        ),
        run_case(
            "unclipped, beta2 0.95, eps 1e-6, decay on everything, no warmup",
            seed=1302,
            steps=8,
            scales=[0.3, 0.01, 1.5, 0.2, 0.8, 0.05, 2.5, 0.4],
            options={"beta1": 0.8, "beta2": 0.95, "epsilon": 1e-6, "embedding_without_gradient": [],
                     "peak": 0.02, "minimum": 0.0, "warmup": 0, "total": 8,
                     "max_norm": None, "weight_decay": 0.05,
                     "decayed": ["kernel", "bias", "embedding"]},
        ),
    ]
    write_json(FIXTURES / "adamw.golden.json", {"generator": GENERATOR, "cases": cases})
    print(f"wrote {FIXTURES / 'adamw.golden.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
