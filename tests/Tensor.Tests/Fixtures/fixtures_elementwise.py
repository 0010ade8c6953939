"""Fixtures of the elementwise area: the new unary functions, atan2, the composites and the activations, at random
points and at the special ones (0, -0, +-inf, NaN, huge and tiny), with gradients; PyTorch's errors for the dtypes
it refuses. Run through make_fixtures.py (Debian's PyTorch 1.13)."""
import random

import torch
import torch.nn.functional as F

import make_fixtures as mf

UNARY = ["sin", "cos", "tan", "asin", "acos", "atan", "sinh", "cosh", "floor", "ceil", "round", "log1p", "expm1",
         "log2", "log10", "exp2", "rsqrt", "erf", "sign", "frac", "reciprocal", "square", "isnan", "isinf", "isfinite"]
ACTIVATIONS = {
    "leaky_relu": F.leaky_relu, "gelu": F.gelu, "silu": F.silu, "softplus": F.softplus, "elu": F.elu,
    "hardtanh": F.hardtanh, "hardsigmoid": F.hardsigmoid, "logsigmoid": F.logsigmoid,
}

mf.OPS.update({name: getattr(torch, name) for name in UNARY})
mf.OPS.update(ACTIVATIONS)
mf.OPS.update({
    "atan2": torch.atan2, "nan_to_num": torch.nan_to_num, "lerp": torch.lerp,
    # Python bools, as 0-d bool tensors so that the replay compares them like any output.
    "allclose": lambda a, b, **kw: torch.tensor(torch.allclose(a, b, **kw)),
    "equal": lambda a, b: torch.tensor(torch.equal(a, b)),
})

R = random.Random(10)
NAN, INF = float("nan"), float("inf")
SPECIAL = [0.0, -0.0, INF, -INF, NAN, 1e30, -1e30, 1e-30, -1e-30, 0.5, -0.5, 1.5, 2.5, -2.5, 1.0, -1.0, 100.0, -100.0]


def domain(op):
    return {"asin": (-0.95, 0.95), "acos": (-0.95, 0.95), "log1p": (-0.9, 4), "log2": (0.1, 5), "log10": (0.1, 5),
            "rsqrt": (0.1, 5), "reciprocal": (0.3, 3), "tan": (-1.3, 1.3)}.get(op, (-4, 4))


def values(shape, lo, hi):
    n = 1
    for s in shape:
        n *= s
    return [round(R.uniform(lo, hi), 3) for _ in range(n)]


def shape():
    return [R.randint(1, 4) for _ in range(R.randint(0, 2))]


def cases():
    out = mf.CaseList()
    add, one = out.add, out.one

    for op in UNARY + list(ACTIVATIONS):
        lo, hi = domain(op)
        for dt in ["float32", "float64"]:
            s = shape()
            # PyTorch 1.13's float64 hardsigmoid_backward multiplies by 1/6 rounded to float32 (4e-8 off), beyond
            # the float64 tolerance: values only there (ElementwiseGradTests checks that gradient by GradCheck).
            rg = not (op == "hardsigmoid" and dt == "float64")
            one(f"{op}_random_{dt}", torch.tensor(values(s, lo, hi), dtype=mf.DT[dt]).reshape(s), op, rg=rg)
        # The special points: values only (PyTorch's gradients there are conventions, checked by hand in C#).
        one(f"{op}_special_float32", torch.tensor(SPECIAL, dtype=torch.float32), op, rg=False)
        one(f"{op}_special_float64", torch.tensor(SPECIAL, dtype=torch.float64), op, rg=False)
        for dt in ["int64", "int32", "uint8", "bool"]:
            raw = [0, 1, 2, 5] if dt in ("uint8", "bool") else [-3, 0, 2, 7]
            one(f"{op}_{dt}", torch.tensor(raw, dtype=mf.DT[dt]), op)

    for kw in [{"negative_slope": 0.2}, {"negative_slope": 0.0}]:
        one(f"leaky_relu_slope{kw['negative_slope']}", torch.tensor([-2.0, -0.5, 0.0, 3.0]), "leaky_relu", kw=kw)
    one("gelu_tanh", torch.tensor([-3.0, -1.0, 0.0, 0.5, 2.0]), "gelu", kw={"approximate": "tanh"})
    one("gelu_tanh_float64", torch.tensor([-3.0, -1.0, 0.0, 0.5, 2.0], dtype=torch.float64), "gelu", kw={"approximate": "tanh"})
    one("gelu_bad_approximate", torch.tensor([1.0]), "gelu", kw={"approximate": "erf"})
    for beta, th in [(2.0, 20.0), (1.0, 1.0), (0.5, 3.0)]:
        one(f"softplus_beta{beta}_threshold{th}", torch.tensor([-30.0, -1.0, 0.0, 0.9, 1.1, 5.0, 40.0], dtype=torch.float64),
            "softplus", kw={"beta": beta, "threshold": th})
    one("elu_alpha", torch.tensor([-5.0, -1.0, 0.0, 2.0], dtype=torch.float64), "elu", kw={"alpha": 0.5})
    one("hardtanh_bounds", torch.tensor([-3.0, -0.5, 0.0, 0.25, 2.0], dtype=torch.float64), "hardtanh",
        kw={"min_val": -0.5, "max_val": 0.25})
    one("hardtanh_int_bounds", torch.tensor([-3, 0, 4]), "hardtanh", kw={"min_val": -2, "max_val": 2})
    one("logsigmoid_large", torch.tensor([-1000.0, -50.0, 50.0, 1000.0]), "logsigmoid")
    one("logsigmoid_large_float64", torch.tensor([-1000.0, -40.0, 40.0, 1000.0], dtype=torch.float64), "logsigmoid")
    one("softplus_large", torch.tensor([-1000.0, -50.0, 50.0, 1000.0]), "softplus")
    one("expm1_tiny", torch.tensor([1e-10, -3e-8, 1e-5, -1e-3], dtype=torch.float64), "expm1")
    one("log1p_tiny", torch.tensor([1e-10, -3e-8, 1e-5, -1e-3], dtype=torch.float64), "log1p")
    one("round_halves", torch.tensor([0.5, 1.5, 2.5, -0.5, -1.5, 3.5, 4.5]), "round")

    for name, kw in [("default", {}), ("nan", {"nan": 1.5}), ("all", {"nan": 1.0, "posinf": 2.0, "neginf": -3.0})]:
        for dt in ["float32", "float64"]:
            one(f"nan_to_num_{name}_{dt}", torch.tensor([NAN, INF, -INF, 0.5, -2.0], dtype=mf.DT[dt]), "nan_to_num", kw=kw)
    one("nan_to_num_int", torch.tensor([1, -2]), "nan_to_num")

    for sa, sb in [([2, 3], [2, 3]), ([4, 1], [1, 3]), ([3], []), ([], [])]:
        for dt in ["float32", "float64"]:
            a = torch.tensor(values(sa, -2, 2), dtype=mf.DT[dt]).reshape(sa)
            b = torch.tensor(values(sb, 0.2, 2), dtype=mf.DT[dt]).reshape(sb)
            add(f"atan2_{dt}_{len(sa)}{len(sb)}_{sa[0] if sa else 0}", {"a": (a, True), "b": (b, True)}, [["y", "atan2", ["a", "b"], {}]])
    z = [0.0, -0.0, 1.0, -1.0, INF, -INF, NAN]
    add("atan2_special", {"a": (torch.tensor([v for v in z for _ in z]), False), "b": (torch.tensor(z * len(z)), False)},
        [["y", "atan2", ["a", "b"], {}]])
    add("atan2_int", {"a": (torch.tensor([1, -2, 0]), False), "b": (torch.tensor([1, 1, -1]), False)}, [["y", "atan2", ["a", "b"], {}]])

    for dt in ["float32", "float64"]:
        s, e = torch.tensor(values([2, 3], -2, 2), dtype=mf.DT[dt]).reshape(2, 3), torch.tensor(values([3], -2, 2), dtype=mf.DT[dt])
        w = torch.tensor([[-0.5, 0.25, 0.5], [0.75, 1.0, 1.5]], dtype=mf.DT[dt])
        add(f"lerp_tensor_{dt}", {"s": (s, True), "e": (e, True), "w": (w, True)}, [["y", "lerp", ["s", "e", "w"], {}]])
        for wt in [0.3, 0.5, 1.0, -0.7]:
            add(f"lerp_scalar{wt}_{dt}", {"s": (s, True), "e": (e, True)}, [["y", "lerp", ["s", "e", wt], {}]])
    add("lerp_dtype_mismatch", {"s": (torch.tensor([1.0]), False), "e": (torch.tensor([2.0], dtype=torch.float64), False)},
        [["y", "lerp", ["s", "e", 0.5], {}]])
    add("lerp_int", {"s": (torch.tensor([1]), False), "e": (torch.tensor([2]), False)}, [["y", "lerp", ["s", "e", 0.5], {}]])

    a = torch.tensor([1.0, 1e10, INF, -INF, 0.0, NAN])
    for name, b in [("close", torch.tensor([1.0 + 1e-6, 1e10 + 1e5, INF, -INF, 1e-9, NAN])),
                    ("far", torch.tensor([1.01, 1e10, INF, -INF, 0.0, NAN])),
                    ("inf_sign", torch.tensor([1.0, 1e10, INF, INF, 0.0, NAN]))]:
        for kw in [{}, {"equal_nan": True}, {"rtol": 0.1, "atol": 0.0, "equal_nan": True}]:
            tag = "_".join(f"{k}{v}" for k, v in kw.items()) or "default"
            add(f"allclose_{name}_{tag}", {"a": (a, False), "b": (b, False)}, [["y", "allclose", ["a", "b"], kw]])
    add("allclose_broadcast", {"a": (torch.tensor([[1.0, 2.0], [1.0, 2.0]]), False), "b": (torch.tensor([1.0, 2.0]), False)},
        [["y", "allclose", ["a", "b"], {}]])
    add("allclose_shape_error", {"a": (torch.tensor([1.0, 2.0]), False), "b": (torch.tensor([1.0, 2.0, 3.0]), False)},
        [["y", "allclose", ["a", "b"], {}]])
    add("allclose_dtype_error", {"a": (torch.tensor([1]), False), "b": (torch.tensor([1.0]), False)}, [["y", "allclose", ["a", "b"], {}]])
    add("allclose_int", {"a": (torch.tensor([100, 5]), False), "b": (torch.tensor([100, 6]), False)},
        [["y", "allclose", ["a", "b"], {"rtol": 0.0, "atol": 1.0}]])
    for name, b in [("same", torch.tensor([1.0, 2.0])), ("differ", torch.tensor([1.0, 2.5])), ("shape", torch.tensor([[1.0, 2.0]])),
                    ("promoted", torch.tensor([1, 2])), ("nan", torch.tensor([NAN, 2.0]))]:
        add(f"equal_{name}", {"a": (torch.tensor([1.0, 2.0]) if name != "nan" else torch.tensor([NAN, 2.0]), False), "b": (b, False)},
            [["y", "equal", ["a", "b"], {}]])
    return out
