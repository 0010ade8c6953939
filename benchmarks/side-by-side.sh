#!/usr/bin/env bash
# Runs PyTorch's anchors (../shared/bench, if present) and this library's BenchmarkDotNet suite back to back, so
# the two sets of numbers come from one session on one machine. Output: benchmarks/results/<tag>/.
# Needs (once, as root): apt-get install -y --no-install-recommends python3-torch python3-numpy libopenblas0
set -euo pipefail
cd "$(dirname "$0")"
tag=${1:-$(date -u +%Y%m%d-%H%M)}
out=results/$tag
mkdir -p "$out"
{ grep -m1 'model name' /proc/cpuinfo; nproc; dotnet --version; /usr/bin/python3 -c 'import torch; print("torch", torch.__version__)' || true; } > "$out/env.txt" 2>&1
anchors=../../shared/bench/pytorch-cpu
if [ -d "$anchors" ]; then
  (cd "$anchors" && OPENBLAS_NUM_THREADS=2 /usr/bin/python3 bench_ops.py --backend torch --threads 2 --only "${ONLY:-abcde}") > "$out/torch_ops.md" 2>&1
  (cd "$anchors" && OPENBLAS_NUM_THREADS=2 /usr/bin/python3 bench_mlp.py --threads 2) > "$out/torch_mlp.md" 2>&1
fi
dotnet run -c Release --project Tensor.Benchmarks -- --filter "${FILTER:-*}" --exporters markdown > "$out/tensor_bdn.log" 2>&1
cp "$(ls -t BenchmarkDotNet.Artifacts/results/*-report-github.md | head -n 1)" "$out/" 2>/dev/null || true
echo "wrote $out"
