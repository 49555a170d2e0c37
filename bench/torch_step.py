#!/usr/bin/python3
"""PyTorch's side of bench/run.sh: training-step time of the same CNN, MLP, ResNet-18 and
MobileNetV2 as Graft's bench, same batch, optimizer and thread count, plus a matmul peak and the
forward multiply-adds of the two torchvision models (which run.sh uses for both sides' GFLOP/s).
Prints one JSON line."""
import json
import sys
import time
from collections import OrderedDict

import torch
import torchvision
from torch import nn

THREADS = int(sys.argv[1]) if len(sys.argv) > 1 else 2
STEPS = int(sys.argv[2]) if len(sys.argv) > 2 else 100
BIG_STEPS = int(sys.argv[3]) if len(sys.argv) > 3 else 40
# as StepBench.BIG_WARM
BIG_WARM = 5
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


def step_ms(model, shape, classes, batch, warm=20, steps=STEPS):
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

    for i in range(warm):
        one(i)
    t = time.perf_counter()
    for i in range(steps):
        one(i)
    return (time.perf_counter() - t) / steps * 1000


def forward_macs(model, shape, batch):
    """Multiply-adds of one forward pass of a batch, counted on Conv2d and Linear only (what the
    GFLOP/s are about); normalization, activations, pooling and residual adds are left out, so the
    GFLOP/s slightly understate the work done. Groups-aware: a depthwise 3x3 costs 9 per output."""
    total = [0]

    def conv(m, inp, out):
        total[0] += out.numel() * (m.in_channels // m.groups) * m.kernel_size[0] * m.kernel_size[1]

    def linear(m, inp, out):
        total[0] += out.numel() * m.in_features

    hooks = [m.register_forward_hook(conv) for m in model.modules() if isinstance(m, nn.Conv2d)]
    hooks += [m.register_forward_hook(linear) for m in model.modules() if isinstance(m, nn.Linear)]
    model.eval()
    with torch.no_grad():
        model(torch.zeros(batch, *shape))
    for h in hooks:
        h.remove()
    return total[0]


def matmul_gflops(n=1024, reps=20):
    a = torch.randn(n, n)
    b = torch.randn(n, n)
    for _ in range(3):
        a @ b
    t = time.perf_counter()
    for _ in range(reps):
        a @ b
    return 2 * n ** 3 * reps / (time.perf_counter() - t) / 1e9


out = {"torch": torch.__version__, "torchvision": torchvision.__version__, "threads": THREADS,
       "cnn_ms": step_ms(cnn(), (1, 28, 28), 5, 64),
       "mlp_ms": step_ms(mlp(), (784,), 10, 128),
       "matmul_gflops": matmul_gflops(), "big_steps": BIG_STEPS}
for name, build in (("resnet18", torchvision.models.resnet18), ("mobilenet_v2", torchvision.models.mobilenet_v2)):
    out[name + "_forward_macs"] = forward_macs(build(num_classes=10), (3, 64, 64), 32)
    out[name + "_ms"] = step_ms(build(num_classes=10), (3, 64, 64), 10, 32, BIG_WARM, BIG_STEPS)
print(json.dumps(out))
