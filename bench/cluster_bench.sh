#!/usr/bin/env bash
# Cluster benchmark: the MLP search (bench/search/mlp-search.yaml, random sampler, N trials) on 1 and
# 2 executors of one core each, as worker JVMs and as Spark executors on a standalone cluster on
# 127.0.0.1 (master and workers started by bench/ClusterBench.java), in the same run: trials per hour
# over the whole search and after the first result, and the start-up cost (executor creation to
# first result, less one trial's own time).
# Usage: bench/cluster_bench.sh [TRIALS] [KINDS]   (defaults 48, "pool spark"). Run through /work/bin/quiet for BENCHMARKS.md.
set -euo pipefail
TRIALS=${1:-48}
KINDS=${2:-pool spark}
cd "$(dirname "$0")/.."
./graft --version >/dev/null
if ! [ -f graft-spark/target/graft-spark.jar ]; then
  mvn -B -q -o -pl graft-spark -am -DskipTests package >&2
fi
OPENS="-XX:+IgnoreUnrecognizedVMOptions --add-modules=jdk.incubator.vector --add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.lang.invoke=ALL-UNNAMED --add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED --add-opens=java.base/java.net=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.util.concurrent=ALL-UNNAMED --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED --add-opens=java.base/jdk.internal.ref=ALL-UNNAMED --add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/sun.nio.cs=ALL-UNNAMED --add-opens=java.base/sun.security.action=ALL-UNNAMED --add-opens=java.base/sun.util.calendar=ALL-UNNAMED -Dio.netty.tryReflectionSetAccessible=true"
CP="$PWD/graft-cli/target/graft-cli.jar:$PWD/graft-cli/target/lib/*:$PWD/graft-spark/target/graft-spark.jar:$PWD/graft-spark/target/lib/*"
export MALLOC_ARENA_MAX=1
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); $(date -u +%F)"
if [ ! -f graft-out/bench/mlp-source/train/scratch/model.safetensors ]; then
  ./graft train bench/search/mlp-pretrain.yaml --quiet > /dev/null
fi
for kind in $KINDS; do
  for n in 1 2; do
    out=bench/search/.tmp-cluster-$kind$n.yaml
    sed -e "s/^name: .*/name: mlp-cluster-$kind$n/" -e "s/^  trials: .*/  trials: $TRIALS/" \
      -e "s|^output: .*|output: ../../graft-out/bench/mlp-cluster-$kind$n|" bench/search/mlp-search.yaml > "$out"
    rm -rf "graft-out/bench/mlp-cluster-$kind$n"
    echo "$kind x $n: $(java -Xmx2g -Dai.djl.offline=true -Dai.djl.pytorch.num_threads=1 $OPENS -cp "$CP" bench/ClusterBench.java "$out" $kind $n 2>"graft-out/bench/cluster-$kind$n.err" | tail -1)"
    rm -f "$out"
  done
done
