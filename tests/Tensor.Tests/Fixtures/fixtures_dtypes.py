"""PyTorch fixtures of the 16-bit floats and the narrow integers (written to pytorch/dtypes.json by make_fixtures.py):

- promote_types for every pair of the ten dtypes (the result's dtype is that of an empty tensor);
- conversions between every pair, at the edges: ties, subnormals, overflow to infinity, NaN, double rounding
  through float32 (float64 and int64 into 16-bit floats), integer wrap-around. Out-of-range float-to-integer
  conversions (and NaN or infinity to an integer) are undefined behaviour in PyTorch's C++ and are left out;
- arithmetic, reductions, comparisons, where, matmul, unary functions and gradients on float16, bfloat16, int8 and
  int16, with tensors and Python scalars, and mixed dtypes.
"""
import torch

import make_fixtures as mf

NEW = {"float16": torch.float16, "bfloat16": torch.bfloat16, "int8": torch.int8, "int16": torch.int16}
mf.DT.update(NEW)
mf.NAME.update({v: k for k, v in NEW.items()})
DTYPES = ["bool", "uint8", "int8", "int16", "int32", "int64", "float16", "bfloat16", "float32", "float64"]
FLOAT16S = ["float16", "bfloat16"]
NARROW = ["float16", "bfloat16", "int8", "int16"]

mf.OPS["promote_types"] = lambda a, b: torch.zeros(0, dtype=torch.promote_types(a.dtype, b.dtype))


def _via_float32(op):
    """PyTorch 1.13 has no CPU kernels of these for float16; newer versions compute them in float32 and round
    once, which is what "f32_<op>" does here (and what our op does: the interpreter maps it to <op>)."""
    def run(*args, **kw):
        dtype = next(a.dtype for a in args if isinstance(a, torch.Tensor))
        return mf.OPS[op](*[a.float() if isinstance(a, torch.Tensor) else a for a in args], **kw).to(dtype)
    return run


VIA_FLOAT32 = ["exp", "log", "sqrt", "sigmoid", "tanh", "softmax", "matmul", "relu", "clamp"]
for _op in VIA_FLOAT32:
    mf.OPS["f32_" + _op] = _via_float32(_op)

INF, NAN = float("inf"), float("nan")
P = lambda e: 2.0 ** e
# Exact in float32; each a rounding edge of some 16-bit float.
FLOAT_EDGES = [0.0, -0.0, 1.0, -2.5, 0.1, 1 + P(-11), 1 + 3 * P(-11), 1 + P(-11) + P(-20), 1 + P(-8), 1 + 3 * P(-8),
               1 + P(-8) + P(-20), 65504.0, 65519.99, 65520.0, -70000.0, P(-24), P(-25), P(-25) * 1.0001, 3 * P(-26),
               P(-14) - P(-25), 6.1e-5, 1e-8, 3.3895313892515355e38, 3.4e38, 1e-40, INF, -INF, NAN]
IN_RANGE = {"bool": [0.0, 1.0, 2.5, -0.5], "uint8": [0.0, 1.9, 100.5, 255.0], "int8": [-128.0, -2.7, 0.5, 127.9],
            "int16": [-32768.0, -300.5, 7.9, 32767.0], "int32": [-3.5, 0.0, 1e6 + 0.5], "int64": [-3.5, 0.0, 1e12]}
INT_EDGES = [0, 1, -1, 127, 128, -129, 255, 256, 300, -32769, 70000, 2 ** 25 + 2 ** 17 + 1, 2 ** 31 - 1]


def source(dt, to):
    """Edge values of dtype dt whose conversion to `to` is defined."""
    if dt in ("float32", "float64") or dt in FLOAT16S:
        vals = IN_RANGE[to] if to in IN_RANGE else FLOAT_EDGES
        t = torch.tensor(vals, dtype=torch.float64)
        if dt == "float64" and to not in IN_RANGE:
            t = torch.cat([t, torch.tensor([1 + P(-11) + P(-40), 1 + P(-8) + P(-40)], dtype=torch.float64)])
        t = t.to(mf.DT[dt])
        if to in IN_RANGE:  # the values the source dtype rounded them to must still fit
            info = torch.iinfo(mf.DT[to]) if to != "bool" else None
            d = t.double()
            keep = t.isfinite() if info is None else t.isfinite() & (d >= info.min) & (d < float(info.max) + 1)
            t = t[keep]
        return t
    if dt == "bool":
        return torch.tensor([True, False, True])
    info = torch.iinfo(mf.DT[dt])
    return torch.tensor([v for v in INT_EDGES if info.min <= v <= info.max] + [info.min, info.max], dtype=mf.DT[dt])


def rand(shape, dt, lo=-4, hi=4, positive=False):
    g = mf.R
    n = 1
    for s in shape:
        n *= s
    if dt in ("int8", "int16", "int32", "int64", "uint8"):
        vals = [g.randint(1 if positive else (0 if dt == "uint8" else lo), hi) for _ in range(n)]
    else:
        vals = [round(abs(g.uniform(lo, hi)) + 0.05 if positive else g.uniform(lo, hi), 3) for _ in range(n)]
    return torch.tensor(vals, dtype=torch.float64).to(mf.DT[dt]).reshape(shape)


def cases():
    out = []

    def add(name, inputs, program, outputs=None, grad=True):
        # float16 programs with ops PyTorch 1.13 lacks for it: the float32 route, forward values only (its
        # gradients would be computed in float32 too, rounded once, where ours round after each backward op).
        if any(i[0].dtype == torch.float16 for i in inputs.values()) and any(s[1] in VIA_FLOAT32 for s in program):
            program = [[o, "f32_" + op if op in VIA_FLOAT32 else op, a, k] for o, op, a, k in program]
            grad = False
        out.append(mf.Case(name, inputs, program, outputs, grad))

    for a in DTYPES:
        for b in DTYPES:
            add(f"promote_{a}_{b}", {"a": (torch.zeros(1, dtype=mf.DT[a]), False), "b": (torch.zeros(1, dtype=mf.DT[b]), False)},
                [["y", "promote_types", ["a", "b"], {}]])

    for a in DTYPES:
        for b in DTYPES:
            if a == b and a not in NARROW:
                continue
            x = source(a, b)
            add(f"to_{a}_{b}", {"x": (x, False)}, [["y", "to", ["x"], {"dtype": b}]])

    # Arithmetic in each narrow dtype, with a tensor of the same dtype, a Python int and a Python float.
    for dt in NARROW:
        fl = dt in FLOAT16S
        big = {"int8": 100, "int16": 30000}.get(dt, 300)
        a = torch.tensor([[big, -big, 3], [-7, 5, 1]], dtype=torch.float64).to(mf.DT[dt])
        b = torch.tensor([[big, 3, -2], [2, -5, 7]], dtype=torch.float64).to(mf.DT[dt])
        for op in ["add", "sub", "mul", "maximum", "minimum", "eq", "lt", "ge"]:
            add(f"{dt}_{op}_wrap_or_round", {"a": (a, fl), "b": (b, fl)}, [["y", op, ["a", "b"], {}]])
        add(f"{dt}_div", {"a": (a, fl), "b": (b, fl)}, [["y", "div", ["a", "b"], {}]])
        if not fl:
            for mode in ["floor", "trunc"]:
                add(f"{dt}_div_{mode}", {"a": (a, False), "b": (b, False)}, [["y", "div", ["a", "b"], {"rounding_mode": mode}]])
            add(f"{dt}_remainder", {"a": (a, False), "b": (b, False)}, [["y", "remainder", ["a", "b"], {}]])
            mn = torch.iinfo(mf.DT[dt]).min
            add(f"{dt}_min_floor_divide_minus1", {"a": (torch.tensor([mn, 7], dtype=mf.DT[dt]), False),
                                                  "b": (torch.tensor([-1, -1], dtype=mf.DT[dt]), False)},
                [["y", "div", ["a", "b"], {"rounding_mode": "floor"}]])
            add(f"{dt}_abs_neg_min", {"x": (torch.tensor([mn, -3, 4], dtype=mf.DT[dt]), False)},
                [["n", "neg", ["x"], {}], ["y", "abs", ["x"], {}]], outputs=["y", "n"])
            add(f"{dt}_pow", {"x": (torch.tensor([2, -3, 5], dtype=mf.DT[dt]), False)}, [["y", "pow", ["x", 7], {}]])
        for s in [3, -2, 2.5, 0.1]:
            tag = str(s).replace(".", "p").replace("-", "m")
            add(f"{dt}_mul_scalar_{tag}", {"a": (a, fl)}, [["y", "mul", ["a", s], {}]])
            add(f"{dt}_add_scalar_{tag}", {"a": (a, fl)}, [["y", "add", [s, "a"], {}]])
        add(f"{dt}_true_div_scalar", {"a": (a, fl)}, [["y", "div", ["a", 3], {}]])
        add(f"{dt}_sub_inplace", {"a": (a, False), "b": (b, False)},
            [["c", "clone", ["a"], {}], ["v", "select", ["c", 0, 1], {}], ["w", "select", ["b", 0, 0], {}],
             ["r", "sub_", ["v", "w"], {}]], outputs=["r", "c"])
        for op, kw in [("sum", {}), ("sum", {"dim": 1}), ("amax", {"dim": 0, "keepdim": True}), ("amin", {}),
                       ("argmax", {"dim": 1}), ("argmin", {})]:
            add(f"{dt}_{op}_{len(kw)}", {"x": (a, fl and op != "argmax" and op != "argmin")}, [["y", op, ["x"], kw]])
        if fl:
            add(f"{dt}_mean", {"x": (a, True)}, [["y", "mean", ["x"], {"dim": 1}]])
            # 4200 in all: a 16-bit accumulator would stall (7 is below half the spacing above 2048 in bfloat16).
            add(f"{dt}_sum_many", {"x": (torch.full((600,), 7.0, dtype=mf.DT[dt]), False)}, [["y", "sum", ["x"], {}]])
        add(f"{dt}_matmul", {"a": (a, fl), "b": (b.t().contiguous(), fl)}, [["y", "matmul", ["a", "b"], {}]])
        add(f"{dt}_where", {"c": (torch.tensor([[True, False, True], [False, False, True]]), False), "a": (a, fl), "b": (b, fl)},
            [["y", "where", ["c", "a", "b"], {}]])
        add(f"{dt}_where_scalar", {"c": (torch.tensor([[True, False, True], [False, False, True]]), False), "a": (a, fl)},
            [["y", "where", ["c", "a", 0], {}]])
        add(f"{dt}_relu_clamp", {"x": (a, fl)}, [["r", "relu", ["x"], {}], ["y", "clamp", ["r"], {"max": 50}]])
        add(f"{dt}_index_select", {"x": (a, fl)}, [["y", "index_select", ["x", 1, [2, 0, 2]], {}]])
        add(f"{dt}_view_sum", {"x": (a, fl)}, [["t", "t", ["x"], {}], ["y", "sum", ["t"], {"dim": 0}]])

    # Functions that compute in float32 and round once.
    for dt in FLOAT16S:
        for op in ["exp", "log", "sqrt", "sigmoid", "tanh", "abs", "neg"]:
            x = rand([2, 3], dt, positive=op in ("log", "sqrt"))
            add(f"{dt}_{op}", {"x": (x, True)}, [["y", op, ["x"], {}]])
        add(f"{dt}_softmax", {"x": (rand([2, 4], dt), True)}, [["y", "softmax", ["x", 1], {}]])
        add(f"{dt}_chain", {"x": (rand([3, 2], dt), True), "w": (rand([2, 2], dt), True)},
            [["h", "matmul", ["x", "w"], {}], ["r", "relu", ["h"], {}], ["y", "mul", ["r", 0.37], {}]])

    # Mixed dtypes: the result's dtype and values.
    pairs = [("int8", "uint8"), ("int8", "int16"), ("int16", "int32"), ("float16", "bfloat16"), ("float16", "float32"),
             ("bfloat16", "float64"), ("float16", "int64"), ("bfloat16", "int8"), ("int8", "float16"), ("bool", "int8"),
             ("uint8", "int16"), ("float16", "bool")]
    for da, db in pairs:
        a, b = rand([2, 3], da), rand([3], db)
        if da == "bool":
            a = torch.tensor([[True, False, True], [False, True, True]])
        if db == "bool":
            b = torch.tensor([True, False, True])
        for op in ["add", "mul", "gt"]:
            add(f"mixed_{da}_{db}_{op}", {"a": (a, False), "b": (b, False)}, [["y", op, ["a", "b"], {}]])
    # 0-d tensors and Python numbers keep the narrow dtype.
    for dt in NARROW:
        add(f"zerod_float32_with_{dt}", {"a": (rand([3], dt), False), "s": (torch.tensor(2.5), False)}, [["y", "mul", ["a", "s"], {}]])
        add(f"zerod_{dt}_with_int64", {"a": (rand([3], dt), False), "s": (torch.tensor(3), False)}, [["y", "add", ["a", "s"], {}]])
    return out
