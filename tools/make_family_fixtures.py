#!/usr/bin/python3
"""Parity fixtures for Graft's model families (dev.graft.model.family), made by torchvision.

Run with Debian's python3-torch 1.13 / python3-torchvision 0.14:
    /usr/bin/python3 tools/make_family_fixtures.py [FAMILY ...]

No weights are committed: every tensor is a deterministic formula of its state_dict name and
flat index (`formula` below), which Graft's test helper (FamilyWeights.java) computes
identically. For each family the fixture family_NAME.json holds torchvision's state_dict names,
shapes and dtypes in order, the input shape (the input is the formula of the name "input"),
PyTorch's eval-mode logits, the first values of a few tensors (to check both formulas agree)
and how many ReLU6/hardswish/hardsigmoid inputs fell outside the clipping range.
"""
import json
import os
import sys

import numpy as np
import torch
import torchvision

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIX = os.path.join(ROOT, "graft-core", "src", "test", "resources", "fixtures", "families")
NUM_CLASSES = 5
BATCH = 2

# family: (constructor, input [C, H, W])
FAMILIES = {
    "resnet18": (torchvision.models.resnet18, [3, 64, 64]),
    "resnet34": (torchvision.models.resnet34, [3, 64, 64]),
    "resnet50": (torchvision.models.resnet50, [3, 64, 64]),
    "mobilenet_v2": (torchvision.models.mobilenet_v2, [3, 64, 64]),
    "mobilenet_v3_small": (torchvision.models.mobilenet_v3_small, [3, 64, 64]),
    "efficientnet_b0": (torchvision.models.efficientnet_b0, [3, 64, 64]),
    "vgg11_bn": (torchvision.models.vgg11_bn, [3, 32, 32]),
    "densenet121": (torchvision.models.densenet121, [3, 64, 64]),
}

M64 = (1 << 64) - 1
GOLDEN = np.uint64(0x9E3779B97F4A7C15)
MIX1 = np.uint64(0xBF58476D1CE4E5B9)
MIX2 = np.uint64(0x94D049BB133111EB)


def fnv1a64(name):
    h = 0xCBF29CE484222325
    for b in name.encode("utf-8"):
        h = ((h ^ b) * 0x100000001B3) & M64
    return h


def uniforms(name, n):
    """u_i in [0, 1) for i < n: splitmix64's i-th output seeded with fnv1a64(name), top 53 bits."""
    h = np.uint64(fnv1a64(name))
    out = np.empty(n, dtype=np.float64)
    chunk = 1 << 22
    with np.errstate(over="ignore"):
        for start in range(0, n, chunk):
            i = np.arange(start + 1, min(n, start + chunk) + 1, dtype=np.uint64)
            z = h + i * GOLDEN
            z = (z ^ (z >> np.uint64(30))) * MIX1
            z = (z ^ (z >> np.uint64(27))) * MIX2
            z = z ^ (z >> np.uint64(31))
            out[start:start + len(i)] = (z >> np.uint64(11)).astype(np.float64) * (2.0 ** -53)
    return out


def formula(name, shape, names):
    """The value of every element of tensor `name` (float32), given all state_dict names and shapes."""
    n = int(np.prod(shape)) if len(shape) else 1
    u = uniforms(name, n)
    prefix = name[:name.rfind(".") + 1]
    leaf = name[len(prefix):]
    norm = (prefix + "running_mean") in names
    if leaf == "running_mean":
        v = 0.2 * (2.0 * u - 1.0)
    elif leaf == "running_var":
        v = 0.5 + u
    elif leaf == "weight" and norm:
        v = 0.75 + 0.5 * u
    elif leaf == "bias" and norm:
        v = 3.0 * u - 1.0
    elif leaf == "weight" and len(shape) == 2:  # linear: PyTorch's default bound
        v = (2.0 * u - 1.0) / np.sqrt(float(fan_in(shape)))
    elif leaf == "weight":  # convolution: variance 1.5 / fan_in: between LeCun (deep residual sums stay small) and Kaiming (the input still matters)
        v = (2.0 * u - 1.0) * np.sqrt(4.5 / fan_in(shape))
    elif leaf == "bias":
        v = (2.0 * u - 1.0) / np.sqrt(float(fan_in(names[prefix + "weight"])))
    elif name == "input":
        v = (2.0 * u - 1.0) * np.sqrt(3.0)
    else:
        raise ValueError("no formula for " + name)
    return v.astype(np.float32).reshape(shape)


def fan_in(shape):
    return int(np.prod(shape[1:]))


def family_fixture(family):
    ctor, chw = FAMILIES[family]
    model = ctor(num_classes=NUM_CLASSES)
    sd = model.state_dict()
    shapes = {k: list(v.shape) for k, v in sd.items()}
    new = {}
    for k, v in sd.items():
        if v.dtype == torch.int64:  # num_batches_tracked
            new[k] = v
        else:
            new[k] = torch.from_numpy(formula(k, list(v.shape), shapes))
    model.load_state_dict(new, strict=True)
    model.eval()
    x = torch.from_numpy(formula("input", [BATCH] + chw, {}))
    clipped = {"low": 0, "high": 0}

    def hook(mod, inp):
        a = inp[0]
        lo, hi = (0.0, 6.0) if isinstance(mod, torch.nn.ReLU6) else (-3.0, 3.0)
        clipped["low"] += int((a < lo).sum())
        clipped["high"] += int((a > hi).sum())

    for m in model.modules():
        if isinstance(m, (torch.nn.ReLU6, torch.nn.Hardswish, torch.nn.Hardsigmoid)):
            m.register_forward_pre_hook(hook)  # before in-place activations
    with torch.no_grad():
        y = model(x)
    samples = {}
    keys = list(sd.keys())
    for k in [keys[0], keys[1], keys[2], keys[3], keys[4], keys[-2], keys[-1]]:
        if sd[k].dtype != torch.int64:
            samples[k] = [float(v) for v in new[k].flatten()[:6]]
    samples["input"] = [float(v) for v in x.flatten()[:6]]
    doc = {
        "family": family,
        "made_by": "tools/make_family_fixtures.py (torch %s, torchvision %s)" % (torch.__version__,
                                                                                   torchvision.__version__),
        "num_classes": NUM_CLASSES,
        "input": [BATCH] + chw,
        "state_dict": [[k, list(v.shape), str(v.dtype).replace("torch.", "")] for k, v in sd.items()],
        "samples": samples,
        "clipped_activation_inputs": clipped,
        "logits": [[float(v) for v in row] for row in y],
    }
    os.makedirs(FIX, exist_ok=True)
    with open(os.path.join(FIX, "family_" + family + ".json"), "w") as f:
        json.dump(doc, f, indent=1)
        f.write("\n")
    print(family, "logits", y.numpy().round(4).tolist(), "clipped", clipped)


if __name__ == "__main__":
    torch.set_num_threads(1)
    for fam in sys.argv[1:] or list(FAMILIES):
        family_fixture(fam)
