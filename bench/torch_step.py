#!/usr/bin/python3
"""PyTorch's side of bench/run.sh: training-step time of the same CNN and MLP as Graft's bench,
same batch, optimizer and thread count, plus a matmul peak. Prints one JSON line."""
import json
import sys
import time
from collections import OrderedDict

import torch
from torch import nn

THREADS = int(sys.argv[1]) if len(sys.argv) > 1 else 2
STEPS = int(sys.argv[2]) if len(sys.argv) > 2 else 100
torch.set_num_threads(THREADS)
torch.manual_seed(0)


def cnn():
    return nn.Sequential(OrderedDict([
        ("features", nn.Sequential(
            nn.Conv2d(1, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(32, 64, 3, padding=1), nn.BatchNorm2d(64), nn.ReLU(), nn.MaxPool2d(2))),
        ("classifier", nn.Sequential(nn.Flatten(), nn.Linear(3136, 128), nn.ReLU(), nn.Dropout(0.25),
                                     nn.Linear(128, 5)))]))


def mlp():
    return nn.Sequential(nn.Linear(784, 512), nn.ReLU(), nn.Linear(512, 256), nn.ReLU(), nn.Linear(256, 10))


def step_ms(model, shape, classes, batch):
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    x = torch.randn(batch * 8, *shape)
    y = torch.randint(0, classes, (batch * 8,))
    model.train()

    def one(i):
        j = (i % 8) * batch
        opt.zero_grad()
        loss = nn.functional.cross_entropy(model(x[j:j + batch]), y[j:j + batch])
        loss.backward()
        opt.step()

    for i in range(20):
        one(i)
    t = time.perf_counter()
    for i in range(STEPS):
        one(i)
    return (time.perf_counter() - t) / STEPS * 1000


def matmul_gflops(n=1024, reps=20):
    a = torch.randn(n, n)
    b = torch.randn(n, n)
    for _ in range(3):
        a @ b
    t = time.perf_counter()
    for _ in range(reps):
        a @ b
    return 2 * n ** 3 * reps / (time.perf_counter() - t) / 1e9


print(json.dumps({"torch": torch.__version__, "threads": THREADS,
                  "cnn_ms": step_ms(cnn(), (1, 28, 28), 5, 64),
                  "mlp_ms": step_ms(mlp(), (784,), 10, 128),
                  "matmul_gflops": matmul_gflops()}))
