#!/usr/bin/env bash
# Benchmarks exported ONNX models: file size and latency (batch 1 and 32, one thread) of float and
# int8 exports under ONNX Runtime, beside Graft's own inference latency for the same weights, for
# the demo CNN (examples/specs/small-cnn.yaml with the shipped fashion-source weights), ResNet-18
# (torchvision's, 5 classes, 3x64x64, freshly initialized) and, when its ONNX file is present,
# all-MiniLM-L6-v2 with a 2-class head (64 tokens), made by graft spec, transfer and export.
# Needs: Java 17 and Maven (./graft builds graft-cli if needed); ONNX Runtime's jar in ~/.m2 (a
# test dependency of graft-cli, so `mvn test` has fetched it). Writes its files to graft-out/export-bench/.
# Usage: bench/export_bench.sh [MINILM_ONNX]
#   MINILM_ONNX: default graft-out/models/all-minilm-l6-v2/model.onnx (what ./graft demo text fetches)
set -euo pipefail
cd "$(dirname "$0")/.."
MINILM=${1:-graft-out/models/all-minilm-l6-v2/model.onnx}
ORT=$(ls ~/.m2/repository/com/microsoft/onnxruntime/onnxruntime/*/onnxruntime-*.jar 2>/dev/null | sort | tail -1)
if [ -z "$ORT" ]; then
  echo "export_bench: ONNX Runtime's jar is not in ~/.m2; run mvn -pl graft-cli test-compile once" >&2
  exit 2
fi
./graft --version >/dev/null   # builds the command line if needed
OUT=graft-out/export-bench
mkdir -p "$OUT"
CP="graft-cli/target/graft-cli.jar:graft-cli/target/lib/*:$ORT"
# one thread everywhere: Graft's libtorch intra- and inter-op pools, and ONNX Runtime's (set in ExportBench)
JAVA=(java -Xmx2g -Dai.djl.offline=true -Dai.djl.pytorch.num_threads=1 -Dai.djl.pytorch.num_interop_threads=1
  -cp "$CP")
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); load:$(uptime | sed 's/.*load average//')"
echo "onnx runtime: $(basename "$ORT" .jar)"

export_both() {   # NAME SPEC WEIGHTS
  ./graft export --model "$2" --weights "$3" --out "$OUT/$1.onnx" >/dev/null
  ./graft export --model "$2" --weights "$3" --out "$OUT/$1-int8.onnx" --int8 >/dev/null
}

# the demo CNN with its shipped source weights
export_both small-cnn examples/specs/small-cnn.yaml examples/checkpoints/fashion-source.safetensors
"${JAVA[@]}" bench/ExportBench.java time small-cnn examples/specs/small-cnn.yaml \
  examples/checkpoints/fashion-source.safetensors "$OUT/small-cnn.onnx" "$OUT/small-cnn-int8.onnx" | tee "$OUT/small-cnn.json"

# ResNet-18 at 3x64x64, freshly initialized (Graft ships no ImageNet weights; latency and size do
# not depend on the values)
./graft spec resnet18:5 | sed 's/^input: \[3, 224, 224\]$/input: [3, 64, 64]/' > "$OUT/resnet18.yaml"
"${JAVA[@]}" bench/ExportBench.java init "$OUT/resnet18.yaml" "$OUT/resnet18.safetensors"
export_both resnet18 "$OUT/resnet18.yaml" "$OUT/resnet18.safetensors"
"${JAVA[@]}" bench/ExportBench.java time resnet18-64 "$OUT/resnet18.yaml" "$OUT/resnet18.safetensors" \
  "$OUT/resnet18.onnx" "$OUT/resnet18-int8.onnx" | tee "$OUT/resnet18.json"

# all-MiniLM-L6-v2 with a new 2-class head, 64 tokens: graft spec, transfer (the head re-initialized), export
if [ -f "$MINILM" ]; then
  ./graft spec bert:2 --config "$MINILM" --length 64 > "$OUT/minilm.yaml"
  printf 'rules:\n  - {match: "classifier.*", mode: reinit}\n' > "$OUT/minilm-head.yaml"
  ./graft transfer --quiet --source "$MINILM" --target "$OUT/minilm.yaml" --rules "$OUT/minilm-head.yaml" \
    --out "$OUT/minilm.safetensors" >/dev/null
  export_both minilm "$OUT/minilm.yaml" "$OUT/minilm.safetensors"
  "${JAVA[@]}" bench/ExportBench.java time minilm-64 "$OUT/minilm.yaml" "$OUT/minilm.safetensors" \
    "$OUT/minilm.onnx" "$OUT/minilm-int8.onnx" | tee "$OUT/minilm.json"
else
  echo "export_bench: $MINILM not found (./graft demo text fetches it); MiniLM skipped" >&2
fi

/usr/bin/python3 - "$OUT" <<'PY'
import json, pathlib, sys
out = pathlib.Path(sys.argv[1])
print(f"{'model':<12} {'float MB':>9} {'int8 MB':>8} | {'ms, batch 1: graft':>18} {'ort float':>9} {'ort int8':>8}"
      f" | {'ms, batch 32: graft':>19} {'ort float':>9} {'ort int8':>8} | max |graft-ort| float, int8 (max |logit|)")
for name in ("small-cnn", "resnet18", "minilm"):
    f = out / f"{name}.json"
    if not f.exists():
        continue
    r = json.loads(f.read_text())
    print(f"{r['model']:<12} {r['float_bytes'] / 1e6:>9.2f} {r['int8_bytes'] / 1e6:>8.2f} | "
          f"{r['graft_b1_ms']:>18.2f} {r['ort_float_b1_ms']:>9.2f} {r['ort_int8_b1_ms']:>8.2f} | "
          f"{r['graft_b32_ms']:>19.1f} {r['ort_float_b32_ms']:>9.1f} {r['ort_int8_b32_ms']:>8.1f} | "
          f"{r['ort_float_max_abs_diff']:.2g}, {r['ort_int8_max_abs_diff']:.2g} ({r['graft_b32_max_abs_logit']:.3g})")
PY
