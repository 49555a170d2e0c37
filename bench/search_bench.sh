#!/usr/bin/env bash
# Search benchmark: evaluations per hour and the best validation accuracy at equal budgets.
#  1. CNN: memo + frozen-prefix cache + successive halving (graft search) against naive
#     (every trial a full fine-tune, one JVM).
#  2. MLP: 2 worker JVMs (1 thread each) against 1 JVM with 2 threads and with 1 thread.
set -euo pipefail
cd "$(dirname "$0")/.."
./graft --version >/dev/null
CP="graft-cli/target/graft-cli.jar:graft-cli/target/lib/*"
export MALLOC_ARENA_MAX=1
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"

rm -rf graft-out/bench/cnn-search
t0=$(date +%s.%N)
./graft search bench/search/cnn-search.yaml --quiet > /tmp/graft-bench-cnn.txt
t1=$(date +%s.%N)
opt_best=$(grep -o 'validation [0-9.]*' /tmp/graft-bench-cnn.txt | head -1 | cut -d' ' -f2)
naive=$(java -Dai.djl.offline=true -Dai.djl.pytorch.num_threads=2 -cp "$CP" bench/SearchBench.java bench/search/cnn-search.yaml)
/usr/bin/python3 - "$t0" "$t1" "$opt_best" "$naive" <<'PY'
import json, sys
t0, t1, best, naive = float(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3]), json.loads(sys.argv[4])
secs = t1 - t0
trials = naive["trials"]
print(f"cnn, {trials} trials: optimized {secs:.1f} s ({trials / secs * 3600:.0f} evaluations/hour, best {best:.4f}) "
      f"vs naive {naive['seconds']:.1f} s ({naive['per_hour']:.0f}/hour, best {naive['best']:.4f}): "
      f"{naive['seconds'] / secs:.2f}x the evaluations per hour, best accuracy {100 * (best - naive['best']):+.1f} points")
PY

if [ ! -f graft-out/bench/mlp-source/model.safetensors ]; then
  ./graft train bench/search/mlp-pretrain.yaml --quiet > /dev/null
fi
for w in 1t 1 2; do
  rm -rf graft-out/bench/mlp-search
  s=$(date +%s.%N)
  case "$w" in
    1t) GRAFT_JAVA_OPTS=-Dai.djl.pytorch.num_threads=1 ./graft search bench/search/mlp-search.yaml --quiet > /dev/null ;;
    1) ./graft search bench/search/mlp-search.yaml --quiet > /dev/null ;;
    2) ./graft search bench/search/mlp-search.yaml --quiet --workers 2 --threads 1 > /dev/null ;;
  esac
  e=$(date +%s.%N)
  eval "mlp_${w}=$(echo "$e - $s" | bc)"
done
echo "mlp, 48 trials: 1 JVM x 2 threads ${mlp_1} s, 1 JVM x 1 thread ${mlp_1t} s, 2 worker JVMs x 1 thread ${mlp_2} s:"\
  "$(echo "scale=2; $mlp_1 / $mlp_2" | bc)x and $(echo "scale=2; $mlp_1t / $mlp_2" | bc)x"
