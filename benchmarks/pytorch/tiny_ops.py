"""PyTorch's fixed cost per op: ops too small for their arithmetic to matter, for the per-op overhead rows of
benchmarks/side-by-side.sh (Tensor's side: OverheadBenchmarks in benchmarks/Tensor.Benchmarks).

Usage: /usr/bin/python3 benchmarks/pytorch/tiny_ops.py [--threads 2] [--json FILE]
Rows: torch.add of two 30-element float32 tensors (new output); (256x30) @ (30x1), the chapter's second layer.
Each: warm-up, then 11 samples of enough calls to last 50 ms; prints the median per call (markdown), and with
--json writes {"records": [{"name", "median_s", "min_s"}]} like ../shared/bench's ANCHOR_JSON.
"""
import argparse, json, statistics, time
import torch

ap = argparse.ArgumentParser()
ap.add_argument("--threads", type=int, default=2)
ap.add_argument("--json")
args = ap.parse_args()
torch.set_num_threads(args.threads)
g = torch.Generator().manual_seed(0)
a, b = torch.randn(30, generator=g), torch.randn(30, generator=g)
h, w = torch.randn(256, 30, generator=g), torch.randn(30, 1, generator=g)


def per_call(fn, samples=11, sample_s=0.05):
    t0 = time.perf_counter()
    while time.perf_counter() - t0 < 0.3:
        fn()
    k, t = 0, time.perf_counter()
    while time.perf_counter() - t < sample_s:
        fn(); k += 1
    times = []
    for _ in range(samples):
        t = time.perf_counter()
        for _ in range(k):
            fn()
        times.append((time.perf_counter() - t) / k)
    return statistics.median(times), min(times)


records = []
print(f"<!-- torch {torch.__version__}, {torch.get_num_threads()} threads -->\n")
print("| op | median | min |\n|---|---|---|")
for name, fn in (("add 30", lambda: torch.add(a, b)), ("matmul 256x30@30x1", lambda: h @ w)):
    med, mn = per_call(fn)
    records.append({"name": name, "median_s": med, "min_s": mn})
    print(f"| {name} | {med * 1e6:.2f} us | {mn * 1e6:.2f} us |")
if args.json:
    with open(args.json, "w") as f:
        json.dump({"tag": "torch-tiny", "records": records}, f, indent=1)
