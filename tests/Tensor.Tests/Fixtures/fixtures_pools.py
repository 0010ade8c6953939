"""Fixtures for the pools area: max and average pooling over kernel/stride/padding/dilation/ceil_mode/
count_include_pad cases, adaptive pooling to divisible, non-divisible and larger sizes, 3-d inputs, and batch norm
in training (the running statistics after one and several steps are outputs, checked in place) and evaluation, with
and without affine parameters. Written to pytorch/pools.json by make_fixtures.py."""
import torch
import torch.nn.functional as F

import make_fixtures as mf

mf.OPS.update({
    "max_pool2d": lambda x, k, **kw: F.max_pool2d(x, k, **kw),
    "avg_pool2d": lambda x, k, **kw: F.avg_pool2d(x, k, **kw),
    "adaptive_avg_pool2d": lambda x, size: F.adaptive_avg_pool2d(x, size),
    "adaptive_max_pool2d": lambda x, size: F.adaptive_max_pool2d(x, size),
    "batch_norm": lambda x, rm, rv, w, b, **kw: F.batch_norm(x, rm, rv, w, b, **kw),
    "batch_norm_plain": lambda x, rm, rv, **kw: F.batch_norm(x, rm, rv, **kw),
    "batch_norm_no_stats": lambda x, w, b, **kw: F.batch_norm(x, None, None, w, b, **kw),
})

G = torch.Generator().manual_seed(11)


def randn(*shape, dtype=torch.float64):
    return torch.randn(*shape, generator=G, dtype=dtype).mul(100).round().div(100)


def cases():
    cases = mf.CaseList()
    add = cases.add

    # (kernel, stride, padding, dilation, ceil_mode, input shape): overlapping, strided, padded, dilated, ceil
    # windows, a kernel as large as the padded input, 1x1, the resnet stem's 3x3 stride 2 pad 1, 3-d input.
    pools = [
        (2, None, 0, 1, False, [2, 3, 4, 4]),
        (3, 2, 1, 1, False, [2, 2, 7, 7]),
        (3, 2, 1, 1, True, [1, 2, 6, 6]),
        (2, 1, 1, 2, False, [1, 1, 5, 4]),
        (3, 3, 1, 1, True, [1, 2, 5, 5]),
        (2, 2, 1, 1, True, [1, 1, 3, 3]),
        (1, 2, 0, 1, False, [1, 2, 5, 5]),
        (5, 1, 2, 1, False, [1, 1, 3, 3]),
        ([3, 2], [2, 1], [1, 0], [1, 2], True, [1, 2, 5, 6]),
        (3, 1, 1, 1, False, [2, 4, 4]),
    ]
    for i, (k, s, p, d, ceil, shape) in enumerate(pools):
        stride = {} if s is None else {"stride": s}  # PyTorch's default: the kernel size
        for dt, tag in [(torch.float64, "f64"), (torch.float32, "f32")] if i < 3 else [(torch.float64, "f64")]:
            x = randn(*shape, dtype=dt)
            add(f"max_pool2d_{i}_{tag}", {"x": (x, True)},
                [["y", "max_pool2d", ["x", k], {**stride, "padding": p, "dilation": d, "ceil_mode": ceil}]])
            for cip in [True, False]:
                add(f"avg_pool2d_{i}_{tag}_{'incl' if cip else 'excl'}", {"x": (x, True)},
                    [["y", "avg_pool2d", ["x", k], {**stride, "padding": p, "ceil_mode": ceil, "count_include_pad": cip}]])
    # Ties (after a ReLU, windows of zeros): the gradient goes to each window's first maximum.
    add("max_pool2d_ties", {"x": (torch.zeros(1, 1, 4, 4, dtype=torch.float64), True)},
        [["y", "max_pool2d", ["x", 2], {"stride": 1}]])
    add("max_pool2d_pad_too_large", {"x": (randn(1, 1, 4, 4), True)}, [["y", "max_pool2d", ["x", 2], {"padding": 2}]])
    add("avg_pool2d_output_too_small", {"x": (randn(1, 1, 4, 4), True)}, [["y", "avg_pool2d", ["x", 5], {}]])
    add("max_pool2d_2d_input", {"x": (randn(4, 4), True)}, [["y", "max_pool2d", ["x", 2], {}]])

    for size, shape in [(1, [2, 3, 5, 5]), (2, [1, 2, 4, 6]), (3, [1, 2, 5, 7]), ([2, 3], [1, 1, 5, 4]),
                        (4, [1, 1, 3, 3]), ([1, 3], [2, 4, 5]), (7, [1, 2, 7, 7])]:
        x = randn(*shape)
        tag = "x".join(map(str, size)) if isinstance(size, list) else str(size)
        for op in ["adaptive_avg_pool2d", "adaptive_max_pool2d"]:
            add(f"{op}_{tag}_from_{'x'.join(map(str, shape))}", {"x": (x, True)}, [["y", op, ["x", size], {}]])
    add("adaptive_avg_pool2d_f32", {"x": (randn(2, 3, 6, 5, dtype=torch.float32), True)}, [["y", "adaptive_avg_pool2d", ["x", [4, 3]], {}]])
    add("adaptive_max_pool2d_f32", {"x": (randn(2, 3, 6, 5, dtype=torch.float32), True)}, [["y", "adaptive_max_pool2d", ["x", 1], {}]])

    # Batch norm: training updates the running statistics in place (listed as outputs); several steps; evaluation.
    for shape in [[4, 3], [3, 2, 5], [2, 3, 3, 2]]:
        c = shape[1]
        tag = "x".join(map(str, shape))
        stats = lambda: {"rm": (randn(c), False), "rv": (randn(c).abs() + 0.5, False)}
        affine = {"w": (randn(c), True), "b": (randn(c), True)}
        add(f"batch_norm_train_{tag}", {"x": (randn(*shape), True), **stats(), **affine},
            [["y", "batch_norm", ["x", "rm", "rv", "w", "b"], {"training": True, "momentum": 0.3, "eps": 1e-3}]], ["y", "rm", "rv"])
        add(f"batch_norm_eval_{tag}", {"x": (randn(*shape), True), **stats(), **affine},
            [["y", "batch_norm", ["x", "rm", "rv", "w", "b"], {"training": False}]])
        add(f"batch_norm_plain_train_{tag}", {"x": (randn(*shape), True), **stats()},
            [["y", "batch_norm_plain", ["x", "rm", "rv"], {"training": True}]], ["y", "rm", "rv"])
        add(f"batch_norm_no_stats_{tag}", {"x": (randn(*shape), True), **affine},
            [["y", "batch_norm_no_stats", ["x", "w", "b"], {"training": True}]])
    add("batch_norm_three_steps", {"x1": (randn(5, 2, 3), False), "x2": (randn(5, 2, 3) * 2 + 1, False),
                                   "x3": (randn(5, 2, 3), True), "rm": (torch.zeros(2, dtype=torch.float64), False),
                                   "rv": (torch.ones(2, dtype=torch.float64), False)},
        [["y1", "batch_norm_plain", ["x1", "rm", "rv"], {"training": True}],
         ["y2", "batch_norm_plain", ["x2", "rm", "rv"], {"training": True}],
         ["y", "batch_norm_plain", ["x3", "rm", "rv"], {"training": True}],
         ["e", "batch_norm_plain", ["x1", "rm", "rv"], {"training": False}]], ["y", "rm", "rv", "e"])
    add("batch_norm_f32", {"x": (randn(6, 3, 2, 2, dtype=torch.float32), True), "rm": (torch.zeros(3), False),
                           "rv": (torch.ones(3), False), "w": (randn(3, dtype=torch.float32), True), "b": (randn(3, dtype=torch.float32), True)},
        [["y", "batch_norm", ["x", "rm", "rv", "w", "b"], {"training": True}]], ["y", "rm", "rv"])
    add("batch_norm_one_value_per_channel", {"x": (randn(1, 3), True), "w": (randn(3), True), "b": (randn(3), True)},
        [["y", "batch_norm_no_stats", ["x", "w", "b"], {"training": True}]])
    add("batch_norm_eval_without_stats", {"x": (randn(2, 3), True), "w": (randn(3), True), "b": (randn(3), True)},
        [["y", "batch_norm_no_stats", ["x", "w", "b"], {"training": False}]])
    add("batch_norm_wrong_weight_size", {"x": (randn(4, 3), True), "w": (randn(2), True), "b": (randn(3), True)},
        [["y", "batch_norm_no_stats", ["x", "w", "b"], {"training": True}]])
    return cases
