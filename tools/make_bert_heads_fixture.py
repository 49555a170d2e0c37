#!/usr/bin/python3
"""Fixture for selecting attention heads (AttentionHeadsTest): a 4-head BERT pruned to 2 heads.

Run with Debian's python3-torch (1.13):  /usr/bin/python3 tools/make_bert_heads_fixture.py
The outputs are committed, so the tests never need Python.

The encoder is tools/make_bert_fixture.py's plain-PyTorch copy of Hugging Face's BertModel, here
with 2 layers of 4 heads of 8 units (hidden 32). Each layer keeps its 2 most important heads,
importance being the L1 norm of the head's rows of the query, key and value weights together
(what Graft's `heads` rule with `transform: select_units` documents). To make the choice clear-cut
the weights of two heads per layer are scaled down (layer 0: heads 0 and 2, so 1 and 3 are kept;
layer 1: heads 1 and 3, so 0 and 2 are kept); the scores are computed here, from the weights, and
recorded.

The 2-head model is then built the way Hugging Face's `BertAttention.prune_heads` does it
(`find_pruneable_heads_and_indices`, `prune_linear_layer`): the kept heads' rows of query, key and
value (weight and bias) and their columns of `attention.output.dense.weight`, with
`num_attention_heads` 2 and `attention_head_size` unchanged (8), so `all_head_size` is 16 while the
hidden size stays 32. Its outputs are what Graft's transferred model must reproduce.

Writes into graft-core/src/test/resources/fixtures/bert_heads/:
  source.safetensors  the 4-head model's state_dict (BertModel names, no pooler) + classifier.{weight,bias}
  io.safetensors      input [3, 10] token ids as float32 (0 = padding), attention_mask,
                      head_scores [2, 4] (per layer and head), kept_heads [2, 2] (as float32),
                      last_hidden_state [3, 10, 32] and logits_mean [3, 3] of the pruned model
"""
import os
import sys

import torch
from torch import nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_bert_fixture import BertModel  # noqa: E402
from make_fixtures import write_safetensors  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIX = os.path.join(ROOT, "graft-core", "src", "test", "resources", "fixtures", "bert_heads")

CONFIG = {
    "attention_probs_dropout_prob": 0.1,
    "hidden_dropout_prob": 0.1,
    "hidden_size": 32,
    "intermediate_size": 48,
    "layer_norm_eps": 1e-12,
    "max_position_embeddings": 16,
    "num_attention_heads": 4,
    "num_hidden_layers": 2,
    "pad_token_id": 0,
    "type_vocab_size": 2,
    "vocab_size": 50,
}
CLASSES = 3
LENGTH = 10
REAL = [10, 6, 3]
WEAK = [[0, 2], [1, 3]]  # heads scaled down in layer 0 and layer 1
KEEP = 2


def head_rows(heads, size):
    """Hugging Face's `index` of find_pruneable_heads_and_indices, for the heads kept."""
    return torch.cat([torch.arange(h * size, (h + 1) * size) for h in heads])


def prune(attention, keep, size):
    """BertAttention.prune_heads for the heads not in `keep`, as prune_linear_layer does it."""
    index = head_rows(keep, size)
    s = attention.self
    for name in ["query", "key", "value"]:
        old = getattr(s, name)
        new = nn.Linear(old.in_features, len(index))
        with torch.no_grad():
            new.weight.copy_(old.weight[index])
            new.bias.copy_(old.bias[index])
        setattr(s, name, new)
    old = attention.output.dense
    new = nn.Linear(len(index), old.out_features)
    with torch.no_grad():
        new.weight.copy_(old.weight[:, index])
        new.bias.copy_(old.bias)
    attention.output.dense = new
    s.heads = len(keep)  # the head size s.size stays, as attention_head_size does


def main():
    torch.manual_seed(31)
    c = CONFIG
    size = c["hidden_size"] // c["num_attention_heads"]
    model = BertModel(c)
    classifier = nn.Linear(c["hidden_size"], CLASSES)
    with torch.no_grad():
        for name, p in list(model.named_parameters()) + list(classifier.named_parameters()):
            if "LayerNorm.weight" in name:
                p.copy_(1 + 0.2 * torch.randn_like(p))
            elif name.endswith("bias"):
                p.copy_(0.1 * torch.randn_like(p))
            else:
                p.copy_(torch.randn_like(p) / p.shape[-1] ** 0.5 * 1.5)
        for layer, weak in zip(model.encoder.layer, WEAK):
            for name in ["query", "key", "value"]:
                w = getattr(layer.attention.self, name).weight
                w[head_rows(weak, size)] *= 0.6
    model.eval()
    classifier.eval()
    state = {k: v.clone() for k, v in model.state_dict().items() if not k.startswith("pooler.")}
    state.update({"classifier." + k: v.clone() for k, v in classifier.state_dict().items()})

    scores, kept = [], []
    for layer in model.encoder.layer:
        s = layer.attention.self
        score = sum(getattr(s, n).weight.abs().sum(1).view(c["num_attention_heads"], size).sum(1).double()
                    for n in ["query", "key", "value"])
        top = sorted(torch.argsort(-score)[:KEEP].tolist())
        scores.append(score)
        kept.append(top)
    assert kept == [[1, 3], [0, 2]], kept
    for layer, keep in zip(model.encoder.layer, kept):
        prune(layer.attention, keep, size)

    ids = torch.zeros(len(REAL), LENGTH, dtype=torch.int64)
    for i, n in enumerate(REAL):
        ids[i, :n] = torch.randint(1, c["vocab_size"], (n,))
    mask = (ids != c["pad_token_id"]).to(torch.int64)
    with torch.no_grad():
        hidden, _ = model(ids, mask)
        m = mask.unsqueeze(-1).to(torch.float32)
        logits = classifier((hidden * m).sum(1) / torch.clamp(m.sum(1), min=1e-9))

    os.makedirs(FIX, exist_ok=True)
    write_safetensors(os.path.join(FIX, "source.safetensors"), state)
    write_safetensors(os.path.join(FIX, "io.safetensors"), {
        "input": ids.to(torch.float32),
        "attention_mask": mask.to(torch.float32),
        "head_scores": torch.stack(scores).to(torch.float32),
        "kept_heads": torch.tensor(kept, dtype=torch.float32),
        "last_hidden_state": hidden,
        "logits_mean": logits,
    })
    print("wrote", FIX, "kept heads", kept, "scores", [[round(x, 2) for x in s.tolist()] for s in scores])


if __name__ == "__main__":
    main()
