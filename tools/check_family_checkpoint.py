#!/usr/bin/python3
"""Loads a checkpoint Graft wrote for a model family into torchvision's model, strictly.

    ./graft transfer --source SRC --target resnet18:5 --allow-missing --out r18.safetensors
    /usr/bin/python3 tools/check_family_checkpoint.py resnet18 5 r18.safetensors

Reads the safetensors file with a few lines of its own (Debian ships no `safetensors` package),
calls load_state_dict(strict=True) and runs one eval-mode forward pass.
"""
import json
import struct
import sys

import numpy as np
import torch
import torchvision

NP = {"F32": np.float32, "I64": np.int64, "F64": np.float64, "F16": np.float16, "I32": np.int32}


def read_safetensors(path):
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        data = f.read()
    out = {}
    for name, h in header.items():
        if name == "__metadata__":
            continue
        a, b = h["data_offsets"]
        out[name] = torch.from_numpy(np.frombuffer(data[a:b], dtype=NP[h["dtype"]]).reshape(h["shape"]).copy())
    return out


def main(family, classes, path):
    model = getattr(torchvision.models, family)(num_classes=int(classes))
    state = read_safetensors(path)
    model.load_state_dict(state, strict=True)
    model.eval()
    with torch.no_grad():
        y = model(torch.randn(1, model.state_dict()[next(iter(state))].shape[1], 64, 64))
    print(family, "loads strictly:", len(state), "tensors; logits", tuple(y.shape))


if __name__ == "__main__":
    main(*sys.argv[1:4])
