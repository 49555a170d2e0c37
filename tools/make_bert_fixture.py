#!/usr/bin/python3
"""Parity fixture for Graft's BERT layer kinds and `bert` family (BertParityTest).

Run with Debian's python3-torch (1.13):  /usr/bin/python3 tools/make_bert_fixture.py
The outputs are committed, so the tests never need Python.

Debian ships no `transformers`, so the encoder below is written out in plain PyTorch with
Hugging Face BertModel's module names and arithmetic (modeling_bert.py, eager attention):
post-LN layers, exact (erf) GELU, padding keys masked by adding torch.finfo(dtype).min to the
attention scores, token_type_ids all 0. Weights are random (seeded) and larger than BERT's
std-0.02 init, so that every part of the arithmetic shows in the outputs.

Writes into graft-core/src/test/resources/fixtures/bert/:
  config.json            a Hugging Face style config of this model
  bert.safetensors       its state_dict (BertModel names) plus classifier.{weight,bias}
  bert.io.safetensors    input [3, 12] token ids as float32 (0 = padding), attention_mask,
                         last_hidden_state [3, 12, 64], and logits [3, 3] of classifier after
                         mean pooling (logits_mean), the [CLS] state (logits_cls) and the pooler
                         (logits_pooler)
"""
import json
import math
import os
import sys

import torch
from torch import nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_fixtures import write_safetensors  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIX = os.path.join(ROOT, "graft-core", "src", "test", "resources", "fixtures", "bert")

CONFIG = {
    "architectures": ["BertModel"],
    "attention_probs_dropout_prob": 0.1,
    "hidden_act": "gelu",
    "hidden_dropout_prob": 0.1,
    "hidden_size": 64,
    "initializer_range": 0.02,
    "intermediate_size": 128,
    "layer_norm_eps": 1e-12,
    "max_position_embeddings": 32,
    "model_type": "bert",
    "num_attention_heads": 4,
    "num_hidden_layers": 2,
    "pad_token_id": 0,
    "position_embedding_type": "absolute",
    "type_vocab_size": 2,
    "vocab_size": 100,
}
CLASSES = 3
LENGTH = 12
REAL = [12, 8, 3]  # real tokens per sequence; the rest is padding


class BertEmbeddings(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.word_embeddings = nn.Embedding(c["vocab_size"], c["hidden_size"], padding_idx=c["pad_token_id"])
        self.position_embeddings = nn.Embedding(c["max_position_embeddings"], c["hidden_size"])
        self.token_type_embeddings = nn.Embedding(c["type_vocab_size"], c["hidden_size"])
        self.LayerNorm = nn.LayerNorm(c["hidden_size"], eps=c["layer_norm_eps"])
        self.dropout = nn.Dropout(c["hidden_dropout_prob"])

    def forward(self, input_ids):
        length = input_ids.shape[1]
        positions = torch.arange(length).unsqueeze(0)
        token_types = torch.zeros_like(input_ids)
        e = self.word_embeddings(input_ids) + self.token_type_embeddings(token_types)
        e = e + self.position_embeddings(positions)
        return self.dropout(self.LayerNorm(e))


class BertSelfAttention(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.heads = c["num_attention_heads"]
        self.size = c["hidden_size"] // self.heads
        self.query = nn.Linear(c["hidden_size"], c["hidden_size"])
        self.key = nn.Linear(c["hidden_size"], c["hidden_size"])
        self.value = nn.Linear(c["hidden_size"], c["hidden_size"])
        self.dropout = nn.Dropout(c["attention_probs_dropout_prob"])

    def split(self, x):
        b, l, _ = x.shape
        return x.view(b, l, self.heads, self.size).permute(0, 2, 1, 3)

    def forward(self, h, extended_mask):
        q, k, v = self.split(self.query(h)), self.split(self.key(h)), self.split(self.value(h))
        scores = torch.matmul(q, k.transpose(-1, -2)) / math.sqrt(self.size)
        scores = scores + extended_mask
        probs = self.dropout(nn.functional.softmax(scores, dim=-1))
        context = torch.matmul(probs, v).permute(0, 2, 1, 3).contiguous()
        return context.view(context.shape[0], context.shape[1], -1)


class BertSelfOutput(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.dense = nn.Linear(c["hidden_size"], c["hidden_size"])
        self.LayerNorm = nn.LayerNorm(c["hidden_size"], eps=c["layer_norm_eps"])
        self.dropout = nn.Dropout(c["hidden_dropout_prob"])

    def forward(self, x, residual):
        return self.LayerNorm(self.dropout(self.dense(x)) + residual)


class BertAttention(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.self = BertSelfAttention(c)
        self.output = BertSelfOutput(c)

    def forward(self, h, extended_mask):
        return self.output(self.self(h, extended_mask), h)


class BertIntermediate(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.dense = nn.Linear(c["hidden_size"], c["intermediate_size"])

    def forward(self, x):
        return nn.functional.gelu(self.dense(x))  # exact (erf) GELU, HF's "gelu"


class BertOutput(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.dense = nn.Linear(c["intermediate_size"], c["hidden_size"])
        self.LayerNorm = nn.LayerNorm(c["hidden_size"], eps=c["layer_norm_eps"])
        self.dropout = nn.Dropout(c["hidden_dropout_prob"])

    def forward(self, x, residual):
        return self.LayerNorm(self.dropout(self.dense(x)) + residual)


class BertLayer(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.attention = BertAttention(c)
        self.intermediate = BertIntermediate(c)
        self.output = BertOutput(c)

    def forward(self, h, extended_mask):
        a = self.attention(h, extended_mask)
        return self.output(self.intermediate(a), a)


class BertEncoder(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.layer = nn.ModuleList([BertLayer(c) for _ in range(c["num_hidden_layers"])])

    def forward(self, h, extended_mask):
        for layer in self.layer:
            h = layer(h, extended_mask)
        return h


class BertPooler(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.dense = nn.Linear(c["hidden_size"], c["hidden_size"])

    def forward(self, h):
        return torch.tanh(self.dense(h[:, 0]))


class BertModel(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.embeddings = BertEmbeddings(c)
        self.encoder = BertEncoder(c)
        self.pooler = BertPooler(c)

    def forward(self, input_ids, attention_mask):
        dtype = torch.float32
        extended = (1.0 - attention_mask[:, None, None, :].to(dtype)) * torch.finfo(dtype).min
        h = self.encoder(self.embeddings(input_ids), extended)
        return h, self.pooler(h)


def main():
    torch.manual_seed(14)
    c = CONFIG
    model = BertModel(c)
    classifier = nn.Linear(c["hidden_size"], CLASSES)
    with torch.no_grad():
        for name, p in list(model.named_parameters()) + list(classifier.named_parameters()):
            if "LayerNorm.weight" in name:
                p.copy_(1 + 0.2 * torch.randn_like(p))
            elif name.endswith("bias"):
                p.copy_(0.1 * torch.randn_like(p))
            else:
                p.copy_(torch.randn_like(p) / math.sqrt(p.shape[-1]) * 1.5)
    model.eval()
    classifier.eval()

    ids = torch.zeros(len(REAL), LENGTH, dtype=torch.int64)
    for i, n in enumerate(REAL):
        ids[i, :n] = torch.randint(1, c["vocab_size"], (n,))
    mask = (ids != c["pad_token_id"]).to(torch.int64)
    with torch.no_grad():
        hidden, pooled = model(ids, mask)
        m = mask.unsqueeze(-1).to(torch.float32)
        mean = (hidden * m).sum(1) / torch.clamp(m.sum(1), min=1e-9)
        logits_mean = classifier(mean)
        logits_cls = classifier(hidden[:, 0])
        logits_pooler = classifier(pooled)

    os.makedirs(FIX, exist_ok=True)
    state = dict(model.state_dict())
    state.update({"classifier." + k: v for k, v in classifier.state_dict().items()})
    write_safetensors(os.path.join(FIX, "bert.safetensors"), state)
    write_safetensors(os.path.join(FIX, "bert.io.safetensors"), {
        "input": ids.to(torch.float32),
        "attention_mask": mask.to(torch.float32),
        "last_hidden_state": hidden,
        "logits_mean": logits_mean,
        "logits_cls": logits_cls,
        "logits_pooler": logits_pooler,
    })
    with open(os.path.join(FIX, "config.json"), "w") as f:
        json.dump(c, f, indent=2, sort_keys=True)
        f.write("\n")
    print("wrote", FIX, "state_dict tensors:", len(state))


if __name__ == "__main__":
    main()
