#!/usr/bin/python3
"""Writes the PyTorch fixtures that PyTorchFixtureTests replays (CI has no PyTorch, so the JSON is committed).

Run with Debian's PyTorch 1.13:  /usr/bin/python3 tests/Tensor.Tests/Fixtures/make_fixtures.py [file ...]
The output is deterministic (seeded), so a rerun only changes the files when this script or PyTorch changes.

A case is {name, inputs, program, outputs | error, grad}. `inputs` maps names to tensors (dtype, shape, values,
requires_grad). `program` is a list of steps [out, op, args, kwargs]: a string argument names a value, any other
argument is a literal (a JSON integer is a Python int, a JSON number with '.' or 'e' a Python float,
{"float": "nan"|"inf"|"-inf"} a special float, a list of ints a shape or dims). `outputs` holds the expected tensors
by name (for in-place ops the base is listed too, so the effect on it is checked). `grad`, for float programs, is
the upstream gradient of one output (`of`) and the expected gradients of the inputs that require grad (null for
None): loss = (output * upstream).sum(). `error` is the PyTorch exception when the program raises instead.
NaN and +-inf are written as strings, int64 values beyond 2^53 as strings.
"""
import importlib
import json
import math
import os
import random
import sys

import numpy as np
import torch
import torch.nn.functional as F

DT = {"bool": torch.bool, "uint8": torch.uint8, "int32": torch.int32, "int64": torch.int64,
      "float32": torch.float32, "float64": torch.float64}
NAME = {v: k for k, v in DT.items()}
FLOATS = ["float32", "float64"]
ALL = ["bool", "uint8", "int32", "int64", "float32", "float64"]


def _reduce(method):
    def run(x, dim=None, keepdim=False):
        return getattr(x, method)() if dim is None else getattr(x, method)(dim, keepdim=keepdim)
    return run


def _slice(x, dim, start, end, step):
    dim = dim % x.dim()
    return x[(slice(None),) * dim + (slice(start, end, step),)]


def _div(a, b, rounding_mode=None):
    return a / b if rounding_mode is None else torch.div(a, b, rounding_mode=rounding_mode)


OPS = {
    "view": lambda x, s: x.view(*s), "reshape": lambda x, s: x.reshape(*s), "permute": lambda x, d: x.permute(*d),
    "expand": lambda x, s: x.expand(*s), "transpose": lambda x, a, b: x.transpose(a, b),
    "narrow": lambda x, d, s, n: x.narrow(d, s, n), "select": lambda x, d, i: x.select(d, i), "slice": _slice,
    "squeeze": lambda x, *d: x.squeeze(*d), "unsqueeze": lambda x, d: x.unsqueeze(d),
    "flatten": lambda x, s=0, e=-1: x.flatten(s, e), "t": lambda x: x.t(), "clone": lambda x: x.clone(),
    "contiguous": lambda x: x.contiguous(), "to": lambda x, dtype: x.to(DT[dtype]),
    "add": lambda a, b: a + b, "sub": lambda a, b: a - b, "mul": lambda a, b: a * b, "div": _div,
    "floor_divide": torch.floor_divide, "remainder": torch.remainder, "mod": lambda a, b: a % b,
    "pow": torch.pow, "maximum": torch.maximum, "minimum": torch.minimum,
    "eq": torch.eq, "ne": torch.ne, "lt": torch.lt, "le": torch.le, "gt": torch.gt, "ge": torch.ge,
    "where": torch.where, "clamp": lambda x, min=None, max=None: x.clamp(min=min, max=max),
    "exp": torch.exp, "log": torch.log, "sqrt": torch.sqrt, "abs": torch.abs, "relu": torch.relu,
    "sigmoid": torch.sigmoid, "tanh": torch.tanh, "neg": torch.neg,
    "sum": _reduce("sum"), "mean": _reduce("mean"), "amax": _reduce("amax"), "amin": _reduce("amin"),
    "argmax": _reduce("argmax"), "argmin": _reduce("argmin"), "matmul": torch.matmul,
    "add_": lambda a, b: a.add_(b), "sub_": lambda a, b: a.sub_(b), "mul_": lambda a, b: a.mul_(b),
    "div_": lambda a, b: a.div_(b), "relu_": lambda x: x.relu_(),
    "softmax": lambda x, d: torch.softmax(x, d), "log_softmax": lambda x, d: torch.log_softmax(x, d),
    "index_select": lambda x, d, idx: x.index_select(d, torch.tensor(idx, dtype=torch.long)),
    "bce_with_logits": F.binary_cross_entropy_with_logits, "bce": F.binary_cross_entropy,
    "logical_and": torch.logical_and, "logical_or": torch.logical_or, "logical_xor": torch.logical_xor,
    "logical_not": torch.logical_not, "bitwise_and": torch.bitwise_and, "bitwise_or": torch.bitwise_or,
    "bitwise_xor": torch.bitwise_xor, "bitwise_not": torch.bitwise_not,
    "op_and": lambda a, b: a & b, "op_or": lambda a, b: a | b, "op_xor": lambda a, b: a ^ b, "op_invert": lambda a: ~a,
}


def enc_value(v, dtype):
    if dtype == torch.bool:
        return bool(v)
    if dtype.is_floating_point:
        if math.isnan(v):
            return "nan"
        if math.isinf(v):
            return "inf" if v > 0 else "-inf"
        # float32 as its shortest decimal, which parses back to the same float32.
        return float(repr(np.float32(v))) if dtype == torch.float32 else float(v)
    v = int(v)
    return str(v) if abs(v) > 2 ** 53 else v


def enc(t):
    t = t.detach()
    return {"dtype": NAME[t.dtype], "shape": list(t.shape),
            "values": [enc_value(v, t.dtype) for v in t.reshape(-1).tolist()]}


def enc_arg(a):
    if isinstance(a, float) and not math.isfinite(a):
        return {"float": "nan" if math.isnan(a) else ("inf" if a > 0 else "-inf")}
    return a


class Case:
    def __init__(self, name, inputs, program, outputs=None, grad=True):
        self.name, self.inputs, self.program = name, inputs, program
        self.outputs = outputs or [program[-1][0]]
        self.grad = grad

    def run(self, seed):
        env = {}
        for n, (t, rg) in self.inputs.items():
            env[n] = t.clone().requires_grad_(rg)
        case = {"name": self.name,
                "inputs": {n: dict(enc(t), requires_grad=rg) for n, (t, rg) in self.inputs.items()},
                "program": [[o, op, [enc_arg(a) for a in args], {k: enc_arg(v) for k, v in kw.items()}]
                            for o, op, args, kw in self.program]}
        try:
            for out, op, args, kw in self.program:
                env[out] = OPS[op](*[env[a] if isinstance(a, str) else a for a in args], **kw)
            case["outputs"] = {n: enc(env[n]) for n in self.outputs}
            y = env[self.outputs[0]]
            if self.grad and y.requires_grad and y.dtype.is_floating_point:
                g = torch.randn(y.shape, generator=torch.Generator().manual_seed(seed), dtype=torch.float64)
                g = g.mul(100).round().div(100).to(y.dtype)
                leaves = [n for n, (_, rg) in self.inputs.items() if rg]
                (y * g).sum().backward()
                case["grad"] = {"of": self.outputs[0], "upstream": enc(g),
                                "inputs": {n: (None if env[n].grad is None else enc(env[n].grad)) for n in leaves}}
        except Exception as e:  # PyTorch refused: we must throw too
            case.pop("outputs", None)
            case.pop("grad", None)
            case["error"] = f"{type(e).__name__}: {str(e).splitlines()[0][:200]}"
        return case


class CaseList(list):
    """The cases of one fixture file, with the two ways the area modules add one."""

    def add(self, name, inputs, program, outputs=None, grad=True):
        self.append(Case(name, inputs, program, outputs, grad))

    def one(self, name, x, op, args=(), kw=None, rg=None):
        """y = op(x, *args, **kw); x requires grad when it is floating point, unless rg says otherwise."""
        self.add(name, {"x": (x, x.dtype.is_floating_point if rg is None else rg)}, [["y", op, ["x", *args], kw or {}]])


def tensor(values, dtype):
    return torch.tensor(values, dtype=DT[dtype])


# ---------------------------------------------------------------- random programs

R = random.Random(8)


def rshape(max_rank=3, max_size=4, min_size=1):
    return [R.randint(min_size, max_size) for _ in range(R.randint(0, max_rank))]


def rvalues(shape, dtype, positive=False):
    n = int(np.prod(shape)) if shape else 1
    if dtype == "bool":
        vals = [R.random() < 0.5 for _ in range(n)]
    elif dtype == "uint8":
        vals = [R.randint(0, 20) for _ in range(n)]
    elif dtype in ("int32", "int64"):
        vals = [R.randint(1, 9) if positive else R.randint(-9, 9) for _ in range(n)]
    else:
        vals = [round(abs(R.gauss(0, 1.5)) + 0.05 if positive else R.gauss(0, 1.5), 2) for _ in range(n)]
    return torch.tensor(vals, dtype=DT[dtype]).reshape(shape)


def rscalar(kind):
    return R.randint(-5, 5) if kind == "int" else round(R.uniform(-3, 3), 2)


def random_view(shape):
    """One view op valid for `shape`: (op, args, new shape)."""
    rank = len(shape)
    choices = ["reshape", "unsqueeze", "flatten"]
    if rank >= 1:
        choices += ["view", "squeeze", "expand", "transpose"]
        if 0 not in shape:
            choices += ["narrow", "select", "slice"]
    if rank >= 2:
        choices += ["permute", "t" if rank == 2 else "transpose"]
    op = R.choice(choices)
    if op in ("view", "reshape"):
        n = int(np.prod(shape)) if shape else 1
        d = R.choice([d for d in range(1, n + 1) if n % d == 0] or [1])
        new = R.choice([[n], [d, n // d], [-1, d], [1, n, 1]]) if n else R.choice([[0], [0, 3], [2, 0]])
        if op == "view" and rank == 0:
            new = [1]
        return op, [new]
    if op == "permute":
        p = list(range(rank)); R.shuffle(p); return op, [p]
    if op == "transpose":
        return op, [R.randrange(-rank, rank), R.randrange(-rank, rank)] if rank else [0, -1]
    if op == "t":
        return op, []
    d = R.randrange(rank) if rank else 0
    if op == "narrow":
        s = R.randint(0, shape[d] - 1); return op, [d, s, R.randint(0, shape[d] - s)]
    if op == "select":
        return op, [d, R.randint(-shape[d], shape[d] - 1)]
    if op == "slice":
        return op, [d, R.randint(-shape[d], shape[d]), R.randint(0, shape[d] + 1), R.randint(1, 3)]
    if op == "squeeze":
        return (op, []) if R.random() < 0.3 else (op, [R.randrange(-rank, rank)])
    if op == "unsqueeze":
        return op, [R.randint(-rank - 1, rank)]
    if op == "flatten":
        if rank == 0:
            return op, []
        a = R.randrange(rank); return op, [a, R.randint(a, rank - 1)]
    if op == "expand":
        ones = [i for i, s in enumerate(shape) if s == 1]
        new = list(shape)
        for i in ones:
            new[i] = R.randint(1, 3)
        if R.random() < 0.5:
            new = [R.randint(1, 3)] + new
        if R.random() < 0.5 and rank:
            new[-1] = -1
        return op, [new]


def random_cases():
    cases = []

    def add(kind, inputs, program, outputs=None, grad=True):
        cases.append(Case(f"{kind}_{sum(c.name.startswith(kind + '_') for c in cases):03d}", inputs, program, outputs, grad))

    for _ in range(60):  # chains of views, with the gradient put back through them
        dt = R.choice(["float32"] * 3 + ["float64", "int64", "bool"])
        x = rvalues(rshape(4), dt)
        prog, cur, shape = [], "x", list(x.shape)
        for i in range(R.randint(1, 3)):
            op, args = random_view(shape)
            prog.append([f"v{i}", op, [cur] + args, {}])
            try:
                shape = list(OPS[op](torch.zeros(shape), *args).shape)
            except Exception:
                break
            cur = f"v{i}"
        add("view", {"x": (x, dt in FLOATS)}, prog)

    binops = ["add", "sub", "mul", "div", "maximum", "minimum", "eq", "ne", "lt", "le", "gt", "ge"]
    for _ in range(70):  # broadcasting and promotion between two tensors (0-d ones included)
        full = rshape(4, 3)
        sa = [s if R.random() < 0.7 else 1 for s in full[R.randint(0, len(full)):]]
        sb = [s if R.random() < 0.7 else 1 for s in full[R.randint(0, len(full)):]]
        da, db = R.choice(ALL), R.choice(ALL)
        op = R.choice(binops)
        a, b = rvalues(sa, da), rvalues(sb, db, positive=(op == "div"))
        add("binary", {"a": (a, da in FLOATS), "b": (b, db in FLOATS)}, [["y", op, ["a", "b"], {}]])

    for _ in range(60):  # tensor with Python int/float scalars, either side
        dt, kind = R.choice(ALL), R.choice(["int", "float"])
        op = R.choice(["add", "sub", "mul", "div", "eq", "ne", "lt", "le", "gt", "ge"])
        x, s = rvalues(rshape(3), dt), rscalar(kind)
        if op == "div" and s == 0:
            s = 2
        args = ["x", s] if op not in ("add", "sub", "mul") or R.random() < 0.6 else [s, "x"]
        add("scalar", {"x": (x, dt in FLOATS)}, [["y", op, args, {}]])

    for _ in range(60):  # reductions with and without dims and keepdim
        dt = R.choice(ALL + ["float32"] * 3)
        op = R.choice(["sum", "mean", "amax", "amin", "argmax", "argmin"])
        if op == "mean":
            dt = R.choice(FLOATS)
        if op in ("argmax", "argmin") and dt == "bool":
            dt = "int32"
        x = rvalues(rshape(4, 4), dt)
        kw = {}
        if x.dim() and R.random() < 0.8:
            if op in ("argmax", "argmin") or R.random() < 0.5:
                kw["dim"] = R.randrange(-x.dim(), x.dim())
            else:
                kw["dim"] = R.sample(range(x.dim()), R.randint(1, x.dim()))
            kw["keepdim"] = R.random() < 0.5
        add("reduce", {"x": (x, dt in FLOATS)}, [["y", op, ["x"], kw]])

    for _ in range(30):  # matmul: 1-D, 2-D, batched, broadcast batch
        m, k, n = R.randint(1, 4), R.randint(1, 4), R.randint(1, 4)
        batch = rshape(2, 3)
        form = R.choice(["vv", "mv", "vm", "mm", "bmm", "bmv", "bvm"])
        sa = {"vv": [k], "mv": [m, k], "vm": [k], "mm": [m, k], "bmm": batch + [m, k], "bmv": batch + [m, k], "bvm": [k]}[form]
        bb = [b if R.random() < 0.6 else 1 for b in batch][R.randint(0, len(batch)):]
        sb = {"vv": [k], "mv": [k], "vm": [k, n], "mm": [k, n], "bmm": bb + [k, n], "bmv": [k], "bvm": batch + [k, n]}[form]
        dt = R.choice(["float32", "float32", "float64", "int64"])
        add("matmul", {"a": (rvalues(sa, dt), dt in FLOATS), "b": (rvalues(sb, dt), dt in FLOATS)},
            [["y", "matmul", ["a", "b"], {}]])

    for _ in range(25):  # where with tensors and scalars
        shape = rshape(3)
        dx, dy = R.choice(ALL[1:]), R.choice(ALL[1:])
        inputs = {"c": (rvalues(shape, "bool"), False), "x": (rvalues(rshape(2), dx), dx in FLOATS),
                  "y": (rvalues(shape[R.randint(0, len(shape)):], dy), dy in FLOATS)}
        args = ["c", "x", "y"]
        if R.random() < 0.3:
            args[2] = rscalar(R.choice(["int", "float"]))
        add("where", inputs, [["r", "where", args, {}]])

    for _ in range(15):  # clamp, int bounds for int tensors, float bounds for float tensors
        dt = R.choice(["float32", "float64", "int64", "int32"])
        kind = "float" if dt in FLOATS else "int"
        lo, hi = sorted([rscalar(kind), rscalar(kind)])
        kw = R.choice([{"min": lo}, {"max": hi}, {"min": lo, "max": hi}])
        add("clamp", {"x": (rvalues(rshape(3), dt), dt in FLOATS)}, [["y", "clamp", ["x"], kw]])

    for _ in range(35):  # unary functions
        op = R.choice(["exp", "log", "sqrt", "abs", "relu", "sigmoid", "tanh", "neg"])
        dt = R.choice(["float32", "float32", "float64", "int64", "int32"])
        x = rvalues(rshape(3), dt, positive=op in ("log", "sqrt"))
        add("unary", {"x": (x, dt in FLOATS)}, [["y", op, ["x"], {}]])

    for _ in range(20):  # pow: float ** float scalar, float ** tensor, int ** non-negative int
        dt = R.choice(["float32", "float64", "int64", "int32"])
        x = rvalues(rshape(3), dt, positive=dt in FLOATS)
        if dt in FLOATS:
            e = R.choice([2, 3, 0.5, -1.5, 1.0, rvalues(list(x.shape)[1:], dt)])
        else:
            e = R.choice([0, 1, 2, 3])
        inputs = {"x": (x, dt in FLOATS)}
        if isinstance(e, torch.Tensor):
            inputs["e"] = (e, True)
            e = "e"
        add("pow", inputs, [["y", "pow", ["x", e], {}]])

    for _ in range(40):  # in-place ops on a view of a clone: the view and its base both change
        dt = R.choice(["float32", "float32", "float64", "int64", "int32"])
        shape = [R.randint(2, 4) for _ in range(R.randint(1, 3))]
        x = rvalues(shape, dt)
        rank = len(shape)
        d = R.randrange(rank)
        view = R.choice(["narrow", "select", "transpose", "slice"])
        vargs = {"narrow": [d, 1, shape[d] - 1], "select": [d, R.randrange(shape[d])],
                 "transpose": [0, rank - 1], "slice": [d, 0, shape[d], 2]}[view]
        vshape = list(OPS[view](torch.zeros(shape), *vargs).shape)
        op = R.choice(["add_", "sub_", "mul_", "div_"])
        if R.random() < 0.5:
            ot = R.choice([dt, dt, "int64", "float32"])
            other = rvalues(vshape[R.randint(0, len(vshape)):], ot, positive=op == "div_")
            inputs, arg = {"x": (x, False), "o": (other, False)}, "o"
        else:
            inputs, arg = {"x": (x, False)}, R.randint(1, 4) if dt not in FLOATS or R.random() < 0.5 else rscalar("float")
        prog = [["base", "clone", ["x"], {}], ["v", view, ["base"] + vargs, {}], ["r", op, ["v", arg], {}]]
        add("inplace", inputs, prog, outputs=["r", "base"])
    return cases


# ---------------------------------------------------------------- edge classes (hand-written)

def edge_cases():
    cases = []

    def add(name, inputs, program, outputs=None, grad=True):
        cases.append(Case(name, inputs, program, outputs, grad))

    def one(name, x, op, args=(), kw=None, rg=None, dtype=None):
        t = x if isinstance(x, torch.Tensor) else tensor(x, dtype)
        add(name, {"x": (t, t.dtype.is_floating_point if rg is None else rg)}, [["y", op, ["x", *args], kw or {}]])

    f = lambda v: tensor(v, "float32")
    # empty tensors
    add("empty_matmul_k0", {"a": (torch.zeros(2, 0), True), "b": (torch.zeros(0, 3), True)}, [["y", "matmul", ["a", "b"], {}]])
    add("empty_matmul_m0", {"a": (torch.zeros(0, 2), True), "b": (torch.randn(2, 3, generator=torch.Generator().manual_seed(1)), True)},
        [["y", "matmul", ["a", "b"], {}]])
    add("empty_matmul_batch0", {"a": (torch.zeros(0, 2, 3), True), "b": (torch.ones(3, 2), True)}, [["y", "matmul", ["a", "b"], {}]])
    add("empty_matmul_vec", {"a": (torch.zeros(0), True), "b": (torch.zeros(0), True)}, [["y", "matmul", ["a", "b"], {}]])
    for op in ["sum", "mean", "amax", "amin", "argmax"]:
        one(f"empty_{op}_all", torch.zeros(2, 0), op)
        one(f"empty_{op}_dim1", torch.zeros(2, 0), op, kw={"dim": 1})
        one(f"empty_{op}_dim0", torch.zeros(2, 0), op, kw={"dim": 0})
    one("empty_sum_int", torch.zeros(0, 3, dtype=torch.int32), "sum", kw={"dim": 0, "keepdim": True})
    for op in ["softmax", "log_softmax"]:
        one(f"empty_{op}_dim0", torch.zeros(0, 3), op, [0])
        one(f"empty_{op}_dim1", torch.zeros(3, 0), op, [1])
    add("empty_expand_inplace_noop", {"x": (torch.zeros(1, 3), False)},
        [["base", "clone", ["x"], {}], ["e", "expand", ["base", [0, 3]], {}], ["r", "add_", ["e", 1], {}]], outputs=["r", "base"])
    # 0-d tensors with dim 0 and -1
    s = f(2.5)
    for op in ["sum", "mean", "amax", "amin", "argmax", "argmin"]:
        for d in (0, -1):
            one(f"zerod_{op}_dim{d}", s, op, kw={"dim": d})
        one(f"zerod_{op}_keepdim", s, op, kw={"dim": 0, "keepdim": True})
    for d in (0, -1):
        one(f"zerod_transpose_{d}", s, "transpose", [0, d])
        one(f"zerod_squeeze_{d}", s, "squeeze", [d])
        one(f"zerod_softmax_{d}", s, "softmax", [d])
        one(f"zerod_log_softmax_{d}", s, "log_softmax", [d])
        one(f"zerod_index_select_{d}", s, "index_select", [d, [0]])
        one(f"zerod_unsqueeze_{d}", s, "unsqueeze", [d])
    one("zerod_select_error", s, "select", [0, 0])
    one("zerod_dim1_error", s, "sum", kw={"dim": 1})
    # integer scalars keep integer dtypes
    for dt in ["int64", "uint8", "int32"]:
        one(f"int_eq_scalar_{dt}", [1, 3, 5], "eq", [3], dtype=dt)
        one(f"int_add_scalar_{dt}", [1, 3, 5], "add", [4], dtype=dt)
        add(f"int_add_inplace_scalar_{dt}", {"x": (tensor([1, 3, 5], dt), False)},
            [["y", "clone", ["x"], {}], ["r", "add_", ["y", 1], {}]], outputs=["r", "y"])
        add(f"int_where_zero_{dt}", {"c": (tensor([True, False, True], "bool"), False), "x": (tensor([7, 8, 9], dt), False)},
            [["y", "where", ["c", "x", 0], {}]])
        one(f"int_clamp_min0_{dt}", [-2, 0, 7] if dt != "uint8" else [0, 5, 7], "clamp", kw={"min": 0}, dtype=dt)
        one(f"int_mul_scalar_{dt}", [1, 3, 5], "mul", [2], dtype=dt)
        one(f"int_gt_scalar_{dt}", [1, 3, 5], "gt", [2], dtype=dt)
    one("int64_eq_2pow24_plus1", [16777217], "eq", [16777216], dtype="int64")
    one("int64_ne_2pow24_plus1", [16777217, 16777216], "ne", [16777216], dtype="int64")
    one("int64_big_add_scalar", [2 ** 53 + 1, -(2 ** 60)], "add", [1], dtype="int64")
    one("int64_big_sub", [2 ** 62, 3], "sub", [2 ** 40], dtype="int64")
    one("int64_add_scalar_beyond_2pow53", [1, -5], "add", [2 ** 53 + 1], dtype="int64")
    one("int64_mul_scalar_beyond_2pow53", [3, -1], "mul", [2 ** 60 + 7], dtype="int64")
    one("int64_eq_scalar_beyond_2pow53", [2 ** 53, 2 ** 53 + 1], "eq", [2 ** 53 + 1], dtype="int64")
    one("int64_big_sum", [2 ** 53, 1, 1], "sum", dtype="int64")
    one("int64_where_big", [16777217, 5], "clamp", kw={"min": 16777216}, dtype="int64")
    # uint8 and int32 wrap-around, abs of the minimum
    add("uint8_add_wrap", {"a": (tensor([200, 255, 1], "uint8"), False), "b": (tensor([100, 1, 2], "uint8"), False)},
        [["y", "add", ["a", "b"], {}]])
    one("uint8_add_scalar_wrap", [200, 255], "add", [100], dtype="uint8")
    one("uint8_sub_wrap", [0, 5], "sub", [10], dtype="uint8")
    one("uint8_mul_wrap", [16, 3], "mul", [17], dtype="uint8")
    one("uint8_neg", [0, 1, 200], "neg", dtype="uint8")
    one("int32_abs_min", [-2 ** 31, -5, 7], "abs", dtype="int32")
    one("int64_abs_min", [-2 ** 63, -5], "abs", dtype="int64")
    one("int32_neg_min", [-2 ** 31], "neg", dtype="int32")
    one("int32_add_overflow", [2 ** 31 - 1], "add", [1], dtype="int32")
    # integer pow with negative exponents
    one("int_pow_neg_scalar", [1, 2, -3], "pow", [-1], dtype="int64")
    one("int_pow_neg_scalar_int32", [1, 2], "pow", [-2], dtype="int32")
    add("int_pow_neg_tensor", {"a": (tensor([1, 2, -1, -3, 0], "int64"), False), "b": (tensor([-1, -1, -1, 2, 2], "int64"), False)},
        [["y", "pow", ["a", "b"], {}]])
    add("int_pow_zero_neg_tensor", {"a": (tensor([0], "int64"), False), "b": (tensor([-1], "int64"), False)},
        [["y", "pow", ["a", "b"], {}]])
    one("int_pow_float_scalar", [1, 2, 4], "pow", [0.5], dtype="int64")
    one("int_pow_big", [3], "pow", [40], dtype="int64")
    # floor division and remainder with negative operands
    ints = {"a": (tensor([7, -7, 7, -7, 0, 5], "int64"), False), "b": (tensor([2, 2, -2, -2, 3, -5], "int64"), False)}
    flts = {"a": (f([7.5, -7.5, 7.5, -7.5, 0.0, 5.0, -0.0]), True), "b": (f([2.0, 2.0, -2.0, -2.0, 3.0, -5.0, 3.0]), True)}
    for kind, ins in [("int", ints), ("float", flts)]:
        for mode in ["floor", "trunc"]:
            add(f"div_{mode}_{kind}", ins, [["y", "div", ["a", "b"], {"rounding_mode": mode}]])
        # floor_divide has no derivative in PyTorch, so its inputs do not require grad here.
        add(f"floor_divide_{kind}", {n: (t, False) for n, (t, _) in ins.items()}, [["y", "floor_divide", ["a", "b"], {}]])
        add(f"remainder_{kind}", ins, [["y", "remainder", ["a", "b"], {}]])
        add(f"mod_operator_{kind}", ins, [["y", "mod", ["a", "b"], {}]])
        add(f"remainder_scalar_{kind}", ins, [["y", "remainder", ["a", -3], {}]])
        add(f"div_floor_scalar_{kind}", ins, [["y", "div", ["a", 3], {"rounding_mode": "floor"}]])
        add(f"true_div_{kind}", ins, [["y", "div", ["a", "b"], {}]])
    add("div_floor_int_by_zero", {"a": (tensor([1], "int64"), False), "b": (tensor([0], "int64"), False)},
        [["y", "div", ["a", "b"], {"rounding_mode": "floor"}]])
    add("remainder_int_by_zero", {"a": (tensor([1], "int64"), False), "b": (tensor([0], "int64"), False)},
        [["y", "remainder", ["a", "b"], {}]])
    add("div_floor_float_by_zero", {"a": (f([1.0, -1.0, 0.0]), False), "b": (f([0.0, 0.0, 0.0]), False)},
        [["y", "div", ["a", "b"], {"rounding_mode": "floor"}]])
    one("int_true_div_by_zero", [1, -1, 0], "div", [0], dtype="int64")
    # scalar base pow, where with two scalars
    one("pow_scalar_base_float", f([0.0, 1.0, -1.5, 3.0]), "pow", [], rg=True)
    cases[-1].program = [["y", "pow", [2.0, "x"], {}]]
    add("pow_scalar_base_int_tensor", {"x": (tensor([0, 1, 3], "int64"), False)}, [["y", "pow", [2, "x"], {}]])
    add("pow_scalar_base_int_float_tensor", {"x": (f([0.5, 2.0]), True)}, [["y", "pow", [2, "x"], {}]])
    add("where_two_float_scalars", {"c": (tensor([True, False], "bool"), False)}, [["y", "where", ["c", 1.0, 0.0], {}]])
    add("where_two_int_scalars", {"c": (tensor([True, False], "bool"), False)}, [["y", "where", ["c", 1, 0], {}]])
    # bool arithmetic and logic
    ba, bb = tensor([True, True, False, False], "bool"), tensor([True, False, True, False], "bool")
    bools = {"a": (ba, False), "b": (bb, False)}
    for op in ["add", "mul", "maximum", "minimum", "sub", "logical_and", "logical_or", "logical_xor",
               "bitwise_and", "bitwise_or", "bitwise_xor", "op_and", "op_or", "op_xor"]:
        add(f"bool_{op}", bools, [["y", op, ["a", "b"], {}]])
    for op in ["logical_not", "bitwise_not", "op_invert"]:
        add(f"bool_{op}", bools, [["y", op, ["a"], {}]])
    add("bool_add_int_scalar", bools, [["y", "add", ["a", 1], {}]])
    add("bool_sum", bools, [["y", "sum", ["a"], {}]])
    for dt in ["int64", "int32", "uint8"]:
        ia = tensor([12, 10, 0, 255] if dt == "uint8" else [12, -10, 0, -1], dt)
        ib = tensor([10, 6, 7, 15], dt)
        ins = {"a": (ia, False), "b": (ib, False)}
        for op in ["logical_and", "logical_or", "logical_xor", "bitwise_and", "bitwise_or", "bitwise_xor", "op_and", "op_or", "op_xor"]:
            add(f"{dt}_{op}", ins, [["y", op, ["a", "b"], {}]])
        for op in ["logical_not", "bitwise_not", "op_invert"]:
            add(f"{dt}_{op}", ins, [["y", op, ["a"], {}]])
        add(f"{dt}_bitwise_and_scalar", ins, [["y", "bitwise_and", ["a", 6], {}]])
    add("float_bitwise_and_error", {"a": (f([1.0]), False), "b": (f([1.0]), False)}, [["y", "bitwise_and", ["a", "b"], {}]])
    add("float_logical_and", {"a": (f([1.0, 0.0, -0.5]), False), "b": (f([2.0, 3.0, 0.0]), False)}, [["y", "logical_and", ["a", "b"], {}]])
    # gradients at the edges
    one("grad_clamp_at_bounds", f([0.0, 1.0, 2.0]), "clamp", kw={"min": 0.0, "max": 2.0})
    one("grad_clamp_min_only_at_bound", f([-1.0, 0.0, 1.0]), "clamp", kw={"min": 0.0})
    add("grad_bce_with_logits_at_zero", {"x": (f([0.0, 0.0, 3.0]), True), "t": (f([1.0, 0.0, 0.5]), False)},
        [["y", "bce_with_logits", ["x", "t"], {}]])
    add("grad_bce_at_0_and_1", {"p": (f([0.0, 1.0, 0.0, 1.0, 0.5]), True), "t": (f([0.0, 1.0, 1.0, 0.0, 1.0]), False)},
        [["y", "bce", ["p", "t"], {}]])
    add("grad_bce_exact_0_and_1", {"p": (f([0.0, 1.0]), True), "t": (f([0.0, 1.0]), False)}, [["y", "bce", ["p", "t"], {}]])
    one("grad_pow0_at_0", f([0.0, 2.0, -1.0]), "pow", [0])
    one("grad_pow0_float_at_0", f([0.0, 2.0]), "pow", [0.0])
    one("grad_pow2_at_0", f([0.0, -3.0]), "pow", [2])
    one("grad_sqrt_at_0", f([0.0, 4.0]), "sqrt")
    one("grad_abs_at_0", f([0.0, -2.0, 2.0]), "abs")
    one("grad_relu_at_0", f([0.0, -1.0, 1.0]), "relu")
    nan = float("nan")
    one("grad_nan_amax", f([1.0, nan, 3.0]), "amax")
    one("grad_nan_amax_dim", f([[1.0, nan], [3.0, 2.0]]), "amax", kw={"dim": 1})
    one("grad_amax_ties", f([3.0, 1.0, 3.0]), "amax")
    one("grad_relu_nan", f([nan, -1.0, 2.0]), "relu")
    add("grad_maximum_nan", {"a": (f([nan, 1.0, 2.0]), True), "b": (f([0.0, nan, 2.0]), True)}, [["y", "maximum", ["a", "b"], {}]])
    add("grad_minimum_ties", {"a": (f([1.0, 2.0]), True), "b": (f([1.0, 3.0]), True)}, [["y", "minimum", ["a", "b"], {}]])
    add("nan_compare", {"a": (f([nan, 1.0]), False)}, [["y", "eq", ["a", "a"], {}]])
    one("nan_argmax", f([1.0, nan, 3.0]), "argmax")
    one("nan_amin_dim", f([[1.0, nan], [3.0, 2.0]]), "amin", kw={"dim": 0})
    one("nan_clamp", f([nan, -5.0, 5.0]), "clamp", kw={"min": -1.0, "max": 1.0})
    one("inf_sigmoid", f([float("inf"), float("-inf"), 100.0, -100.0]), "sigmoid")
    one("inf_log", f([0.0, -1.0, float("inf")]), "log", rg=False)
    one("softmax_inf", f([float("-inf"), 0.0, 1.0]), "softmax", [0])
    one("softmax_large", f([1000.0, 1000.0, -1000.0]), "softmax", [0])
    one("log_softmax_large", f([1000.0, 0.0]), "log_softmax", [0])
    # in-place overlap and in-place on graph tensors
    x6 = torch.arange(6.0)
    add("overlap_shifted_add_", {"x": (x6, False)},
        [["b", "clone", ["x"], {}], ["v", "slice", ["b", 0, 1, 4, 1], {}], ["w", "slice", ["b", 0, 0, 3, 1], {}],
         ["r", "add_", ["v", "w"], {}]], outputs=["r", "b"])
    add("overlap_mul_by_own_element", {"x": (x6 + 1, False)},
        [["b", "clone", ["x"], {}], ["e", "select", ["b", 0, 0], {}], ["r", "mul_", ["b", "e"], {}]], outputs=["r", "b"])
    add("overlap_same_view_add_", {"x": (x6, False)},
        [["b", "clone", ["x"], {}], ["r", "add_", ["b", "b"], {}]], outputs=["r", "b"])
    add("overlap_transpose_add_", {"x": (torch.arange(4.0).reshape(2, 2), False)},
        [["b", "clone", ["x"], {}], ["tt", "t", ["b"], {}], ["r", "add_", ["b", "tt"], {}]], outputs=["r", "b"])
    add("overlap_disjoint_halves", {"x": (x6, False)},
        [["b", "clone", ["x"], {}], ["v", "slice", ["b", 0, 3, 6, 1], {}], ["w", "slice", ["b", 0, 0, 3, 1], {}],
         ["r", "add_", ["v", "w"], {}]], outputs=["r", "b"])
    add("overlap_interleaved_disjoint", {"x": (x6, False)},
        [["b", "clone", ["x"], {}], ["v", "slice", ["b", 0, 0, 6, 2], {}], ["w", "slice", ["b", 0, 1, 6, 2], {}],
         ["r", "mul_", ["v", "w"], {}]], outputs=["r", "b"])
    w3 = torch.tensor([[0.5, -1.0], [2.0, 0.25], [-0.5, 1.5]])
    add("graph_nonleaf_add_", {"x": (f([1.0, -2.0, 3.0]), True)},
        [["h", "mul", ["x", 2], {}], ["y", "add_", ["h", 1], {}]])
    add("graph_nonleaf_mul_tensor", {"x": (f([1.0, -2.0, 3.0]), True), "w": (f([2.0, 0.5, -1.0]), True)},
        [["h", "mul", ["x", 3.0], {}], ["y", "mul_", ["h", "w"], {}]])
    add("graph_plain_mul_by_param", {"a": (f([1.0, -2.0, 3.0]), False), "w": (f([2.0, 0.5, -1.0]), True)},
        [["h", "clone", ["a"], {}], ["y", "mul_", ["h", "w"], {}]])
    add("graph_relu_inplace_between_layers", {"x": (f([[1.0, -2.0, 0.5]]), True), "w1": (w3, True), "w2": (f([[1.0], [-2.0]]), True)},
        [["h", "matmul", ["x", "w1"], {}], ["r", "relu_", ["h"], {}], ["y", "matmul", ["r", "w2"], {}]])
    add("graph_sigmoid_then_inplace_error", {"x": (f([1.0, -2.0]), True)},
        [["h", "sigmoid", ["x"], {}], ["y", "mul_", ["h", 2], {}]])
    add("graph_leaf_inplace_error", {"x": (f([1.0, -2.0]), True)}, [["y", "add_", ["x", 1], {}]])
    add("grad_empty_matmul_backward", {"a": (torch.zeros(3, 0), True), "b": (torch.zeros(0, 2), True)},
        [["y", "matmul", ["a", "b"], {}]])
    return cases


def write(path, cases, seed):
    data = [c.run(seed + i) for i, c in enumerate(cases)]
    names = [c["name"] for c in data]
    assert len(names) == len(set(names)), "case names must be unique"
    with open(path, "w") as fh:
        json.dump(data, fh, separators=(",", ":"), allow_nan=False)
        fh.write("\n")
    return data


# One module per area of the API, fixtures_<area>.py beside this script: it imports this one (`import make_fixtures
# as mf`), adds its ops to mf.OPS and defines cases() returning a list of mf.Case; its cases go to pytorch/<area>.json.
AREAS = ["elementwise", "indexing", "reductions", "shapes", "nn", "dtypes", "conv", "pools"]


if __name__ == "__main__":
    here = os.path.dirname(os.path.abspath(__file__))
    out = os.path.join(here, "pytorch")
    os.makedirs(out, exist_ok=True)
    only = sys.argv[1:]  # names of files to write (random, edges, or an area); all when none
    if "edges" in only and "random" not in only:
        only.append("random")  # edges draw from R after random's cases: they are written together
    sources = [("random", random_cases, 1000), ("edges", edge_cases, 5000)]
    sys.path.insert(0, here)
    for i, area in enumerate(AREAS):
        if os.path.exists(os.path.join(here, f"fixtures_{area}.py")):
            sources.append((area, lambda a=area: importlib.import_module(f"fixtures_{a}").cases(), 10000 * (i + 1)))
    for name, make, seed in sources:
        if only and name not in only:
            continue
        torch.manual_seed(0)
        if "make_fixtures" in sys.modules:  # the copy the areas import: each area starts from R's first value
            sys.modules["make_fixtures"].R.seed(8)
        data = write(os.path.join(out, f"{name}.json"), make(), seed)
        print(f"{name}: {len(data)} cases, {sum('error' in c for c in data)} raise in PyTorch")
