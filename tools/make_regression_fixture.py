#!/usr/bin/python3
"""Writes the PyTorch truth for Graft's regression training: the first epoch's mean training loss.

Run with Debian's python3-torch (1.13):  /usr/bin/python3 tools/make_regression_fixture.py
The outputs are committed (graft-train/src/test/resources/regression/), so the tests never need Python.

The task: the first 64 rows of examples/data/fashion-ink/train.csv (tools/make_regression_data.py),
49 features as read, target `ink` standardized by those 64 rows' mean and population standard deviation.
The model: Linear(49, 16) -> ReLU -> Linear(16, 1), initialized by torch.manual_seed(0) and saved to
init.safetensors under Graft's tensor names (hidden.*, head.*). One epoch of Adam (lr 0.01, PyTorch's
defaults otherwise) over 4 batches of 16 rows in file order, no shuffling, for each loss: MSE,
MAE (L1) and Huber with delta 0.5, each the mean over the batch (torch.nn.functional). The epoch's
loss is the mean of the batch losses weighted by batch size, as Graft reports it. expected.json
holds the three values; RegressionFixtureTest feeds Graft the same rows in an order that its seeded
shuffle turns back into file order, so both see the same batches.
"""
import json
import os
import sys

import torch
from torch import nn
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_fixtures import write_safetensors  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CSV = os.path.join(ROOT, "examples", "data", "fashion-ink", "train.csv")
OUT = os.path.join(ROOT, "graft-train", "src", "test", "resources", "regression")
ROWS, BATCH, LR = 64, 16, 0.01
LOSSES = {
    "mse": lambda y, t: F.mse_loss(y, t),
    "mae": lambda y, t: F.l1_loss(y, t),
    "huber_0.5": lambda y, t: F.huber_loss(y, t, delta=0.5),
}


def read():
    with open(CSV) as f:
        lines = f.read().split("\n")[1:ROWS + 1]
    rows = [[float(v) for v in line.split(",")] for line in lines]
    x = torch.tensor([r[:-1] for r in rows], dtype=torch.float32)
    y = torch.tensor([r[-1] for r in rows], dtype=torch.float32).double()
    # Graft: mean and population std in double precision, standardized in double, then float
    z = ((y - y.mean()) / y.std(unbiased=False)).float().reshape(-1, 1)
    return x, z


def model():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(49, 16), nn.ReLU(), nn.Linear(16, 1))


def names(m):
    return {"hidden.weight": m[0].weight, "hidden.bias": m[0].bias, "head.weight": m[2].weight,
            "head.bias": m[2].bias}


def main():
    x, z = read()
    init = model()
    write_safetensors(os.path.join(OUT, "init.safetensors"), names(init))
    expected = {"rows": ROWS, "batch_size": BATCH, "lr": LR, "first_epoch_loss": {}}
    for key, loss_fn in LOSSES.items():
        m = model()
        m.load_state_dict(init.state_dict())
        opt = torch.optim.Adam(m.parameters(), lr=LR)
        total = 0.0
        for start in range(0, ROWS, BATCH):
            xb, zb = x[start:start + BATCH], z[start:start + BATCH]
            opt.zero_grad()
            loss = loss_fn(m(xb), zb)
            loss.backward()
            opt.step()
            total += loss.item() * len(xb)
        expected["first_epoch_loss"][key] = total / ROWS
    with open(os.path.join(OUT, "expected.json"), "w") as f:
        json.dump(expected, f, indent=2)
        f.write("\n")
    print(json.dumps(expected))


if __name__ == "__main__":
    main()
