"""Builds the Tensor / PyTorch ratio table from one run of benchmarks/side-by-side.sh and writes it into
benchmarks/RESULTS.md, between the markers below (the section is replaced, the rest of the page is left alone).

Usage: python3 benchmarks/side_by_side.py RUN_DIR [--results benchmarks/RESULTS.md] [--no-write]
RUN_DIR holds what side-by-side.sh wrote: torch_ops.json, torch_mlp.json (../shared/bench's ANCHOR_JSON records),
torch_tiny.json (benchmarks/pytorch/tiny_ops.py), bdn/results/*-report-brief.json (BenchmarkDotNet),
chapter/torch.N.txt (benchmarks/pytorch/mnist_basics.py) and chapter/tensor.N.json (benchmarks/ChapterParts),
env.txt and commands.txt. A row either side did not run shows "-". Standard library only.
"""
import argparse
import glob
import json
import os
import statistics

BEGIN = "<!-- side-by-side:begin (written by benchmarks/side-by-side.sh; edits here are overwritten) -->"
END = "<!-- side-by-side:end -->"

# The one mapping from a row of the table to each side's benchmark. Tensor: (BenchmarkDotNet class, method, its
# parameters as BenchmarkDotNet prints them, "" for none); a method of None takes the class's first method whose name
# contains the text in the third place (rows that another benchmark file adds, named by its owner). PyTorch: (file,
# record name, shape or None, variant or None).
ROWS = [
    ("The issue's rows", None, None),
    ("sgemm square 128", ("MatMulBenchmarks", "MatMul", "Case=square 128"), ("torch_ops", "square 128", None, None)),
    ("sgemm square 256", ("MatMulBenchmarks", "MatMul", "Case=square 256"), ("torch_ops", "square 256", None, None)),
    ("sgemm square 512", ("MatMulBenchmarks", "MatMul", "Case=square 512"), ("torch_ops", "square 512", None, None)),
    ("sgemm square 1024", ("MatMulBenchmarks", "MatMul", "Case=square 1024"), ("torch_ops", "square 1024", None, None)),
    ("MNIST layer 256x784 @ 784x30", ("MatMulBenchmarks", "MatMul", "Case=MNIST L1 fwd 256x784@784x30"),
     ("torch_ops", "MNIST L1 fwd  X@W1", None, None)),
    ("its dW 784x256 @ 256x30 (transposed view)", ("MatMulBenchmarks", "MatMul", "Case=MNIST L1 dW 784x256@256x30"),
     ("torch_ops", "MNIST L1 bwd dW1 = X.T@dY", None, None)),
    ("its dX 256x30 @ 30x784 (transposed view)", ("MatMulBenchmarks", "MatMul", "Case=MNIST L1 dX 256x30@30x784"),
     ("torch_ops", "MNIST L1 bwd dX = dY@W1.T", None, None)),
    ("MLP epoch: modules + optimizer", ("MlpEpochBenchmarks", "ModuleAndOptimizer", ""), ("torch_mlp", "module+optim", None, None)),
    ("MLP epoch: hand-written loop", ("MlpEpochBenchmarks", "Manual", ""), ("torch_mlp", "manual (fastai ch4)", None, None)),
    ("MLP epoch: shuffled", ("MlpEpochBenchmarks", "Shuffled", ""), ("torch_mlp", "shuffled (randperm+gather)", None, None)),
    ("add 1M (new output)", ("ElementwiseBenchmarks", "Add", "N=1048576"), ("torch_ops", "add", "1M", "alloc")),
    ("relu 1M (new output)", ("ElementwiseBenchmarks", "Relu", "N=1048576"), ("torch_ops", "relu", "1M", "alloc")),
    ("sum dim 1 of 4096x4096", ("ReductionBenchmarks", "SumDim1", ""), ("torch_ops", "sum dim=1", None, None)),
    ("mean dim 1 of 4096x4096", ("ReductionBenchmarks", "MeanDim1", ""), ("torch_ops", "mean dim=1", None, None)),
    ("pixel distance (1010,28,28) - (28,28), abs, mean over the last two dims", ("LayoutBenchmarks", "PixelDistance", ""),
     ("torch_ops", "pixel-similarity", None, None)),
    ("tiny op: add of two 30-element tensors", ("OverheadBenchmarks", None, "Add"), ("torch_tiny", "add 30", None, None)),
    ("tiny op: 256x30 @ 30x1", ("OverheadBenchmarks", None, "MatMul"), ("torch_tiny", "matmul 256x30@30x1", None, None)),
    ("Already ahead (keep them ahead)", None, None),
    *[(f"{op} {n} (new output)", ("ElementwiseBenchmarks", op.capitalize(), f"N={1 << (20 if n == '1M' else 24)}"),
       ("torch_ops", op, n, "alloc"))
      for op, n in (("exp", "1M"), ("sigmoid", "1M"), ("mul", "1M"), ("add", "16M"), ("mul", "16M"), ("exp", "16M"),
                    ("sigmoid", "16M"), ("relu", "16M"))],
    ("sum of 16M", ("ReductionBenchmarks", "Sum16M", ""), ("torch_ops", "sum", "16M", None)),
    ("mean of 16M", ("ReductionBenchmarks", "Mean16M", ""), ("torch_ops", "mean", "16M", None)),
    ("sum dim 0 of 4096x4096", ("ReductionBenchmarks", "SumDim0", ""), ("torch_ops", "sum dim=0", None, None)),
    ("mean dim 0 of 4096x4096", ("ReductionBenchmarks", "MeanDim0", ""), ("torch_ops", "mean dim=0", None, None)),
    ("broadcast add (4096,1) + (1,4096)", ("LayoutBenchmarks", "BroadcastAdd", ""), ("torch_ops", "bcast add", None, "alloc")),
    ("4096x4096 transpose, made contiguous", ("LayoutBenchmarks", "TransposeCopy", ""), ("torch_ops", "transpose copy", None, "alloc")),
]

# The chapter's parts: the key both programs report them under, and the label.
PARTS = [("look_at_data", "1 look at the data"), ("pixel_similarity", "2 pixel similarity"),
         ("sgd_quadratic", "3 SGD on the quadratic"), ("linear_by_hand", "4 linear model by hand, 20 epochs"),
         ("linear_learner", "5 nn.Linear + BasicOptim, SGD, Learner"), ("simple_net", "6 simple_net, 40 epochs")]


def load_json(path):
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


def torch_times(run):
    """{file: [records]} of the PyTorch side."""
    out = {}
    for name in ("torch_ops", "torch_mlp", "torch_tiny"):
        d = load_json(os.path.join(run, name + ".json"))
        out[name] = d["records"] if d else []
    return out


def torch_seconds(records, file, name, shape, variant):
    for r in records.get(file, []):
        if r["name"] == name and (shape is None or r.get("shape") == shape) and (variant is None or r.get("variant") == variant):
            return r["median_s"]
    return None


def bdn_times(run):
    """{(type, method, parameters): median seconds} from every brief JSON report of the run."""
    out = {}
    for path in glob.glob(os.path.join(run, "bdn", "results", "*-report-brief.json")):
        for b in (load_json(path) or {}).get("Benchmarks", []):
            stats = b.get("Statistics")
            if stats:
                out[(b["Type"], b["Method"], b.get("Parameters", ""))] = stats["Median"] / 1e9
    return out


def shown(params):
    """BenchmarkDotNet's report text for "Name=value": values over 20 characters are shortened to their first and
    last five around "(...)", with the length in brackets (e.g. 'Case=MNIST(...)84x30 [27]')."""
    name, _, value = params.partition("=")
    return params if len(value) <= 20 else f"{name}={value[:5]}(...){value[-5:]} [{len(value)}]"


def bdn_seconds(times, key):
    type_, method, params = key
    if method is not None:
        return times.get((type_, method, params), times.get((type_, method, shown(params))))
    for (t, m, _), s in sorted(times.items()):
        if t == type_ and params.lower() in m.lower():
            return s
    return None


def fmt(s):
    if s is None:
        return "-"
    if s < 1e-3:
        return f"{s * 1e6:.2f} us"
    if s < 1:
        return f"{s * 1e3:.2f} ms"
    return f"{s:.3f} s"


def secs(s):
    return "-" if s is None else f"{s:.3f}"


def ratio(ours, theirs):
    return "-" if ours is None or theirs is None or theirs == 0 else f"{ours / theirs:.2f}"


def chapter(run):
    """Per part: PyTorch's seconds over its runs, Tensor's first pass and its last (compiled) pass."""
    torch_runs, first, last, cpu_first, cpu_last = [], [], [], [], []
    for path in sorted(glob.glob(os.path.join(run, "chapter", "torch.*.txt"))):
        text = open(path).read()
        start = text.find("\n{")   # the script prints a tensor, then its JSON
        try:
            torch_runs.append(json.loads(text[start + 1:] if start >= 0 else text)["seconds"])
        except ValueError:
            pass
    for path in sorted(glob.glob(os.path.join(run, "chapter", "tensor.*.json"))):
        d = load_json(path)
        if d and d["passes"]:
            first.append(d["passes"][0])
            last.append(d["passes"][-1])
        if d and d.get("cpu_passes"):
            cpu_first.append(d["cpu_passes"][0])
            cpu_last.append(d["cpu_passes"][-1])

    def med(runs, key):
        vals = [r[key] for r in runs if key in r]
        return statistics.median(vals) if vals else None

    def each(runs, key):
        return ", ".join(f"{r[key]:.3f}" for r in runs if key in r) or "-"

    # The last part, resnet18 for one epoch: PyTorch's script ends with a JSON line, the sample writes a JSON file.
    torch_resnet, tensor_resnet = [], []
    for path in sorted(glob.glob(os.path.join(run, "chapter", "torch-resnet.*.txt"))):
        lines = [l for l in open(path).read().splitlines() if l.startswith("{")]
        try:
            torch_resnet.append({"resnet18": json.loads(lines[-1])["seconds"]})
        except (IndexError, KeyError, ValueError):
            pass
    for path in sorted(glob.glob(os.path.join(run, "chapter", "tensor-resnet.*.json"))):
        d = load_json(path)
        if d and "resnet18" in d:
            tensor_resnet.append({"resnet18": d["resnet18"]["seconds"]})

    rows = []
    for key, label in PARTS:
        t, f, l = med(torch_runs, key), med(first, key), med(last, key)
        cf, cl = med(cpu_first, key), med(cpu_last, key)
        rows.append([label, each(torch_runs, key), each(first, key), ratio(f, t), secs(l), secs(f - l if f is not None and l is not None else None),
                     secs(cf - cl if cf is not None and cl is not None else None)])
    if torch_resnet or tensor_resnet:
        t, f = med(torch_resnet, "resnet18"), med(tensor_resnet, "resnet18")
        rows.append(["7 resnet18, one epoch (training and validation; the sample, as a user runs it)", each(torch_resnet, "resnet18"),
                     each(tensor_resnet, "resnet18"), ratio(f, t), "-", "-", "-"])
    return rows, len(torch_runs), len(first)


def table(run):
    torch, bdn = torch_times(run), bdn_times(run)
    env = open(os.path.join(run, "env.txt")).read().strip() if os.path.exists(os.path.join(run, "env.txt")) else "?"
    commands = open(os.path.join(run, "commands.txt")).read().strip() if os.path.exists(os.path.join(run, "commands.txt")) else "?"
    out = [BEGIN, "", f"Run `{os.path.basename(os.path.normpath(run))}` of `benchmarks/side-by-side.sh`; raw output in "
           f"`benchmarks/results/{os.path.basename(os.path.normpath(run))}/`. Ratio = Tensor time / PyTorch time "
           "(below 1: Tensor is faster); each side's median.", "", "```", env, "```", "", "Commands, in the order run, from `benchmarks/`:", "",
           "```sh", commands, "```", "", "| row | PyTorch | Tensor | ratio |", "|---|---:|---:|---:|"]
    for label, ours, theirs in ROWS:
        if ours is None:
            out.append(f"| **{label}** | | | |")
            continue
        o, t = bdn_seconds(bdn, ours), torch_seconds(torch, *theirs)
        out.append(f"| {label} | {fmt(t)} | {fmt(o)} | {ratio(o, t)} |")
    rows, nt, nf = chapter(run)
    out += ["", f"The chapter part by part, each run a fresh process (PyTorch: `benchmarks/pytorch/mnist_basics.py`, {nt} "
            f"run(s); Tensor: `benchmarks/ChapterParts`, {nf} run(s); part 7: `benchmarks/pytorch/resnet_epoch.py` and "
            "`samples/MnistBasics --parts 7`, seed 42): seconds of each run, the ratio of the medians, "
            "Tensor's same part run again in the same process (compiled), and the first run minus that: what the part's "
            "first calls cost (mostly the JIT), in wall-clock seconds and in the process's CPU seconds (all threads; "
            "less disturbed by other work on a shared machine). Medians over the runs.", "",
            "| part | PyTorch (s) | Tensor, first run (s) | ratio | Tensor, again (s) | first calls (s) | first calls, CPU (s) |",
            "|---|---:|---:|---:|---:|---:|---:|"]
    out += ["| " + " | ".join(r) + " |" for r in rows]
    out += ["", END]
    return "\n".join(out) + "\n"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("run")
    ap.add_argument("--results", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "RESULTS.md"))
    ap.add_argument("--no-write", action="store_true", help="print the section instead of writing RESULTS.md")
    args = ap.parse_args()
    section = table(args.run)
    with open(os.path.join(args.run, "table.md"), "w") as f:
        f.write(section)
    if args.no_write:
        print(section)
        return
    page = open(args.results).read()
    if BEGIN in page and END in page:
        page = page[:page.index(BEGIN)] + section.rstrip("\n") + page[page.index(END) + len(END):]
    else:   # first time: after the page's introduction, before its first section
        at = page.find("\n## ")
        page = page[:at + 1] + "## Side by side (the issue's table)\n\n" + section + "\n" + page[at + 1:] if at >= 0 else page + "\n" + section
    with open(args.results, "w") as f:
        f.write(page)
    print(f"wrote {args.results} and {os.path.join(args.run, 'table.md')}")


if __name__ == "__main__":
    main()
