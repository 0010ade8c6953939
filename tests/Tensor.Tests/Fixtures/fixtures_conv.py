"""Fixtures for the conv area: F.conv2d (stride, padding, dilation, groups incl. depthwise, bias, 1x1, kernels larger
than the input with padding, a 7x7 stride-2 stem, unbatched input, float32) with gradients of input, weight and bias,
F.unfold/F.fold, and the errors PyTorch raises. Written to pytorch/conv.json by make_fixtures.py."""
import torch
import torch.nn.functional as F

import make_fixtures as mf

mf.OPS.update({
    "conv2d": lambda x, w, b=None, **kw: F.conv2d(x, w, b, **kw),
    "unfold": lambda x, k, **kw: F.unfold(x, k, **kw),
    "fold": lambda x, size, k, **kw: F.fold(x, size, k, **kw),
})

G = torch.Generator().manual_seed(11)


def randn(*shape, dtype=torch.float64):
    return torch.randn(*shape, generator=G, dtype=dtype).mul(100).round().div(100)


def cases():
    cases = []

    def add(name, inputs, program, grad=True):
        cases.append(mf.Case(name, inputs, program, None, grad))

    def conv(name, x, w, b=None, dtype=torch.float64, **kw):
        inputs = {"x": (randn(*x, dtype=dtype), True), "w": (randn(*w, dtype=dtype), True)}
        args = ["x", "w"]
        if b is not None:
            inputs["b"] = (randn(b, dtype=dtype), True)
            args.append("b")
        add(name, inputs, [["y", "conv2d", args, kw]])

    conv("conv_plain", (2, 3, 5, 5), (4, 3, 3, 3), 4)
    conv("conv_no_bias", (1, 2, 4, 6), (3, 2, 2, 3))
    conv("conv_stride2", (2, 2, 7, 6), (3, 2, 3, 3), 3, stride=2)
    conv("conv_stride_pair", (1, 2, 7, 6), (2, 2, 3, 2), 2, stride=[2, 1])
    conv("conv_pad1", (2, 3, 4, 4), (2, 3, 3, 3), 2, padding=1)
    conv("conv_pad_pair", (1, 2, 5, 4), (2, 2, 3, 3), None, padding=[2, 0])
    conv("conv_dilation2", (1, 2, 7, 7), (2, 2, 3, 3), 2, dilation=2)
    conv("conv_dilation_pad_stride", (2, 2, 8, 7), (3, 2, 3, 2), 3, stride=2, padding=2, dilation=[2, 3])
    conv("conv_groups2", (2, 4, 5, 5), (6, 2, 3, 3), 6, groups=2, padding=1)
    conv("conv_depthwise", (2, 3, 5, 5), (3, 1, 3, 3), 3, groups=3, padding=1)
    conv("conv_depthwise_multiplier", (1, 2, 4, 4), (4, 1, 2, 2), 4, groups=2)
    conv("conv_1x1", (2, 4, 3, 3), (5, 4, 1, 1), 5)
    conv("conv_1x1_stride2", (2, 4, 5, 5), (3, 4, 1, 1), 3, stride=2)
    conv("conv_kernel_larger_than_input", (1, 2, 2, 2), (3, 2, 3, 3), 3, padding=1)
    conv("conv_kernel_larger_padded", (1, 1, 2, 3), (2, 1, 5, 5), 2, padding=2)
    conv("conv_stem_7x7_stride2", (1, 2, 28, 28), (2, 2, 7, 7), None, stride=2, padding=3)
    conv("conv_unbatched", (3, 5, 5), (2, 3, 3, 3), 2, padding=1)
    conv("conv_float32", (2, 3, 6, 6), (4, 3, 3, 3), 4, dtype=torch.float32, stride=2, padding=1)
    conv("conv_odd_sizes", (3, 3, 9, 5), (5, 3, 4, 2), 5, stride=[3, 2], padding=[1, 1])

    def error(name, x, w, b=None, **kw):
        inputs = {"x": (randn(*x), False), "w": (randn(*w), False)}
        args = ["x", "w"]
        if b is not None:
            inputs["b"] = (randn(b), False)
            args.append("b")
        add(name, inputs, [["y", "conv2d", args, kw]], grad=False)

    error("conv_channel_mismatch", (1, 2, 5, 5), (3, 3, 3, 3))
    error("conv_groups_channel_mismatch", (1, 4, 5, 5), (4, 4, 3, 3), groups=2)
    error("conv_out_not_divisible", (1, 4, 5, 5), (3, 2, 3, 3), groups=2)
    error("conv_kernel_too_large", (1, 1, 2, 2), (1, 1, 3, 3))
    error("conv_rank2_input", (3, 5), (1, 1, 3, 3))
    error("conv_bad_bias", (1, 2, 4, 4), (3, 2, 3, 3), 2)
    error("conv_zero_stride", (1, 2, 4, 4), (3, 2, 3, 3), stride=0)
    error("conv_negative_padding", (1, 2, 4, 4), (3, 2, 3, 3), padding=-1)
    add("conv_dtype_mismatch", {"x": (randn(1, 2, 4, 4, dtype=torch.float32), False), "w": (randn(3, 2, 3, 3), False)},
        [["y", "conv2d", ["x", "w"], {}]], grad=False)

    add("unfold_plain", {"x": (randn(2, 3, 4, 5), True)}, [["y", "unfold", ["x", 2], {}]])
    add("unfold_all", {"x": (randn(1, 2, 6, 5), True)}, [["y", "unfold", ["x", [3, 2]], {"dilation": [1, 2], "padding": 1, "stride": [2, 1]}]])
    add("fold_plain", {"x": (randn(2, 12, 12), True)}, [["y", "fold", ["x", [4, 5], 2], {}]])
    add("fold_all", {"x": (randn(1, 12, 15), True)}, [["y", "fold", ["x", [6, 5], [3, 2]], {"dilation": [1, 2], "padding": 1, "stride": [2, 1]}]])
    add("fold_bad_blocks", {"x": (randn(1, 4, 5), False)}, [["y", "fold", ["x", [3, 3], 2], {}]], grad=False)
    return cases
