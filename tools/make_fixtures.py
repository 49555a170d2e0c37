#!/usr/bin/python3
"""Writes the PyTorch fixtures that Graft's tests compare against, and the example checkpoint.

Run with Debian's python3-torch (1.13):  /usr/bin/python3 tools/make_fixtures.py
The outputs are committed, so the tests never need Python.

Safetensors files are written by the small independent writer below (Debian ships no
`safetensors` package); tensor bytes come straight from PyTorch.
"""
import io
import json
import os
import struct
import sys
import zipfile
from collections import OrderedDict

import numpy as np
import torch
from torch import nn

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIX = os.path.join(ROOT, "graft-core", "src", "test", "resources", "fixtures")
EXAMPLES = os.path.join(ROOT, "examples")

DTYPES = {
    torch.float64: "F64", torch.float32: "F32", torch.float16: "F16", torch.bfloat16: "BF16",
    torch.int64: "I64", torch.int32: "I32", torch.int16: "I16", torch.int8: "I8",
    torch.uint8: "U8", torch.bool: "BOOL",
}


def tensor_bytes(t):
    t = t.detach().contiguous().cpu()
    if t.dtype == torch.bfloat16:
        return t.view(torch.int16).numpy().astype("<i2").tobytes()
    a = t.numpy()
    return a.astype(a.dtype.newbyteorder("<")).tobytes()


def write_safetensors(path, tensors, metadata=None):
    header = OrderedDict()
    if metadata:
        header["__metadata__"] = metadata
    blobs, offset = [], 0
    for name, t in tensors.items():
        b = tensor_bytes(t)
        header[name] = {"dtype": DTYPES[t.dtype], "shape": list(t.shape),
                        "data_offsets": [offset, offset + len(b)]}
        blobs.append(b)
        offset += len(b)
    h = json.dumps(header, separators=(",", ":")).encode("utf-8")
    h += b" " * ((8 - len(h) % 8) % 8)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)))
        f.write(h)
        for b in blobs:
            f.write(b)


class Residual(nn.Module):
    """body(x) + projection(x) (or x), then an activation: what Graft's `residual` layer is."""

    def __init__(self, body, projection=None, activation=None):
        super().__init__()
        self.body = body
        if projection is not None:
            self.projection = projection
        else:
            self.projection = None
        self.activation = activation

    def forward(self, x):
        skip = x if self.projection is None else self.projection(x)
        y = self.body(x) + skip
        return y if self.activation is None else self.activation(y)


def mlp():
    return nn.Sequential(OrderedDict([
        ("fc1", nn.Linear(20, 32)),
        ("bn", nn.BatchNorm1d(32)),
        ("act1", nn.ReLU()),
        ("drop", nn.Dropout(0.3)),
        ("fc2", nn.Linear(32, 16)),
        ("norm", nn.LayerNorm(16)),
        ("act2", nn.GELU()),
        ("fc3", nn.Linear(16, 12, bias=False)),
        ("act3", nn.Tanh()),
        ("fc4", nn.Linear(12, 8)),
        ("act4", nn.Sigmoid()),
        ("head", nn.Linear(8, 5)),
    ]))


def small_cnn(classes):
    return nn.Sequential(OrderedDict([
        ("features", nn.Sequential(
            nn.Conv2d(1, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(32, 64, 3, padding=1), nn.BatchNorm2d(64), nn.ReLU(), nn.MaxPool2d(2))),
        ("classifier", nn.Sequential(
            nn.Flatten(), nn.Linear(3136, 128), nn.ReLU(), nn.Dropout(0.25),
            nn.Linear(128, classes))),
    ]))


def small_resnet():
    return nn.Sequential(OrderedDict([
        ("stem", nn.Sequential(nn.Conv2d(3, 8, 3, padding=1, bias=False), nn.BatchNorm2d(8), nn.ReLU())),
        ("layer1", Residual(nn.Sequential(
            nn.Conv2d(8, 8, 3, padding=1, bias=False), nn.BatchNorm2d(8), nn.ReLU(),
            nn.Conv2d(8, 8, 3, padding=1, groups=4, bias=False), nn.BatchNorm2d(8)),
            activation=nn.ReLU())),
        ("layer2", Residual(nn.Sequential(
            nn.Conv2d(8, 16, 3, stride=2, padding=1, bias=False), nn.BatchNorm2d(16), nn.ReLU(),
            nn.Conv2d(16, 16, 3, padding=1, bias=False), nn.BatchNorm2d(16)),
            projection=nn.Sequential(nn.Conv2d(8, 16, 1, stride=2, bias=False), nn.BatchNorm2d(16)),
            activation=nn.ReLU())),
        ("pool", nn.AvgPool2d(2)),
        ("head", nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(16, 3))),
    ]))


def warm_batchnorm(model, shape, steps=5):
    """Gives BatchNorm non-trivial running statistics, as a trained model would have."""
    model.train()
    with torch.no_grad():
        for _ in range(steps):
            model(torch.randn(*shape) * 2 + 0.5)
    model.eval()


def save_model(name, model, input_shape, directory=FIX):
    x = torch.randn(*input_shape)
    with torch.no_grad():
        y = model(x)
    write_safetensors(os.path.join(directory, name + ".safetensors"), model.state_dict(),
                      {"format": "pt", "made_by": "tools/make_fixtures.py"})
    write_safetensors(os.path.join(directory, name + ".io.safetensors"),
                      OrderedDict(input=x, output=y))
    return x, y


def dtype_fixture():
    g = torch.Generator().manual_seed(7)
    base = torch.randn(2, 3, generator=g) * 50
    tensors = OrderedDict()
    tensors["f64"] = base.double()
    tensors["f32"] = base.float()
    tensors["f16"] = base.half()
    tensors["bf16"] = base.bfloat16()
    tensors["i64"] = base.long() * 1000003
    tensors["i32"] = base.int()
    tensors["i16"] = base.short()
    tensors["i8"] = base.clamp(-128, 127).to(torch.int8)
    tensors["u8"] = base.abs().clamp(0, 255).to(torch.uint8)
    tensors["bool"] = base > 0
    tensors["scalar"] = torch.tensor(3.5)
    tensors["empty"] = torch.zeros(0, 4)
    write_safetensors(os.path.join(FIX, "dtypes.safetensors"), tensors,
                      {"made_by": "pytorch", "note": "every dtype"})
    expected = {k: [float(v) for v in t.float().flatten().tolist()] for k, t in tensors.items()}
    shapes = {k: list(t.shape) for k, t in tensors.items()}
    with open(os.path.join(FIX, "dtypes.expected.json"), "w") as f:
        json.dump({"values": expected, "shapes": shapes}, f, indent=1, sort_keys=True)


def npz_fixtures(state):
    arrays = OrderedDict((k, v.detach().numpy()) for k, v in state.items())
    np.savez(os.path.join(FIX, "mlp.stored.npz"), **arrays)
    np.savez_compressed(os.path.join(FIX, "mlp.deflated.npz"), **arrays)
    # big-endian copies and the three .npy header versions, in one archive
    with zipfile.ZipFile(os.path.join(FIX, "mixed.npz"), "w") as z:
        a = np.arange(12, dtype=np.float32).reshape(3, 4) * 0.5
        for name, arr, version in [("le_v1", a, (1, 0)), ("be_f4_v2", a.astype(">f4"), (2, 0)),
                                   ("be_i8_v3", np.arange(6, dtype=">i8").reshape(2, 3), (3, 0)),
                                   ("u8_v1", np.arange(5, dtype=np.uint8), (1, 0)),
                                   ("bool_v1", np.array([True, False, True]), (1, 0)),
                                   ("f2_v1", a.astype("<f2"), (1, 0))]:
            buf = io.BytesIO()
            np.lib.format.write_array(buf, arr, version=version)
            z.writestr(name + ".npy", buf.getvalue())
    for name, arr in [("object", np.array([{"a": 1}], dtype=object)),
                      ("fortran", np.asfortranarray(np.ones((2, 3), dtype=np.float32)))]:
        buf = io.BytesIO()
        np.lib.format.write_array(buf, arr, allow_pickle=True)
        with zipfile.ZipFile(os.path.join(FIX, "bad_" + name + ".npz"), "w") as z:
            z.writestr("x.npy", buf.getvalue())


class ScriptedBnCnn(nn.Module):
    """A scripted CNN whose state_dict holds what TorchScript keeps beside parameters: BatchNorm
    running statistics and counters, a half-precision buffer, and a parameter stored as a
    transposed (non-contiguous) view, with a child module registered before the parent's own
    parameter."""

    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(nn.Conv2d(1, 4, 3, padding=1), nn.BatchNorm2d(4), nn.ReLU(),
                                      nn.Conv2d(4, 6, 3, padding=1, bias=False), nn.BatchNorm2d(6),
                                      nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten())
        self.proj = nn.Parameter(torch.randn(3, 6).t())
        self.register_buffer("scale", torch.linspace(0.5, 2.0, 3).half())

    def forward(self, x):
        return (self.features(x) @ self.proj) * self.scale.float()


def torchscript_bn_fixture():
    """`bn_cnn.torchscript.pt` and, as the truth, what `torch.jit.load(...).state_dict()` holds."""
    m = ScriptedBnCnn()
    warm_batchnorm(m, (8, 1, 8, 8))
    path = os.path.join(FIX, "bn_cnn.torchscript.pt")
    torch.jit.script(m).save(path)
    loaded = torch.jit.load(path)
    write_safetensors(os.path.join(FIX, "bn_cnn.state_dict.safetensors"),
                      OrderedDict((k, v.contiguous()) for k, v in loaded.state_dict().items()),
                      {"made_by": "tools/make_fixtures.py: torch.jit.load(bn_cnn.torchscript.pt).state_dict()"})


class Concat(nn.Module):
    """torch.cat of named branches along the channels: what Graft's `concat` layer is."""

    def __init__(self, branches):
        super().__init__()
        for name, module in branches.items():
            setattr(self, name, module)
        self.names = list(branches)

    def forward(self, x):
        return torch.cat([getattr(self, n)(x) for n in self.names], dim=1)


def modern_cnn():
    """The layer kinds a modern CNN needs, with torchvision's own modules where it has them;
    mirrors examples/specs/modern-cnn.yaml."""
    from torchvision.models.resnet import BasicBlock
    from torchvision.ops import SqueezeExcitation
    return nn.Sequential(OrderedDict([
        ("stem", nn.Sequential(nn.Conv2d(3, 8, (3, 5), stride=(2, 1), padding=(1, 2), bias=False),
                               nn.BatchNorm2d(8), nn.Hardswish())),
        ("dilated", nn.Sequential(nn.Conv2d(8, 8, 3, padding=2, dilation=2, groups=2), nn.ReLU6())),
        ("se", SqueezeExcitation(8, 4, scale_activation=nn.Hardsigmoid)),
        ("layer1", BasicBlock(8, 8)),
        ("layer2", BasicBlock(8, 16, stride=2, downsample=nn.Sequential(
            nn.Conv2d(8, 16, 1, stride=2, bias=False), nn.BatchNorm2d(16)))),
        ("mix", Concat(OrderedDict([
            ("squeeze", nn.Sequential(nn.Conv2d(16, 4, 1), nn.SiLU())),
            ("wide", nn.Sequential(nn.Conv2d(16, 4, 3, padding=1), nn.LeakyReLU(0.2))),
            ("skip", nn.Identity()),
        ]))),
        ("pool", nn.AdaptiveAvgPool2d((3, 2))),
        ("head", nn.Sequential(nn.Flatten(), nn.Dropout(0.1), nn.Linear(24 * 3 * 2, 4))),
    ]))


def seq1d():
    """A 1-D convolution network over [channels, length]; mirrors examples/specs/seq1d.yaml."""
    return nn.Sequential(OrderedDict([
        ("conv", nn.Conv1d(2, 6, 5, stride=2, padding=2, dilation=2)),
        ("bn", nn.BatchNorm1d(6)),
        ("act", nn.SiLU()),
        ("conv2", nn.Conv1d(6, 6, 3, groups=3, bias=False)),
        ("flat", nn.Flatten()),
        ("head", nn.Linear(6 * 7, 3)),
    ]))


def modern_fixtures():
    """`modern_cnn` and `seq1d` fixtures (added later; `make_fixtures.py modern` writes only these)."""
    torch.manual_seed(2026)
    m = modern_cnn()
    warm_batchnorm(m, (8, 3, 13, 11))
    save_model("modern_cnn", m, (3, 3, 13, 11))
    s = seq1d()
    warm_batchnorm(s, (8, 2, 21))
    save_model("seq1d", s, (4, 2, 21))


def main():
    torch.manual_seed(1234)
    os.makedirs(FIX, exist_ok=True)
    dtype_fixture()

    m = mlp()
    warm_batchnorm(m, (64, 20))
    save_model("mlp", m, (6, 20))
    npz_fixtures(m.state_dict())
    scripted = torch.jit.script(m)
    scripted.save(os.path.join(FIX, "mlp.torchscript.pt"))

    c = small_cnn(5)
    warm_batchnorm(c, (16, 1, 28, 28))
    save_model("small_cnn", c, (3, 1, 28, 28))

    r = small_resnet()
    warm_batchnorm(r, (8, 3, 16, 16))
    save_model("small_resnet", r, (2, 3, 16, 16))

    # The example source checkpoint shipped for `graft demo` / `graft transfer`.
    torch.manual_seed(99)
    src = small_cnn(5)
    warm_batchnorm(src, (32, 1, 28, 28))
    write_safetensors(os.path.join(EXAMPLES, "checkpoints", "small-cnn-source.safetensors"),
                      src.state_dict(), {"format": "pt", "made_by": "tools/make_fixtures.py"})
    torch.manual_seed(7)
    torchscript_bn_fixture()
    print("fixtures written to", FIX)


if __name__ == "__main__":
    # `make_fixtures.py bn_cnn` remakes only the TorchScript BatchNorm fixture (added later; the
    # others were made with an earlier NumPy and are not rewritten by it).
    # `make_fixtures.py modern` writes only the modern-CNN and 1-D fixtures, likewise.
    if sys.argv[1:] == ["bn_cnn"]:
        torch.manual_seed(7)
        torchscript_bn_fixture()
    elif sys.argv[1:] == ["modern"]:
        modern_fixtures()
    else:
        main()
