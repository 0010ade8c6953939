"""Writes the committed ResNet fixtures with torchvision (Debian's PyTorch 1.13 and python3-torchvision):

  /usr/bin/python3 tests/Tensor.Tests/Models/make_resnet.py

- Fixtures/safetensors/resnet18_keys.json: every state-dict entry of torchvision's resnet18() (name, shape), in
  order, so that the layout and names of the full-size model are checked without committing its 45 MB.
- Fixtures/safetensors/resnet18_tiny.safetensors: the state dict of torchvision's ResNet-18 built by torchvision's
  own code (ResNet(BasicBlock, [2, 2, 2, 2]) and its _make_layer) at widths 4-8-16-32 with 10 classes, its batch
  norms' running statistics moved off their initial values by three training-mode passes (seed 0).
- Fixtures/safetensors/resnet18_tiny_io.safetensors: an input "x" [2, 3, 28, 28] and PyTorch's outputs for it:
  "y_eval" (eval mode), "y_train" (training mode, batch statistics), and after cross entropy of y_train against
  "target" and backward: "grad_conv1" (conv1.weight's gradient), "grad_fc" (fc.weight's) and "grad_x", and
  "running_mean" (layer1.0.bn1's running mean after that training-mode pass).
"""
import json
import os
import sys

import torch
import torch.nn as nn
import torchvision
from torchvision.models.resnet import BasicBlock, ResNet

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Fixtures"))
from make_safetensors import save  # noqa: E402  (the hand-written safetensors writer)

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Fixtures", "safetensors")


def tiny(widths=(4, 8, 16, 32), num_classes=10):
    """torchvision's ResNet-18 at other widths: its constructor and _make_layer, with the stem and layers rebuilt."""
    m = ResNet(BasicBlock, [2, 2, 2, 2], num_classes=num_classes)
    m.inplanes = widths[0]
    m.conv1 = nn.Conv2d(3, widths[0], kernel_size=7, stride=2, padding=3, bias=False)
    m.bn1 = nn.BatchNorm2d(widths[0])
    m.layer1 = m._make_layer(BasicBlock, widths[0], 2)
    m.layer2 = m._make_layer(BasicBlock, widths[1], 2, stride=2)
    m.layer3 = m._make_layer(BasicBlock, widths[2], 2, stride=2)
    m.layer4 = m._make_layer(BasicBlock, widths[3], 2, stride=2)
    m.fc = nn.Linear(widths[3], num_classes)
    for mod in m.modules():  # torchvision's init, as its constructor does it
        if isinstance(mod, nn.Conv2d):
            nn.init.kaiming_normal_(mod.weight, mode="fan_out", nonlinearity="relu")
        elif isinstance(mod, nn.BatchNorm2d):
            nn.init.constant_(mod.weight, 1)
            nn.init.constant_(mod.bias, 0)
    return m


def main():
    torch.manual_seed(0)
    keys = [[k, list(v.shape)] for k, v in torchvision.models.resnet18().state_dict().items()]
    with open(os.path.join(HERE, "resnet18_keys.json"), "w") as f:
        json.dump(keys, f, separators=(",", ":"))
        f.write("\n")

    m = tiny()
    m.train()
    with torch.no_grad():
        for _ in range(3):
            m(torch.rand(4, 3, 28, 28) * 2)
        # Non-trivial affine parameters too, so that loading them matters.
        for mod in m.modules():
            if isinstance(mod, nn.BatchNorm2d):
                mod.weight.uniform_(0.5, 1.5)
                mod.bias.uniform_(-0.2, 0.2)
    save(os.path.join(HERE, "resnet18_tiny.safetensors"), {k: v.clone() for k, v in m.state_dict().items()}, {"source": "torchvision"})

    x = torch.rand(2, 3, 28, 28)
    target = torch.tensor([1, 7])
    m.eval()
    with torch.no_grad():
        y_eval = m(x)
    m.train()
    xg = x.clone().requires_grad_()
    y_train = m(xg)
    nn.functional.cross_entropy(y_train, target).backward()
    io = {"x": x, "target": target, "y_eval": y_eval, "y_train": y_train.detach(),
          "grad_conv1": m.conv1.weight.grad, "grad_fc": m.fc.weight.grad, "grad_x": xg.grad,
          "running_mean": m.layer1[0].bn1.running_mean.clone()}
    save(os.path.join(HERE, "resnet18_tiny_io.safetensors"), io, {"source": "torchvision"})


if __name__ == "__main__":
    main()
