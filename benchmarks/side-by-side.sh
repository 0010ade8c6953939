#!/usr/bin/env bash
# The issue's table, measured: PyTorch's anchors (../shared/bench/pytorch-cpu and benchmarks/pytorch) and this
# library's BenchmarkDotNet suite and chapter harness back to back in one session on one machine, then
# benchmarks/side_by_side.py writes the ratio table into benchmarks/RESULTS.md (its marked section) and
# results/<tag>/table.md. Output: benchmarks/results/<tag>/.
#
#   bash benchmarks/side-by-side.sh [TAG]
#
# Environment: FILTER (BenchmarkDotNet's --filter, default '*'), ONLY (bench_ops.py's sections, default abcde),
# SHORT=1 (a quick check: 3 iterations per BenchmarkDotNet row, 3 PyTorch samples, 3 MLP epochs, 1 chapter run),
# CHAPTER_RUNS (fresh processes per side for the chapter, default 3; 0 skips it), RESNET_RUNS (the same for the
# chapter's last part, resnet18 for one epoch, about 25 s a run; default 1, 0 with SHORT=1), MNIST_DATA (the MNIST
# IDX folder, default ../shared/data/mnist beside the repository), WRITE=0 (leave RESULTS.md alone).
# Needs (once, as root): apt-get install -y --no-install-recommends python3-torch python3-numpy libopenblas0
set -euo pipefail
cd "$(dirname "$0")"
tag=${1:-$(date -u +%Y%m%d-%H%M)}
out=$PWD/results/$tag
anchors=$PWD/../../shared/bench/pytorch-cpu
mkdir -p "$out/chapter"
: > "$out/commands.txt"
py=/usr/bin/python3
data=${MNIST_DATA:-$PWD/../../shared/data/mnist}
chapter_runs=${CHAPTER_RUNS:-3}
resnet_runs=${RESNET_RUNS:-1}
bdn_args=(--filter "${FILTER:-*}")
if [ "${SHORT:-0}" = 1 ]; then
  export ANCHOR_REPEATS=3 ANCHOR_SAMPLE_S=0.02 ANCHOR_WARMUP_S=0.1
  bdn_args+=(--iterationCount 3 --warmupCount 1)
  mlp_epochs=3; chapter_runs=${CHAPTER_RUNS:-1}; resnet_runs=${RESNET_RUNS:-0}
  echo "export ANCHOR_REPEATS=3 ANCHOR_SAMPLE_S=0.02 ANCHOR_WARMUP_S=0.1   # SHORT=1" >> "$out/commands.txt"
fi

# Runs a command (from benchmarks/) after writing it to commands.txt, paths relative to benchmarks/.
run() { echo "$*" | sed -e "s|$PWD/||g" >> "$out/commands.txt"; "$@"; }

{
  echo "date: $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | xargs), $(nproc) cores, flags: $(grep -m1 -o -w -E 'avx512f|avx2' /proc/cpuinfo | sort -u | xargs)"
  echo "dotnet: $(dotnet --version); $($py -c 'import torch; print("torch", torch.__version__)' 2>/dev/null || echo 'no PyTorch')"
  echo "mode: SHORT=${SHORT:-0} FILTER=${FILTER:-*} ONLY=${ONLY:-abcde} CHAPTER_RUNS=$chapter_runs RESNET_RUNS=$resnet_runs"
  echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
} > "$out/env.txt"

if [ -d "$anchors" ]; then
  run env OPENBLAS_NUM_THREADS=2 ANCHOR_JSON="$out/torch_ops.json" $py "$anchors/bench_ops.py" --backend torch --threads 2 \
    --only "${ONLY:-abcde}" > "$out/torch_ops.md" 2>&1
  run env OPENBLAS_NUM_THREADS=2 ANCHOR_JSON="$out/torch_mlp.json" $py "$anchors/bench_mlp.py" --threads 2 \
    --epochs "${mlp_epochs:-15}" > "$out/torch_mlp.md" 2>&1
else
  echo "no $anchors: PyTorch's op and MLP rows will show '-'" >&2
fi
run env OPENBLAS_NUM_THREADS=2 $py pytorch/tiny_ops.py --threads 2 --json "$out/torch_tiny.json" > "$out/torch_tiny.md" 2>&1 || echo "tiny_ops.py failed (no PyTorch?)" >&2

run dotnet run -c Release --project Tensor.Benchmarks -- "${bdn_args[@]}" --exporters briefjson markdown \
  --artifacts "$out/bdn" > "$out/tensor_bdn.log" 2>&1

# The chapter part by part, a fresh process each run, the two sides alternating.
if [ "$chapter_runs" -gt 0 ] && [ -d "$data" ]; then
  run dotnet build -c Release ChapterParts > "$out/chapter/build.log" 2>&1
  for i in $(seq 1 "$chapter_runs"); do
    run env OPENBLAS_NUM_THREADS=2 $py pytorch/mnist_basics.py --data "$data" --threads 2 > "$out/chapter/torch.$i.txt" 2>&1 || true
    run dotnet ChapterParts/bin/Release/net10.0/ChapterParts.dll --data "$data" --passes 2 \
      --json "$out/chapter/tensor.$i.json" > /dev/null
  done
fi
# The chapter's last part, resnet18 for one epoch (the sample's part 7; PyTorch: the same recipe written out), fresh
# processes, the two sides alternating.
if [ "$resnet_runs" -gt 0 ] && [ -d "$data" ]; then
  run dotnet build -c Release ../samples/MnistBasics > "$out/chapter/resnet-build.log" 2>&1
  for i in $(seq 1 "$resnet_runs"); do
    run env OPENBLAS_NUM_THREADS=2 $py pytorch/resnet_epoch.py --data "$data" --threads 2 --seed 42 > "$out/chapter/torch-resnet.$i.txt" 2>&1 || true
    run dotnet ../samples/MnistBasics/bin/Release/net10.0/MnistBasics.dll --data "$data" --parts 7 --seed 42 \
      --json "$out/chapter/tensor-resnet.$i.json" --out "$out/chapter/pictures" > /dev/null
  done
fi
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$out/env.txt"

if [ "${WRITE:-1}" = 1 ]; then $py side_by_side.py "$out"; else $py side_by_side.py "$out" --no-write > /dev/null; fi
echo "wrote $out"
