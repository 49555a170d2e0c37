#!/usr/bin/python3
"""PyTorch's side of bench/run.sh: training-step time of the same CNN, MLP, ResNet-18,
MobileNetV2 and all-MiniLM-L6-v2 classifier as Graft's bench, same batch, optimizer and thread
count, plus a matmul peak, the forward multiply-adds of the two torchvision models and the FLOPs of
one MiniLM step (which run.sh uses for both sides' GFLOP/s). Prints one JSON line.

Usage: torch_step.py THREADS STEPS BIG_STEPS [MINILM_STEPS [MINILM_SAFETENSORS]]; a count of 0
leaves its part out (its JSON fields are null)."""
import json
import os
import statistics
import struct
import sys
import time
from collections import OrderedDict

import numpy as np
import torch
import torchvision
from torch import nn

# the plain-PyTorch BERT of the parity fixture (Hugging Face BertModel's names and arithmetic)
sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "tools"))
from make_bert_fixture import BertEmbeddings, BertEncoder  # noqa: E402

# bench/torch_ops.py imports the models and steps below: the arguments are this script's only when it is run
_ARGS = sys.argv if __name__ == "__main__" else sys.argv[:1]
THREADS = int(_ARGS[1]) if len(_ARGS) > 1 else 2
STEPS = int(_ARGS[2]) if len(_ARGS) > 2 else 100
BIG_STEPS = int(_ARGS[3]) if len(_ARGS) > 3 else 40
MINILM_STEPS = int(_ARGS[4]) if len(_ARGS) > 4 else 50
MINILM_WEIGHTS = _ARGS[5] if len(_ARGS) > 5 else "graft-out/bench/minilm.safetensors"
# as StepBench.MINILM_*
MINILM_WARM, MINILM_BATCH, MINILM_LENGTH, MINILM_LR = 20, 8, 64, 1e-4
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


def image_step(model, shape, classes, batch):
    """One training step of MODEL (Adam, lr 1e-3, cross-entropy) on the i-th of 8 random batches,
    as a function of i (bench/torch_ops.py profiles the same step)."""
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
    return one


def step_ms(model, shape, classes, batch, warm=20, steps=STEPS):
    one = image_step(model, shape, classes, batch)
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


NP = {"F32": np.float32, "F64": np.float64, "I64": np.int64, "I32": np.int32}


def read_safetensors(path):
    """Debian ships no safetensors package: the format by hand (as tools/check_family_checkpoint.py)."""
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


class MeanPoolClassifier(nn.Module):
    """Graft's bert family with pooling: mean: embeddings, encoder, the mean of the real tokens'
    final states, dropout (hidden_dropout_prob) and a linear classifier."""

    def __init__(self, c, classes):
        super().__init__()
        self.embeddings = BertEmbeddings(c)
        self.encoder = BertEncoder(c)
        self.dropout = nn.Dropout(c["hidden_dropout_prob"])
        self.classifier = nn.Linear(c["hidden_size"], classes)

    def forward(self, input_ids, attention_mask):
        extended = (1.0 - attention_mask[:, None, None, :].to(torch.float32)) * torch.finfo(torch.float32).min
        h = self.encoder(self.embeddings(input_ids), extended)
        m = attention_mask.unsqueeze(-1).to(torch.float32)
        mean = (h * m).sum(1) / torch.clamp(m.sum(1), min=1e-9)
        return self.classifier(self.dropout(mean))


def minilm_config(state):
    """all-MiniLM-L6-v2's config, sizes from the tensors' shapes; 12 heads, eps 1e-12 and dropout 0.1
    as Graft reads them off the ONNX graph (graft spec bert:2 --config model.onnx)."""
    vocab, hidden = state["embeddings.word_embeddings.weight"].shape
    layers = 0
    while "encoder.layer.%d.attention.self.query.weight" % layers in state:
        layers += 1
    return {"vocab_size": vocab, "hidden_size": hidden, "num_hidden_layers": layers, "num_attention_heads": 12,
            "intermediate_size": state["encoder.layer.0.intermediate.dense.weight"].shape[0],
            "max_position_embeddings": state["embeddings.position_embeddings.weight"].shape[0],
            "type_vocab_size": state["embeddings.token_type_embeddings.weight"].shape[0], "layer_norm_eps": 1e-12,
            "hidden_dropout_prob": 0.1, "attention_probs_dropout_prob": 0.1, "pad_token_id": 0}


def minilm_batch():
    """The same batch as StepBench.minilmBatch: sample i has 64 - 6i real tokens ([CLS] 101, ids in
    [1000, 30000), [SEP] 102), then padding (id 0); label i mod 2."""
    ids = torch.zeros(MINILM_BATCH, MINILM_LENGTH, dtype=torch.int64)
    for i in range(MINILM_BATCH):
        real = MINILM_LENGTH - 6 * i
        for j in range(real):
            ids[i, j] = 101 if j == 0 else 102 if j == real - 1 else 1000 + (i * 131 + j * 7919) % 29000
    return ids, (ids != 0).to(torch.int64), torch.arange(MINILM_BATCH) % 2


def minilm_step_flops(c, batch=MINILM_BATCH, length=MINILM_LENGTH):
    """FLOPs of one training step of the encoder, the same count for both sides:
      linears: 6 FLOPs per weight per token (2 forward, 4 backward: input and weight gradients),
               weights per layer 4 H^2 (query, key, value, attention output) + 2 H I (feed-forward)
      attention: Q K^T and A V, each 2 B L^2 H FLOPs forward (all heads together), x3 for fwd + bwd
      total = layers * (6 * B * L * (4 H^2 + 2 H I) + 3 * 2 * 2 * B * L^2 * H)
    Left out: embeddings (lookups), LayerNorm, GELU, softmax, dropout, biases, pooling, the 2-class
    classifier and the optimizer, so the GFLOP/s slightly understate the work done."""
    h, i, layers = c["hidden_size"], c["intermediate_size"], c["num_hidden_layers"]
    linears = 6 * batch * length * (4 * h * h + 2 * h * i)
    attention = 3 * 2 * 2 * batch * length * length * h
    return layers * (linears + attention)


def minilm_step_ms(path, warm=MINILM_WARM, steps=MINILM_STEPS):
    """all-MiniLM-L6-v2 with mean pooling and a 2-class classifier, the encoder loaded from the
    safetensors `graft convert` wrote of the ONNX export; AdamW lr 1e-4, weight decay 0.01 on
    weights (not on biases and LayerNorms, as Graft), train mode (dropout 0.1), cross-entropy.
    Returns the median and mean ms of the timed steps, each step timed alone."""
    state = read_safetensors(path)
    state.pop("embeddings.position_ids", None)  # a buffer of HF's, not a parameter
    c = minilm_config(state)
    torch.manual_seed(0)
    model = MeanPoolClassifier(c, 2)
    missing, unexpected = model.load_state_dict(state, strict=False)
    if unexpected or sorted(missing) != ["classifier.bias", "classifier.weight"]:
        raise SystemExit("MiniLM weights do not fit: missing %s, unexpected %s" % (missing, unexpected))
    decay = [p for p in model.parameters() if p.dim() >= 2]
    rest = [p for p in model.parameters() if p.dim() < 2]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.01}, {"params": rest, "weight_decay": 0.0}],
                            lr=MINILM_LR)
    ids, mask, y = minilm_batch()
    model.train()
    times = []
    for i in range(warm + steps):
        t = time.perf_counter()
        opt.zero_grad()
        loss = nn.functional.cross_entropy(model(ids, mask), y)
        loss.backward()
        opt.step()
        times.append((time.perf_counter() - t) * 1000)
    timed = times[warm:]
    return {"minilm_ms": statistics.median(timed), "minilm_mean_ms": statistics.fmean(timed), "minilm_warm": warm,
            "minilm_steps": steps, "minilm_tensors_loaded": len(state), "minilm_decayed_tensors": len(decay),
            "minilm_params": sum(p.numel() for p in model.parameters()),
            "minilm_step_flops": minilm_step_flops(c)}


if __name__ == "__main__":
    out = {"torch": torch.__version__, "torchvision": torchvision.__version__, "threads": THREADS,
           "big_steps": BIG_STEPS, "cnn_ms": None, "mlp_ms": None, "matmul_gflops": None, "minilm_ms": None}
    if STEPS > 0:
        out.update({"cnn_ms": step_ms(cnn(), (1, 28, 28), 5, 64), "mlp_ms": step_ms(mlp(), (784,), 10, 128),
                    "matmul_gflops": matmul_gflops()})
    for name, build in (("resnet18", torchvision.models.resnet18), ("mobilenet_v2", torchvision.models.mobilenet_v2)):
        out[name + "_forward_macs"] = forward_macs(build(num_classes=10), (3, 64, 64), 32)
        skip = name == "mobilenet_v2" and os.environ.get("BENCH_MOBILENET") == "0"
        out[name + "_ms"] = step_ms(build(num_classes=10), (3, 64, 64), 10, 32, BIG_WARM, BIG_STEPS) \
            if BIG_STEPS > 0 and not skip else None
    if MINILM_STEPS > 0:
        out.update(minilm_step_ms(MINILM_WEIGHTS))
    print(json.dumps(out))
