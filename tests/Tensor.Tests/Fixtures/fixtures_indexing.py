"""Indexing fixtures: gather/scatter along a dim by an index tensor, index_select/index_add with a tensor index,
masked_fill/masked_select/nonzero, and tensor indexers (reading, and writing through index_put_).
Written to pytorch/indexing.json by make_fixtures.py indexing."""
import torch

import make_fixtures as mf


def _index_put(x, idx, v, accumulate=False):
    return x.index_put_((idx,), v, accumulate=accumulate)


mf.OPS.update({
    "gather": lambda x, d, idx: x.gather(d, idx),
    "scatter": lambda x, d, idx, src: x.scatter(d, idx, src),
    "scatter_add": lambda x, d, idx, src: x.scatter_add(d, idx, src),
    "scatter_": lambda x, d, idx, src: x.scatter_(d, idx, src),
    "scatter_add_": lambda x, d, idx, src: x.scatter_add_(d, idx, src),
    "index_select_tensor": lambda x, d, idx: x.index_select(d, idx),
    "index_add": lambda x, d, idx, src, alpha=1: x.index_add(d, idx, src, alpha=alpha),
    "index_add_": lambda x, d, idx, src, alpha=1: x.index_add_(d, idx, src, alpha=alpha),
    "masked_fill": lambda x, m, v: x.masked_fill(m, v),
    "masked_fill_": lambda x, m, v: x.masked_fill_(m, v),
    "masked_select": lambda x, m: x.masked_select(m),
    "nonzero": lambda x: x.nonzero(),
    "index": lambda x, i: x[i],
    "index_dim1": lambda x, i: x[:, i],
    "index_last": lambda x, i: x[..., i],
    "index_put_": _index_put,
})


def f(values, dtype="float64"):
    return torch.tensor(values, dtype=mf.DT[dtype])


def i64(values):
    return torch.tensor(values, dtype=torch.int64)


def cases():
    out = mf.CaseList()
    add = out.add

    R = mf.R
    x23 = f([[1.0, -2.0, 3.5], [4.0, 0.5, -6.0]])
    x34 = torch.tensor([[R.gauss(0, 1.5) for _ in range(4)] for _ in range(3)], dtype=torch.float64).mul(100).round().div(100)

    # gather: PyTorch's doc example, every dim, a smaller index, repeated indices (the gradient sums)
    add("gather_doc_example", {"x": (f([[1.0, 2.0], [3.0, 4.0]]), True), "i": (i64([[0, 0], [1, 0]]), False)},
        [["y", "gather", ["x", 1, "i"], {}]])
    add("gather_dim0_repeats", {"x": (x23, True), "i": (i64([[1, 1, 0], [1, 0, 0], [0, 0, 0]]), False)},
        [["y", "gather", ["x", 0, "i"], {}]])
    add("gather_smaller_index", {"x": (x34, True), "i": (i64([[3, 0], [2, 2]]), False)},
        [["y", "gather", ["x", 1, "i"], {}]])
    add("gather_negative_dim", {"x": (x34, True), "i": (i64([[1], [0], [3]]), False)},
        [["y", "gather", ["x", -1, "i"], {}]])
    add("gather_3d", {"x": (torch.arange(24, dtype=torch.float64).view(2, 3, 4), True),
                      "i": (i64([[[2, 0, 1, 1]], [[1, 1, 0, 2]]]), False)},
        [["y", "gather", ["x", 1, "i"], {}]])
    for dt in ["int32", "int64", "uint8", "bool", "float32"]:
        add(f"gather_{dt}", {"x": (mf.rvalues([3, 3], dt), False), "i": (i64([[2, 0], [1, 1], [0, 2]]), False)},
            [["y", "gather", ["x", 1, "i"], {}]])
    add("gather_empty_index", {"x": (x23, True), "i": (torch.zeros(2, 0, dtype=torch.int64), False)},
        [["y", "gather", ["x", 1, "i"], {}]])
    add("gather_out_of_range_error", {"x": (x23, False), "i": (i64([[0, 3]]), False)}, [["y", "gather", ["x", 1, "i"], {}]])
    add("gather_negative_index_error", {"x": (x23, False), "i": (i64([[-1]]), False)}, [["y", "gather", ["x", 1, "i"], {}]])
    add("gather_int32_index_error", {"x": (x23, False), "i": (torch.tensor([[0]], dtype=torch.int32), False)},
        [["y", "gather", ["x", 1, "i"], {}]])
    add("gather_rank_mismatch_error", {"x": (x23, False), "i": (i64([0, 1]), False)}, [["y", "gather", ["x", 1, "i"], {}]])
    add("gather_too_big_error", {"x": (x23, False), "i": (i64([[0], [0], [0]]), False)}, [["y", "gather", ["x", 1, "i"], {}]])

    # scatter / scatter_add: values and both gradients (self zeroed where overwritten; src gathered). PyTorch 1.13's
    # backward fails when src is larger than the index (fixed later), so src is the index's size where it needs grad.
    add("scatter_doc_example", {"x": (torch.zeros(3, 5, dtype=torch.float64), True),
                                "s": (torch.arange(1, 11, dtype=torch.float64).view(2, 5), False),
                                "i": (i64([[0, 1, 2, 0]]), False)},
        [["y", "scatter", ["x", 0, "i", "s"], {}]])
    add("scatter_dim1", {"x": (x23, True), "s": (f([[10.0, 20.0], [30.0, 40.0]]), True), "i": (i64([[2, 0], [1, 2]]), False)},
        [["y", "scatter", ["x", 1, "i", "s"], {}]])
    add("scatter_value", {"x": (x23, True), "i": (i64([[2], [0]]), False)}, [["y", "scatter", ["x", 1, "i", 7.5], {}]])
    add("scatter_int_value", {"x": (mf.rvalues([2, 3], "int64"), False), "i": (i64([[1, 0]]), False)},
        [["y", "scatter", ["x", 1, "i", -4], {}]])
    add("scatter_add_repeats", {"x": (x23, True), "s": (f([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]), True),
                                "i": (i64([[0, 0, 2], [1, 1, 1]]), False)},
        [["y", "scatter_add", ["x", 1, "i", "s"], {}]])
    add("scatter_add_dim0", {"x": (torch.zeros(2, 3, dtype=torch.float64), True), "s": (x34[:, :3], True),
                             "i": (i64([[1, 0, 1], [1, 1, 1], [0, 0, 0]]), False)},
        [["y", "scatter_add", ["x", 0, "i", "s"], {}]])
    for dt in ["int32", "int64", "uint8", "bool", "float32"]:
        add(f"scatter_add_{dt}", {"x": (mf.rvalues([2, 3], dt), False), "s": (mf.rvalues([2, 3], dt), False),
                                  "i": (i64([[0, 0, 1], [2, 2, 2]]), False)},
            [["y", "scatter_add", ["x", 1, "i", "s"], {}]])
    add("scatter_inplace", {"x": (x23, False), "s": (f([[9.0], [8.0]]), False), "i": (i64([[1], [2]]), False)},
        [["c", "clone", ["x"], {}], ["y", "scatter_", ["c", 1, "i", "s"], {}]], outputs=["y", "c"])
    add("scatter_add_inplace_grad", {"x": (x23, True), "s": (f([[1.0, 2.0], [3.0, 4.0]]), True), "i": (i64([[0, 0], [2, 1]]), False)},
        [["c", "mul", ["x", 2], {}], ["y", "scatter_add_", ["c", 1, "i", "s"], {}]])
    add("scatter_dtype_mismatch_error", {"x": (x23, False), "s": (f([[1.0]], "float32"), False), "i": (i64([[0]]), False)},
        [["y", "scatter", ["x", 1, "i", "s"], {}]])
    add("scatter_out_of_range_error", {"x": (x23, False), "s": (f([[1.0]]), False), "i": (i64([[5]]), False)},
        [["y", "scatter", ["x", 1, "i", "s"], {}]])
    add("scatter_index_bigger_than_src_error", {"x": (x23, False), "s": (f([[1.0]]), False), "i": (i64([[0, 1]]), False)},
        [["y", "scatter", ["x", 1, "i", "s"], {}]])

    # index_select and index_add with tensor indices
    add("index_select_tensor_dim1", {"x": (x34, True), "i": (i64([3, 0, 3]), False)}, [["y", "index_select_tensor", ["x", 1, "i"], {}]])
    add("index_select_tensor_dim0", {"x": (x34, True), "i": (i64([2, 2, 0, 1]), False)}, [["y", "index_select_tensor", ["x", 0, "i"], {}]])
    add("index_select_int32", {"x": (x34, True), "i": (torch.tensor([1, 0], dtype=torch.int32), False)},
        [["y", "index_select_tensor", ["x", 0, "i"], {}]])
    add("index_select_0d_index", {"x": (x34, True), "i": (i64(2), False)}, [["y", "index_select_tensor", ["x", 0, "i"], {}]])
    add("index_select_out_of_range_error", {"x": (x34, False), "i": (i64([3]), False)}, [["y", "index_select_tensor", ["x", 0, "i"], {}]])
    add("index_select_matrix_index_error", {"x": (x34, False), "i": (i64([[0]]), False)}, [["y", "index_select_tensor", ["x", 0, "i"], {}]])
    add("index_add_repeats", {"x": (x23, True), "s": (f([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 9.0]]), True),
                              "i": (i64([1, 0, 1]), False)},
        [["y", "index_add", ["x", 0, "i", "s"], {}]])
    add("index_add_alpha", {"x": (x23, True), "s": (f([[1.0, 2.0], [3.0, 4.0]]), True), "i": (i64([2, 2]), False)},
        [["y", "index_add", ["x", 1, "i", "s"], {"alpha": 2.5}]])
    add("index_add_int", {"x": (mf.rvalues([3, 2], "int64"), False), "s": (mf.rvalues([2, 2], "int64"), False), "i": (i64([0, 0]), False)},
        [["y", "index_add", ["x", 0, "i", "s"], {"alpha": 3}]])
    add("index_add_inplace", {"x": (x23, False), "s": (f([[1.0, 2.0, 3.0]]), False), "i": (i64([1]), False)},
        [["c", "clone", ["x"], {}], ["y", "index_add_", ["c", 0, "i", "s"], {}]], outputs=["y", "c"])
    add("index_add_shape_error", {"x": (x23, False), "s": (f([[1.0, 2.0]]), False), "i": (i64([1]), False)},
        [["y", "index_add", ["x", 0, "i", "s"], {}]])

    # masks
    m23 = torch.tensor([[True, False, True], [False, False, True]])
    add("masked_fill", {"x": (x23, True), "m": (m23, False)}, [["y", "masked_fill", ["x", "m", -1.5], {}]])
    add("masked_fill_broadcast_mask", {"x": (x23, True), "m": (torch.tensor([True, False, True]), False)},
        [["y", "masked_fill", ["x", "m", 0.0], {}]])
    add("masked_fill_broadcast_self", {"x": (f([1.0, 2.0, 3.0]), True), "m": (m23, False)},
        [["y", "masked_fill", ["x", "m", 9.0], {}]])
    add("masked_fill_tensor_value", {"x": (x23, True), "m": (m23, False), "v": (f(2.5), True)},
        [["y", "masked_fill", ["x", "m", "v"], {}]])
    add("masked_fill_int", {"x": (mf.rvalues([2, 3], "int32"), False), "m": (m23, False)}, [["y", "masked_fill", ["x", "m", 7], {}]])
    add("masked_fill_bool", {"x": (mf.rvalues([2, 3], "bool"), False), "m": (m23, False)}, [["y", "masked_fill", ["x", "m", True], {}]])
    add("masked_fill_inplace", {"x": (x23, True), "m": (m23, False)},
        [["c", "mul", ["x", 1.0], {}], ["y", "masked_fill_", ["c", "m", 4.0], {}]])
    add("masked_select", {"x": (x23, True), "m": (m23, False)}, [["y", "masked_select", ["x", "m"], {}]])
    add("masked_select_broadcast", {"x": (x23, True), "m": (torch.tensor([False, True, True]), False)},
        [["y", "masked_select", ["x", "m"], {}]])
    add("masked_select_none", {"x": (x23, True), "m": (torch.zeros(2, 3, dtype=torch.bool), False)},
        [["y", "masked_select", ["x", "m"], {}]])
    add("masked_select_int", {"x": (mf.rvalues([2, 3], "int64"), False), "m": (m23, False)}, [["y", "masked_select", ["x", "m"], {}]])
    add("masked_select_shape_error", {"x": (x23, False), "m": (torch.tensor([True, False]), False)}, [["y", "masked_select", ["x", "m"], {}]])
    add("nonzero_float", {"x": (f([[0.0, 1.5, 0.0], [-2.0, 0.0, 3.0]]), False)}, [["y", "nonzero", ["x"], {}]])
    add("nonzero_bool_3d", {"x": (mf.rvalues([2, 2, 3], "bool"), False)}, [["y", "nonzero", ["x"], {}]])
    add("nonzero_none", {"x": (torch.zeros(4, dtype=torch.int32), False)}, [["y", "nonzero", ["x"], {}]])
    add("nonzero_0d", {"x": (f(5.0), False)}, [["y", "nonzero", ["x"], {}]])

    # indexers: t[idx], t[mask], t[:, idx], t[..., idx], and writes through index_put_
    add("index_long_vector", {"x": (x34, True), "i": (i64([2, 0, 2]), False)}, [["y", "index", ["x", "i"], {}]])
    add("index_long_negative", {"x": (x34, True), "i": (i64([-1, 0, -3]), False)}, [["y", "index", ["x", "i"], {}]])
    add("index_long_matrix", {"x": (x34, True), "i": (i64([[0, 1], [1, 1]]), False)}, [["y", "index", ["x", "i"], {}]])
    add("index_long_0d", {"x": (x34, True), "i": (i64(1), False)}, [["y", "index", ["x", "i"], {}]])
    add("index_dim1", {"x": (x34, True), "i": (i64([3, 1]), False)}, [["y", "index_dim1", ["x", "i"], {}]])
    add("index_last_matrix", {"x": (torch.arange(24, dtype=torch.float64).view(2, 3, 4), True), "i": (i64([[0, 3], [2, 2]]), False)},
        [["y", "index_last", ["x", "i"], {}]])
    add("index_mask_full", {"x": (x23, True), "m": (m23, False)}, [["y", "index", ["x", "m"], {}]])
    add("index_mask_rows", {"x": (x34, True), "m": (torch.tensor([True, False, True]), False)}, [["y", "index", ["x", "m"], {}]])
    add("index_mask_dim1", {"x": (x34, True), "m": (torch.tensor([False, True, True, False]), False)},
        [["y", "index_dim1", ["x", "m"], {}]])
    add("index_mask_leading_of_3d", {"x": (torch.arange(24, dtype=torch.float64).view(2, 3, 4), True), "m": (m23, False)},
        [["y", "index", ["x", "m"], {}]])
    add("index_out_of_range_error", {"x": (x34, False), "i": (i64([3]), False)}, [["y", "index", ["x", "i"], {}]])
    add("index_negative_out_of_range_error", {"x": (x34, False), "i": (i64([-4]), False)}, [["y", "index", ["x", "i"], {}]])
    add("index_mask_shape_error", {"x": (x34, False), "m": (torch.tensor([True, False]), False)}, [["y", "index", ["x", "m"], {}]])
    add("index_float_index_error", {"x": (x34, False), "i": (f([0.0]), False)}, [["y", "index", ["x", "i"], {}]])
    add("index_put_long", {"x": (x34, True), "i": (i64([2, 0]), False), "v": (f([[1.0, 2.0, 3.0, 4.0], [5.0, 6.0, 7.0, 8.0]]), True)},
        [["c", "mul", ["x", 1.0], {}], ["y", "index_put_", ["c", "i", "v"], {}]])
    add("index_put_broadcast_value", {"x": (x34, True), "i": (i64([1]), False), "v": (f(9.0), True)},
        [["c", "mul", ["x", 1.0], {}], ["y", "index_put_", ["c", "i", "v"], {}]])
    add("index_put_accumulate_repeats", {"x": (x34, True), "i": (i64([1, 1, 0, 1]), False), "v": (f([1.0, 2.0, 3.0, 4.0]), True)},
        [["c", "mul", ["x", 1.0], {}], ["y", "index_put_", ["c", "i", "v"], {"accumulate": True}]])
    add("index_put_mask", {"x": (x23, True), "m": (m23, False), "v": (f([10.0, 20.0, 30.0]), True)},
        [["c", "mul", ["x", 1.0], {}], ["y", "index_put_", ["c", "m", "v"], {}]])
    add("index_put_mask_scalar_tensor", {"x": (x23, True), "m": (m23, False), "v": (f(0.0), False)},
        [["c", "mul", ["x", 1.0], {}], ["y", "index_put_", ["c", "m", "v"], {}]])
    add("index_put_int", {"x": (mf.rvalues([4], "int64"), False), "i": (i64([3, 0]), False), "v": (i64([100, 200]), False)},
        [["c", "clone", ["x"], {}], ["y", "index_put_", ["c", "i", "v"], {}]], outputs=["y", "c"])
    add("index_put_value_shape_error", {"x": (x34, False), "i": (i64([1, 2]), False), "v": (f([1.0, 2.0, 3.0]), False)},
        [["c", "clone", ["x"], {}], ["y", "index_put_", ["c", "i", "v"], {}]])
    return out
