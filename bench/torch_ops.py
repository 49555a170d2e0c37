#!/usr/bin/python3
"""PyTorch's side of bench/ops.sh: an operator-level profile of the same training step as
bench/torch_step.py (same model, batch, optimizer and thread count), written as a Chrome trace by
torch.profiler (libtorch's own profiler, the one Graft's side reads through DJL), for
bench/OpSplit.java to set beside Graft's.

Usage: torch_ops.py MODEL THREADS STEPS OUT.json [MINILM_SAFETENSORS]; MODEL: cnn, mlp, resnet18,
minilm. Warm-up steps as torch_step.py (20; ResNet-18 5), then STEPS profiled steps. Prints one
JSON line with the profiled run's ms per step (profiling included)."""
import json
import sys
import time

import torch
import torchvision
from torch import nn
from torch.profiler import ProfilerActivity, profile

import torch_step as ts

MODEL, THREADS, STEPS, OUT = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
WEIGHTS = sys.argv[5] if len(sys.argv) > 5 else "graft-out/bench/minilm.safetensors"
torch.set_num_threads(THREADS)
torch.manual_seed(0)


def minilm_step():
    state = ts.read_safetensors(WEIGHTS)
    state.pop("embeddings.position_ids", None)
    model = ts.MeanPoolClassifier(ts.minilm_config(state), 2)
    model.load_state_dict(state, strict=False)
    decay = [p for p in model.parameters() if p.dim() >= 2]
    rest = [p for p in model.parameters() if p.dim() < 2]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.01}, {"params": rest, "weight_decay": 0.0}],
                            lr=ts.MINILM_LR)
    ids, mask, y = ts.minilm_batch()
    model.train()

    def one(i):
        opt.zero_grad()
        nn.functional.cross_entropy(model(ids, mask), y).backward()
        opt.step()
    return one


step, warm = {
    "cnn": lambda: (ts.image_step(ts.cnn(), (1, 28, 28), 5, 64), 20),
    "mlp": lambda: (ts.image_step(ts.mlp(), (784,), 10, 128), 20),
    "resnet18": lambda: (ts.image_step(torchvision.models.resnet18(num_classes=10), (3, 64, 64), 10, 32), ts.BIG_WARM),
    "minilm": lambda: (minilm_step(), ts.MINILM_WARM),
}[MODEL]()
for i in range(warm):
    step(i)
with profile(activities=[ProfilerActivity.CPU]) as prof:
    t = time.perf_counter()
    for i in range(STEPS):
        step(i)
    ms = (time.perf_counter() - t) / STEPS * 1000
prof.export_chrome_trace(OUT)
print(json.dumps({"model": MODEL, "steps": STEPS, "ms_per_step": ms, "trace": OUT}))
