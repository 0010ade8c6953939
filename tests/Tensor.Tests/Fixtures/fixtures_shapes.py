"""Shape ops (issue 10, area 4): split/chunk/unbind pieces, movedim, flip, roll, repeat, tile, repeat_interleave,
tril/triu, diag, diagonal, meshgrid, F.pad and einsum, with gradients and the cases where PyTorch raises.
Ops that return several tensors take the index of the piece as their last argument; einsum takes its equation
as a keyword (a string argument would name a value)."""
import torch
import torch.nn.functional as F

import make_fixtures as mf


def _pad(x, p, mode="constant", value=None):
    return F.pad(x, p, mode=mode) if value is None else F.pad(x, p, mode=mode, value=value)


mf.OPS.update({
    "split": lambda x, s, d, i: x.split(s, d)[i],
    "chunk": lambda x, c, d, i: x.chunk(c, d)[i],
    "unbind": lambda x, d, i: x.unbind(d)[i],
    "movedim": lambda x, s, d: torch.movedim(x, s, d),
    "flip": lambda x, d: x.flip(d),
    "roll": lambda x, s, d=None: x.roll(s) if d is None else x.roll(s, d),
    "repeat": lambda x, s: x.repeat(*s),
    "tile": lambda x, s: x.tile(s),
    "repeat_interleave": lambda x, r, dim=None: x.repeat_interleave(r, dim=dim),
    "tril": lambda x, k=0: x.tril(k),
    "triu": lambda x, k=0: x.triu(k),
    "diag": lambda x, k=0: torch.diag(x, k),
    "diagonal": lambda x, o=0, d1=0, d2=1: x.diagonal(o, d1, d2),
    "meshgrid": lambda *a, indexing="ij": torch.meshgrid(*a[:-1], indexing=indexing)[a[-1]],
    "pad": _pad,
    "einsum": lambda *ops, equation: torch.einsum(equation, *ops),
})


def cases():
    cases = []
    R = mf.R

    def x_of(shape, dt="float64"):
        return mf.rvalues(shape, dt)

    def one(name, x, op, args=(), kw=None, rg=None, dt="float64"):
        t = x if isinstance(x, torch.Tensor) else x_of(x, dt)
        grad = (t.dtype.is_floating_point) if rg is None else rg
        cases.append(mf.Case(name, {"x": (t, grad)}, [["y", op, ["x", *args], kw or {}]]))

    def two(name, inputs, program):
        cases.append(mf.Case(name, inputs, program))

    # split / chunk / unbind: every piece of a few splits
    for shape, s, d in [([5, 3], 2, 0), ([5, 3], [1, 4], 0), ([2, 7], 3, 1), ([2, 7], [2, 0, 5], -1), ([4], 4, 0), ([0, 2], 2, 0)]:
        n = len(torch.zeros(shape).split(s, d))
        for i in range(n):
            one(f"split_{'x'.join(map(str, shape))}_{s}_{d}_{i}".replace(" ", "").replace("[", "").replace("]", "").replace(",", "-"),
                shape, "split", [s, d, i])
    for shape, c, d in [([5, 2], 2, 0), ([6, 2], 4, 0), ([2, 3], 5, 1), ([0, 3], 3, 0)]:
        for i in range(len(torch.zeros(shape).chunk(c, d))):
            one(f"chunk_{shape[0]}x{shape[1]}_{c}_{d}_{i}", shape, "chunk", [c, d, i])
    for d, i in [(0, 1), (1, 2), (-1, 0), (2, 3)]:
        one(f"unbind_{d}_{i}", [2, 3, 4], "unbind", [d, i])
    one("split_error_sections", [5, 3], "split", [[1, 2], 0, 0])
    one("split_error_zero", [5, 3], "split", [0, 0, 0])
    one("chunk_error_zero", [5, 3], "chunk", [0, 0, 0])
    one("unbind_error_dim", [2, 3], "unbind", [2, 0])
    one("split_int64", [4, 2], "split", [3, 0, 1], dt="int64")

    # movedim
    for s, d in [(0, 2), (-1, 0), (1, 1), ([0, 1], [2, 0]), ([2, 0], [0, 1]), ([], [])]:
        one(f"movedim_{s}_{d}".replace(" ", ""), [2, 3, 4], "movedim", [s, d])
    one("movedim_error_repeat", [2, 3, 4], "movedim", [[0, 0], [1, 2]])
    one("movedim_error_length", [2, 3, 4], "movedim", [[0, 1], [1]])
    one("movedim_error_range", [2, 3], "movedim", [2, 0])

    # flip / roll
    for d in [[0], [1], [-1], [0, 2], [0, 1, 2], []]:
        one(f"flip_{d}".replace(" ", ""), [2, 3, 2], "flip", [d])
    one("flip_bool", [3, 2], "flip", [[0]], dt="bool")
    one("flip_error_repeat", [2, 3], "flip", [[0, 0]])
    one("flip_zerod", torch.tensor(1.0, dtype=torch.float64), "flip", [[0]])
    one("flip_error_zerod", torch.tensor(1.0, dtype=torch.float64), "flip", [[1]])
    for s, d in [(1, 0), (-1, 1), (5, 1), (2, None), (-7, None), ([1, 2], [0, 1]), ([1, 1], [1, 1])]:
        one(f"roll_{s}_{d}".replace(" ", ""), [2, 3], "roll", [s] if d is None else [s, d])
    one("roll_empty", [0, 3], "roll", [1, 0])
    one("roll_int32", [4], "roll", [3, 0], dt="int32")
    one("roll_zerod", torch.tensor(2.5, dtype=torch.float64), "roll", [1])
    one("roll_error_align", [3], "roll", [[1, 2], [0]])

    # repeat / tile / repeat_interleave
    for s in [[2, 1], [1, 3], [2, 2, 1], [0, 2], [1, 1]]:
        one(f"repeat_{s}".replace(" ", ""), [2, 3], "repeat", [s])
    one("repeat_zerod", torch.tensor(1.5, dtype=torch.float64), "repeat", [[3]])
    one("repeat_error_fewer", [2, 3], "repeat", [[2]])
    for s in [[2], [2, 1], [2, 2, 2], []]:
        one(f"tile_{s}".replace(" ", ""), [2, 3], "tile", [s])
    one("tile_uint8", [3], "tile", [[2, 1]], dt="uint8")
    for r, dim in [(2, None), (2, 0), (3, 1), (0, 1), (1, -1)]:
        one(f"repeat_interleave_{r}_{dim}", [2, 3], "repeat_interleave", [r], {} if dim is None else {"dim": dim})
    for reps, dim in [([1, 2], 0), ([0, 2, 1], 1), ([2], 1)]:
        two(f"repeat_interleave_tensor_{len(reps)}_{dim}",
            {"x": (x_of([2, 3]), True), "r": (torch.tensor(reps, dtype=torch.int64), False)},
            [["y", "repeat_interleave", ["x", "r"], {"dim": dim}]])
    two("repeat_interleave_tensor_flat", {"x": (x_of([2, 2]), True), "r": (torch.tensor([1, 0, 2, 1]), False)},
        [["y", "repeat_interleave", ["x", "r"], {}]])
    two("repeat_interleave_error_count", {"x": (x_of([2, 3]), True), "r": (torch.tensor([1, 2]), False)},
        [["y", "repeat_interleave", ["x", "r"], {"dim": 1}]])
    two("repeat_interleave_error_negative", {"x": (x_of([2]), True), "r": (torch.tensor([1, -2]), False)},
        [["y", "repeat_interleave", ["x", "r"], {"dim": 0}]])

    # tril / triu / diag / diagonal
    for op in ["tril", "triu"]:
        for shape, k in [([3, 3], 0), ([3, 4], 1), ([4, 3], -1), ([2, 3, 3], 0), ([2, 3], 5), ([3, 2], -5), ([0, 3], 0)]:
            one(f"{op}_{shape}_{k}".replace(" ", ""), shape, op, [k])
        one(f"{op}_bool", [3, 3], op, [0], dt="bool")
        one(f"{op}_int64", [2, 3], op, [-1], dt="int64")
        one(f"{op}_error_1d", [3], op, [0])
    for shape, k in [([3], 0), ([3], 1), ([2], -2), ([3, 3], 0), ([3, 4], 1), ([4, 3], -2), ([0], 0), ([2, 3], 2)]:
        one(f"diag_{shape}_{k}".replace(" ", ""), shape, "diag", [k])
    one("diag_int64", [3], "diag", [-1], dt="int64")
    one("diag_error_3d", [2, 2, 2], "diag", [0])
    for shape, o, d1, d2 in [([3, 3], 0, 0, 1), ([3, 4], 1, 0, 1), ([3, 4], -2, 0, 1), ([2, 3, 4], 1, 0, 2),
                             ([2, 3, 4], -1, 2, 0), ([2, 3, 4], 0, -1, -2), ([3, 4], 9, 0, 1)]:
        one(f"diagonal_{shape}_{o}_{d1}_{d2}".replace(" ", ""), shape, "diagonal", [o, d1, d2])
    one("diagonal_error_same", [3, 3], "diagonal", [0, 1, 1])
    # writes through diagonal's view reach the base
    cases.append(mf.Case("diagonal_view_write", {"x": (x_of([3, 3]), False)},
                         [["b", "clone", ["x"], {}], ["v", "diagonal", ["b", 0, 0, 1], {}], ["r", "add_", ["v", 1.0], {}]],
                         outputs=["r", "b"]))

    # meshgrid
    a, b, c = x_of([2]), x_of([3]), x_of([4])
    for indexing in ["ij", "xy"]:
        for i in range(2):
            two(f"meshgrid_{indexing}_{i}", {"a": (a, True), "b": (b, True)},
                [["y", "meshgrid", ["a", "b", i], {"indexing": indexing}]])
        for i in range(3):
            two(f"meshgrid3_{indexing}_{i}", {"a": (a, True), "b": (b, True), "c": (c, True)},
                [["y", "meshgrid", ["a", "b", "c", i], {"indexing": indexing}]])
    two("meshgrid_zerod", {"a": (torch.tensor(1.5, dtype=torch.float64), True), "b": (b, True)},
        [["y", "meshgrid", ["a", "b", 0], {"indexing": "ij"}]])
    two("meshgrid_error_dtype", {"a": (a, False), "b": (torch.tensor([1, 2]), False)},
        [["y", "meshgrid", ["a", "b", 0], {"indexing": "ij"}]])

    # pad
    for shape, p, kw in [([2, 3], [1, 2], {}), ([2, 3], [1, 1, 2, 0], {"value": 1.5}), ([2, 3], [0, 0], {}),
                         ([2, 3], [-1, 2], {}), ([2, 3], [1, -2, -1, 0], {}), ([2, 3, 2], [1, 1, 0, 0, 1, 0], {"value": -1.0}),
                         ([1, 2, 4], [2, 3], {"mode": "reflect"}), ([2, 3], [2, 1], {"mode": "reflect"}),
                         ([1, 2, 3, 3], [1, 2, 2, 1], {"mode": "reflect"}), ([1, 2, 3], [2, 3], {"mode": "replicate"}),
                         ([1, 3, 2, 2], [1, 0, 2, 1], {"mode": "replicate"}), ([1, 1, 2, 2, 2], [1, 1, 0, 1, 1, 0], {"mode": "replicate"}),
                         ([1, 2, 3, 2], [1, 1, 1, 1, 1, 0], {"mode": "reflect"})]:
        one(f"pad_{shape}_{p}_{'_'.join(map(str, kw.values()))}".replace(" ", ""), shape, "pad", [p], kw)
    one("pad_int64", [2, 2], "pad", [[1, 1]], {"value": 3}, dt="int64")
    one("pad_reflect_empty_batch", [0, 2, 3], "pad", [[1, 1]], {"mode": "reflect"})
    one("pad_replicate_error_empty", [1, 2, 0], "pad", [[1, 1]], {"mode": "replicate"})
    one("pad_crop_to_empty", [2, 2], "pad", [[-2, 0]])
    one("pad_error_crop_then_pad", [2, 2], "pad", [[-3, 1]])
    # pieces of tensors that are empty along another dim
    one("split_empty_other_dim", [0, 5], "split", [2, 1, 2])
    one("unbind_empty_other_dim", [3, 0], "unbind", [0, 2])
    one("diagonal_empty_batch", [0, 3, 3], "diagonal", [1, 1, 2])
    one("pad_error_odd", [2, 3], "pad", [[1, 1, 1]])
    one("pad_error_crop", [2, 3], "pad", [[-4, 0]])
    one("pad_error_reflect_size", [1, 2, 3], "pad", [[3, 0]], {"mode": "reflect"})
    one("pad_error_reflect_rank", [3], "pad", [[1, 1]], {"mode": "reflect"})
    one("pad_error_replicate_rank", [1, 2, 3], "pad", [[1, 1, 1, 1, 1, 1]], {"mode": "replicate"})
    one("pad_error_mode", [1, 2, 3], "pad", [[1, 1]], {"mode": "bogus"})

    # einsum
    def ein(name, eq, *shapes, dt="float64"):
        names = "abcd"[:len(shapes)]
        inputs = {n: (x_of(s, dt), dt in mf.FLOATS) for n, s in zip(names, shapes)}
        cases.append(mf.Case(f"einsum_{name}", inputs, [["y", "einsum", [*names], {"equation": eq}]]))

    ein("matmul", "ij,jk->ik", [2, 3], [3, 4])
    ein("matmul_implicit", "ij,jk", [2, 3], [3, 4])
    ein("bmm", "bij,bjk->bik", [2, 2, 3], [2, 3, 2])
    ein("outer", "i,j->ij", [3], [2])
    ein("dot", "i,i->", [4], [4])
    ein("inner_implicit", "i,i", [4], [4])
    ein("transpose", "ij->ji", [2, 3])
    ein("transpose_implicit", "ba", [2, 3])
    ein("sum_all", "ij->", [2, 3])
    ein("sum_rows", "ij->j", [2, 3])
    ein("trace", "ii->", [3, 3])
    ein("trace_implicit", "ii", [3, 3])
    ein("diagonal", "ii->i", [3, 3])
    ein("batch_diagonal", "bii->bi", [2, 3, 3])
    ein("mv", "ij,j->i", [2, 3], [3])
    ein("hadamard", "ij,ij->ij", [2, 3], [2, 3])
    ein("bilinear", "bn,anm,bm->ba", [2, 3], [2, 3, 4], [2, 4])
    ein("contract_two", "abc,cba->", [2, 3, 2], [2, 3, 2])
    ein("permuted_out", "bij,bjk->kib", [2, 2, 3], [2, 3, 2])
    ein("sum_extra", "ij,kl->ik", [2, 3], [2, 2])
    ein("spaces", "i j , j k -> i k", [2, 3], [3, 1])
    ein("int64", "ij,jk->ik", [2, 3], [3, 2], dt="int64")
    ein("ellipsis_matmul", "...ij,jk->...ik", [2, 2, 3], [3, 2])
    ein("ellipsis_implicit", "...ij,jk", [2, 3], [3, 2])
    ein("ellipsis_summed", "...ij,jk->ik", [2, 2, 3], [3, 2])
    ein("ellipsis_broadcast", "...,...->...", [3], [2, 1])
    ein("ellipsis_middle", "i...->...", [2, 3, 2])
    ein("ellipsis_implicit_order", "ba...", [2, 3, 4])
    ein("ellipsis_attention", "...qd,...kd->...qk", [2, 3, 4], [1, 2, 4])
    ein("broadcast_size1", "ij,ij->ij", [1, 4], [3, 1])
    ein("error_ellipsis_rank", "i...j,k->", [3], [2])
    ein("error_size", "ij,jk->ik", [2, 3], [4, 2])
    ein("error_count", "ij,jk->ik", [2, 3])
    ein("error_rank", "ijk,jk->ik", [2, 3], [3, 2])
    ein("error_output", "ij,jk->iz", [2, 3], [3, 2])
    return cases
