#!/usr/bin/env bash
# Makes sure the MiniLM files the step benchmarks read exist: the ONNX export `graft demo text`
# fetches (from the local Maven repository or Maven Central, once), and its safetensors conversion
# (`graft convert`), so that Graft and PyTorch load the very same weights. Sourced by bench/run.sh,
# memory.sh, profile.sh and ops.sh from the repository root; sets MINILM_ONNX and MINILM_WEIGHTS.
MINILM_ONNX=graft-out/models/all-minilm-l6-v2/model.onnx
MINILM_WEIGHTS=graft-out/bench/minilm.safetensors
[ -f "$MINILM_ONNX" ] || ./graft demo text --help >/dev/null   # the graft script fetches the model first
if [ ! -f "$MINILM_WEIGHTS" ] || [ "$MINILM_ONNX" -nt "$MINILM_WEIGHTS" ]; then
  mkdir -p "$(dirname "$MINILM_WEIGHTS")"
  ./graft convert "$MINILM_ONNX" --out "$MINILM_WEIGHTS" >/dev/null
fi
