"""Writes the committed safetensors fixtures with PyTorch (Debian's 1.13, no safetensors package):

  /usr/bin/python3 tests/Tensor.Tests/Fixtures/make_safetensors.py

- safetensors/model.safetensors: the state_dict of nn.Sequential(Linear(3, 4), ReLU(), Linear(4, 2)) (seed 0);
  safetensors/model_io.safetensors: an input "x" (5x3) and PyTorch's output "y" for it.
- safetensors/dtypes.safetensors: one tensor of every dtype (F16, BF16, I8, I16, U8, BOOL, I32, I64, F32, F64) with
  edge values, metadata {"source": "pytorch", "torch": <version>}; dtypes.json: each tensor's dtype, shape and
  values as text ("NaN", "Infinity", exact integers), for the tests to compare with.

The format is written by hand as the reference (Rust) writer lays it out: an 8-byte little-endian header length,
the compact JSON header ("__metadata__" first, then the tensors by descending dtype order of its Dtype enum, then
by name), padded with spaces to a multiple of 8, then the raw little-endian bytes in that order. The tests save
the same tensors with Safetensors.Save and require the very same bytes.
"""
import json
import math
import os
import struct

import torch

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "safetensors")

# The reference's Dtype enum order (its writer sorts by it, descending).
ORDER = ["BOOL", "U8", "I8", "I16", "F16", "BF16", "I32", "F32", "F64", "I64"]
CODES = {torch.bool: "BOOL", torch.uint8: "U8", torch.int8: "I8", torch.int16: "I16", torch.float16: "F16",
         torch.bfloat16: "BF16", torch.int32: "I32", torch.float32: "F32", torch.float64: "F64", torch.int64: "I64"}


def raw(t):
    t = t.contiguous()
    if t.dtype == torch.bool:
        t = t.to(torch.uint8)
    if t.dtype == torch.bfloat16:
        t = t.view(torch.int16)
    return t.numpy().tobytes()


def save(path, tensors, metadata):
    items = sorted(tensors.items(), key=lambda kv: (-ORDER.index(CODES[kv[1].dtype]), kv[0].encode()))
    header = {"__metadata__": metadata}
    blobs, offset = [], 0
    for name, t in items:
        b = raw(t)
        header[name] = {"dtype": CODES[t.dtype], "shape": list(t.shape), "data_offsets": [offset, offset + len(b)]}
        blobs.append(b)
        offset += len(b)
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for b in blobs:
            f.write(b)


def text(v):
    if isinstance(v, bool):
        return "1" if v else "0"
    if isinstance(v, int):
        return str(v)
    if math.isnan(v):
        return "NaN"
    if math.isinf(v):
        return "Infinity" if v > 0 else "-Infinity"
    return repr(v)


def main():
    os.makedirs(HERE, exist_ok=True)
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.ReLU(), torch.nn.Linear(4, 2))
    save(os.path.join(HERE, "model.safetensors"), {k: v.detach() for k, v in model.state_dict().items()}, {"format": "pt"})
    x = torch.randn(5, 3)
    with torch.no_grad():
        y = model(x)
    save(os.path.join(HERE, "model_io.safetensors"), {"x": x, "y": y}, {"format": "pt"})

    inf, nan = float("inf"), float("nan")
    tensors = {
        "f16": torch.tensor([[1.0, -2.5, 65504.0, 6e-8], [0.1, inf, -0.0, nan]], dtype=torch.float16),
        "bf16": torch.tensor([1.0, -2.5, 3.3895e38, 1e-40, 0.1, -inf, nan], dtype=torch.bfloat16),
        "i8": torch.tensor([-128, 127, 0, -1], dtype=torch.int8),
        "i16": torch.tensor([[-32768, 32767], [1000, -7]], dtype=torch.int16),
        "u8": torch.tensor([0, 255, 7], dtype=torch.uint8),
        "bool": torch.tensor([True, False, True]),
        "i32": torch.tensor([-2 ** 31, 2 ** 31 - 1], dtype=torch.int32),
        "i64": torch.tensor([-2 ** 63, 2 ** 63 - 1, 5], dtype=torch.int64),
        "f32": torch.tensor([0.1, -1e-45, 3.4e38], dtype=torch.float32),
        "f64": torch.tensor([0.1, 1e-310, -1e308], dtype=torch.float64),
        "empty": torch.zeros(0, 3, dtype=torch.float16),
    }
    save(os.path.join(HERE, "dtypes.safetensors"), tensors, {"source": "pytorch", "torch": torch.__version__.split("+")[0]})
    expected = {}
    for name, t in tensors.items():
        values = t.flatten().tolist() if not t.dtype.is_floating_point else t.double().flatten().tolist()
        expected[name] = {"dtype": CODES[t.dtype], "shape": list(t.shape), "values": [text(v) for v in values]}
    with open(os.path.join(HERE, "dtypes.json"), "w") as f:
        json.dump(expected, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
