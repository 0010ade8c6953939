"""Fixtures of the reductions area: prod, any/all, var/std, norm, logsumexp, cumsum/cumprod, sort/argsort, topk,
median, max/min over a dim with indices, argmax/argmin with keepdim. Ops returning (values, indices) are split
into two fixture ops (e.g. sort_values, sort_indices). Run through make_fixtures.py (see its docstring)."""
import random

import torch

import make_fixtures as mf


def _opt_dim(method):
    def run(x, dim=None, keepdim=False):
        return getattr(x, method)() if dim is None else getattr(x, method)(dim, keepdim=keepdim)
    return run


def _stat(method):
    def run(x, dim=None, correction=1, keepdim=False):
        return getattr(torch, method)(x, dim=dim, correction=correction, keepdim=keepdim)
    return run


mf.OPS.update({
    "prod": _opt_dim("prod"), "any": _opt_dim("any"), "all": _opt_dim("all"),
    "var": _stat("var"), "std": _stat("std"),
    "norm": lambda x, p=2.0, dim=None, keepdim=False: torch.linalg.vector_norm(x, ord=p, dim=dim, keepdim=keepdim),
    "logsumexp": lambda x, dim, keepdim=False: torch.logsumexp(x, dim, keepdim=keepdim),
    "cumsum": lambda x, dim: torch.cumsum(x, dim), "cumprod": lambda x, dim: torch.cumprod(x, dim),
    "sort_values": lambda x, dim=-1, descending=False: torch.sort(x, dim=dim, descending=descending, stable=True)[0],
    "sort_indices": lambda x, dim=-1, descending=False: torch.sort(x, dim=dim, descending=descending, stable=True)[1],
    "argsort": lambda x, dim=-1, descending=False: torch.sort(x, dim=dim, descending=descending, stable=True)[1],
    "topk_values": lambda x, k, dim=-1, largest=True: torch.topk(x, k, dim=dim, largest=largest)[0],
    "topk_indices": lambda x, k, dim=-1, largest=True: torch.topk(x, k, dim=dim, largest=largest)[1],
    "median_all": lambda x: x.median(),
    "median_values": lambda x, dim, keepdim=False: x.median(dim, keepdim=keepdim)[0],
    "median_indices": lambda x, dim, keepdim=False: x.median(dim, keepdim=keepdim)[1],
    "max_values": lambda x, dim, keepdim=False: x.max(dim, keepdim=keepdim)[0],
    "max_indices": lambda x, dim, keepdim=False: x.max(dim, keepdim=keepdim)[1],
    "min_values": lambda x, dim, keepdim=False: x.min(dim, keepdim=keepdim)[0],
    "min_indices": lambda x, dim, keepdim=False: x.min(dim, keepdim=keepdim)[1],
    "argmax_all": lambda x, keepdim=False: torch.argmax(x, keepdim=keepdim),
    "argmin_all": lambda x, keepdim=False: torch.argmin(x, keepdim=keepdim),
})

R = random.Random(10)
FLOATS = mf.FLOATS
NAN, INF = float("nan"), float("inf")


def distinct(shape, dtype):
    """Values without ties (so that every index PyTorch returns is the only right one)."""
    n = 1
    for s in shape:
        n *= s
    vals = R.sample(range(-50, 50), n)
    t = torch.tensor(vals, dtype=torch.float64).reshape(shape)
    return (t / 8 if dtype in FLOATS else t).to(mf.DT[dtype])


def cases():
    out = mf.CaseList()
    add, one = out.add, out.one

    f = lambda v, dt="float32": torch.tensor(v, dtype=mf.DT[dt])

    # ---- prod, with zeros for the gradient
    for dt in ["float32", "float64", "int32", "int64", "uint8", "bool"]:
        x = mf.rvalues([2, 3], dt)
        one(f"prod_all_{dt}", x, "prod")
        one(f"prod_dim1_{dt}", x, "prod", kw={"dim": 1})
        one(f"prod_dim0_keep_{dt}", x, "prod", kw={"dim": 0, "keepdim": True})
    one("prod_one_zero", f([[2.0, 0.0, 3.0], [1.5, 2.0, -1.0]]), "prod", kw={"dim": 1})
    one("prod_two_zeros", f([[0.0, 4.0, 0.0], [1.0, 0.0, 2.0]]), "prod", kw={"dim": 1})
    one("prod_all_one_zero", f([2.0, 0.0, 3.0, -1.0]), "prod")
    one("prod_all_two_zeros", f([0.0, 5.0, 0.0]), "prod")
    one("prod_empty", torch.zeros(2, 0), "prod", kw={"dim": 1})
    one("prod_empty_all", torch.zeros(0), "prod")
    one("prod_zerod", f(2.5), "prod", kw={"dim": 0})
    one("prod_int_wrap", f([2 ** 40, 2 ** 30], "int64"), "prod")
    one("prod_nan", f([1.0, NAN, 2.0]), "prod")
    # ---- any / all
    for dt in ["bool", "uint8", "int64", "float32"]:
        x = mf.rvalues([3, 4], dt)
        for op in ["any", "all"]:
            one(f"{op}_all_{dt}", x, op)
            one(f"{op}_dim_{dt}", x, op, kw={"dim": 1})
            one(f"{op}_dim_keep_{dt}", x, op, kw={"dim": 0, "keepdim": True})
    for op in ["any", "all"]:
        one(f"{op}_empty", torch.zeros(2, 0, dtype=torch.bool), op, kw={"dim": 1})
        one(f"{op}_empty_all", torch.zeros(0, dtype=torch.bool), op)
        one(f"{op}_nan", f([NAN, 0.0]), op)
    # ---- var / std
    for op in ["var", "std"]:
        for dt in FLOATS:
            x = mf.rvalues([3, 4], dt)
            one(f"{op}_all_{dt}", x, op)
            one(f"{op}_dim_{dt}", x, op, kw={"dim": 1})
            one(f"{op}_dims_keep_{dt}", mf.rvalues([2, 3, 2], dt), op, kw={"dim": [0, 2], "keepdim": True})
            one(f"{op}_correction0_{dt}", x, op, kw={"dim": 0, "correction": 0})
        one(f"{op}_correction2", mf.rvalues([5], "float64"), op, kw={"correction": 2})
        one(f"{op}_single_element", f([3.0]), op, rg=False)
        one(f"{op}_int_error", f([1, 2], "int64"), op)
        one(f"{op}_constant", f([2.0, 2.0, 2.0]), op, rg=op == "var")
    # ---- norm
    for p in [2.0, 1.0, INF, -INF, 3.0, 0.5, 0.0]:
        ps = str(p).replace(".", "_").replace("-", "neg")
        one(f"norm_p{ps}_all", mf.rvalues([3, 4], "float64"), "norm", [p])
        one(f"norm_p{ps}_dim", mf.rvalues([3, 4], "float32"), "norm", [p], {"dim": 1})
        one(f"norm_p{ps}_dims_keep", mf.rvalues([2, 3, 2], "float64"), "norm", [p], {"dim": [0, 2], "keepdim": True})
    one("norm_zero_vector", f([[0.0, 0.0], [3.0, 4.0]]), "norm", [2.0], {"dim": 1})
    one("norm_p1_at_zero", f([0.0, -2.0, 1.0]), "norm", [1.0])
    one("norm_inf_ties", f([-3.0, 1.0, 3.0]), "norm", [INF])
    one("norm_int_error", f([1, 2], "int64"), "norm", [2.0])
    # ---- logsumexp
    for dt in FLOATS:
        one(f"logsumexp_{dt}", mf.rvalues([3, 4], dt), "logsumexp", [1])
        one(f"logsumexp_dims_keep_{dt}", mf.rvalues([2, 3, 2], dt), "logsumexp", [[0, 2]], {"keepdim": True})
    one("logsumexp_large", f([1000.0, 1000.0, -1000.0]), "logsumexp", [0])
    one("logsumexp_inf", f([[-INF, -INF], [INF, 1.0], [-INF, 0.0]]), "logsumexp", [1], rg=False)
    one("logsumexp_empty", torch.zeros(2, 0), "logsumexp", [1])
    one("logsumexp_int", f([[1, 2], [3, -4]], "int64"), "logsumexp", [1])
    # ---- cumsum / cumprod
    for op in ["cumsum", "cumprod"]:
        for dt in ["float32", "float64", "int32", "int64", "uint8", "bool"]:
            x = mf.rvalues([3, 4], dt)
            one(f"{op}_dim1_{dt}", x, op, [1])
            one(f"{op}_dim0_{dt}", x, op, [0])
        one(f"{op}_3d_neg_dim", mf.rvalues([2, 3, 2], "float64"), op, [-2])
        one(f"{op}_zerod", f(1.5), op, [0])
        one(f"{op}_empty", torch.zeros(0, 3), op, [0])
        one(f"{op}_dim_error", f([1.0]), op, [1])
    one("cumprod_one_zero", f([[2.0, 0.0, 3.0, 0.5], [1.5, 2.0, -1.0, 0.0]]), "cumprod", [1])
    one("cumprod_two_zeros", f([0.0, 4.0, 0.0, 2.0]), "cumprod", [0])
    one("cumprod_zero_first", f([0.0, 4.0, 1.5]), "cumprod", [0])
    one("cumsum_int_wrap", f([2 ** 62, 2 ** 62], "int64"), "cumsum", [0])
    # ---- sort / argsort (stable: ties keep their order; NaN is the largest)
    for dt in ["float32", "float64", "int32", "int64", "uint8", "bool"]:
        x = mf.rvalues([3, 5], dt)
        for desc in [False, True]:
            d = "desc" if desc else "asc"
            one(f"sort_values_{dt}_{d}", x, "sort_values", [], {"dim": -1, "descending": desc})
            one(f"sort_indices_{dt}_{d}", x, "sort_indices", [], {"dim": -1, "descending": desc})
        one(f"argsort_dim0_{dt}", x, "argsort", [], {"dim": 0})
    ties = f([[2.0, 1.0, 2.0, NAN, 1.0, NAN, -INF], [0.0, -0.0, 3.0, 3.0, INF, -1.0, 0.0]])
    for desc in [False, True]:
        d = "desc" if desc else "asc"
        one(f"sort_ties_nan_values_{d}", ties, "sort_values", [], {"descending": desc})
        one(f"sort_ties_nan_indices_{d}", ties, "sort_indices", [], {"descending": desc})
    one("sort_grad_dim0", distinct([4, 3], "float64"), "sort_values", [], {"dim": 0, "descending": True})
    one("sort_zerod", f(1.5), "sort_values", [], {"dim": 0})
    one("sort_empty", torch.zeros(2, 0), "sort_indices", [], {"dim": 1})
    one("sort_dim_error", f([1.0]), "sort_values", [], {"dim": 2})
    # ---- topk (distinct values: PyTorch orders ties as it likes)
    for dt in ["float32", "float64", "int64"]:
        x = distinct([3, 5], dt)
        for largest in [True, False]:
            s = "largest" if largest else "smallest"
            one(f"topk_values_{dt}_{s}", x, "topk_values", [2], {"largest": largest})
            one(f"topk_indices_{dt}_{s}", x, "topk_indices", [2], {"largest": largest})
    one("topk_dim0", distinct([4, 3], "float64"), "topk_values", [3], {"dim": 0})
    one("topk_dim0_indices", distinct([4, 3], "float64"), "topk_indices", [3], {"dim": 0})
    one("topk_k0", distinct([2, 3], "float32"), "topk_values", [0])
    one("topk_all", distinct([2, 3], "float32"), "topk_values", [3])
    one("topk_nan_largest", f([1.0, NAN, 3.0, 2.0]), "topk_indices", [2])
    one("topk_k_error", f([1.0, 2.0]), "topk_values", [3])
    # ---- median (lower median; NaN propagates)
    for dt in ["float32", "float64", "int64"]:
        for shape in ([5], [4], [3, 4]):
            x = distinct(shape, dt)
            s = "x".join(map(str, shape))
            one(f"median_all_{dt}_{s}", x, "median_all")
            one(f"median_values_{dt}_{s}", x, "median_values", [-1])
            one(f"median_indices_{dt}_{s}", x, "median_indices", [-1])
    one("median_dim0_keep", distinct([4, 3], "float32"), "median_values", [0], {"keepdim": True})
    one("median_dim0_keep_indices", distinct([4, 3], "float32"), "median_indices", [0], {"keepdim": True})
    one("median_all_ties_grad", f([1.0, 2.0, 2.0, 3.0, 2.0]), "median_all")
    one("median_nan", f([[1.0, NAN, 0.5, NAN], [3.0, 2.0, 1.0, 0.0]]), "median_values", [1])
    one("median_nan_indices", f([[1.0, NAN, 0.5, NAN], [3.0, 2.0, 1.0, 0.0]]), "median_indices", [1])
    one("median_all_nan", f([1.0, NAN, 0.5]), "median_all")
    one("median_empty_error", torch.zeros(2, 0), "median_values", [1])
    # ---- max / min over a dim with indices, argmax / argmin with keepdim
    for op in ["max", "min"]:
        for dt in ["float32", "float64", "int32", "uint8"]:
            x = distinct([3, 4], dt) if dt != "uint8" else mf.rvalues([3, 4], dt)
            for keep in [False, True]:
                k = "keep" if keep else "drop"
                one(f"{op}_values_{dt}_{k}", x, f"{op}_values", [1], {"keepdim": keep})
                one(f"{op}_indices_{dt}_{k}", x, f"{op}_indices", [0], {"keepdim": keep})
        one(f"{op}_values_nan", f([[1.0, NAN, 3.0, NAN], [0.5, 2.0, 2.0, 1.0]]), f"{op}_values", [1])
        one(f"{op}_indices_nan", f([[1.0, NAN, 3.0, NAN], [0.5, 2.0, 2.0, 1.0]]), f"{op}_indices", [1])
        one(f"{op}_values_zerod", f(2.5), f"{op}_values", [0])
        one(f"{op}_empty_error", torch.zeros(2, 0), f"{op}_values", [1])
    for op in ["argmax_all", "argmin_all"]:
        for keep in [False, True]:
            one(f"{op}_keep{keep}", distinct([2, 3, 2], "float32"), op, [], {"keepdim": keep}, rg=False)
    return out
