"""The chapter's last cell in plain PyTorch, for RESULTS.md: fastai's
`cnn_learner(dls, resnet18, pretrained=False, loss_func=F.cross_entropy, metrics=accuracy).fit_one_cycle(1, 0.1)`
on MNIST_SAMPLE, spelled out without fastai (the recipe samples/MnistBasics part 7 follows):

- data: the 3s and 7s as 3-channel float images in [0, 1] (fastai's PILImage converts the grey PNGs to RGB; no
  Normalize, as cnn_learner adds none when pretrained=False); labels 3 -> 0, 7 -> 1; batch size 64; train shuffled
  each epoch with the last short batch dropped (fastai's train DataLoader), valid in order with it kept.
- model: torchvision's resnet18 without avgpool and fc (fastai's create_body, cut=-2) + fastai's create_head:
  AdaptiveConcatPool2d (max then avg), Flatten, BatchNorm1d(1024), Dropout(0.25), Linear(1024, 512, bias=False),
  ReLU, BatchNorm1d(512), Dropout(0.5), Linear(512, 2, bias=False); the head's linear weights kaiming_normal_.
- optimizer: fastai's Adam = moments (0.9, 0.99), eps 1e-5, decoupled weight decay 0.01 (torch.optim.AdamW is the
  same update), with no weight decay on batch-norm parameters and biases (fastai's wd_bn_bias=False).
- schedule: fastai's fit_one_cycle: lr cosine from lr_max/25 up to lr_max over the first 25% of the batches, then
  cosine down to lr_max/1e5; beta1 cosine 0.95 -> 0.85 -> 0.95; set before each batch from progress = i / n.

Usage: /usr/bin/python3 benchmarks/pytorch/resnet_epoch.py [--data ../shared/data/mnist] [--threads 2] [--seed 42]
Prints the epoch's seconds (train and valid), accuracy and peak RSS as JSON.
"""
import argparse, gzip, json, math, os, resource, time
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
import torchvision

ap = argparse.ArgumentParser()
ap.add_argument("--data", default=os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared", "data", "mnist"))
ap.add_argument("--threads", type=int, default=2)
ap.add_argument("--seed", type=int, default=42)
ap.add_argument("--lr", type=float, default=0.1)
args = ap.parse_args()
torch.set_num_threads(args.threads)
torch.manual_seed(args.seed)


def idx(name, offset):
    return np.frombuffer(gzip.open(os.path.join(args.data, name + ".gz")).read(), np.uint8, offset=offset)


def split(images, labels):
    """The 3s then the 7s, each in fastai's sorted file-name order; labels 0 for 3, 1 for 7."""
    ids = [sorted(np.where(labels == d)[0], key=lambda i: f"{i}.png") for d in (3, 7)]
    x = torch.from_numpy(images[np.concatenate(ids)].copy())
    y = torch.cat([torch.zeros(len(ids[0]), dtype=torch.long), torch.ones(len(ids[1]), dtype=torch.long)])
    return x, y


train_x, train_y = split(idx("train-images-idx3-ubyte", 16).reshape(-1, 28, 28), idx("train-labels-idx1-ubyte", 8))
valid_x, valid_y = split(idx("t10k-images-idx3-ubyte", 16).reshape(-1, 28, 28), idx("t10k-labels-idx1-ubyte", 8))
BS = 64


def batches(x, y, shuffle):
    order = torch.randperm(len(x)) if shuffle else torch.arange(len(x))
    n = len(x) // BS if shuffle else (len(x) + BS - 1) // BS
    for b in range(n):
        i = order[b * BS:(b + 1) * BS]
        # PILImage(grey).convert('RGB') then IntToFloatTensor: three equal channels in [0, 1].
        yield (x[i].float() / 255).unsqueeze(1).expand(-1, 3, -1, -1).contiguous(), y[i]


class AdaptiveConcatPool2d(nn.Module):
    def forward(self, x):
        return torch.cat([F.adaptive_max_pool2d(x, 1), F.adaptive_avg_pool2d(x, 1)], 1)


body = nn.Sequential(*list(torchvision.models.resnet18().children())[:-2])
head = nn.Sequential(AdaptiveConcatPool2d(), nn.Flatten(),
                     nn.BatchNorm1d(1024), nn.Dropout(0.25), nn.Linear(1024, 512, bias=False), nn.ReLU(inplace=True),
                     nn.BatchNorm1d(512), nn.Dropout(0.5), nn.Linear(512, 2, bias=False))
for m in head.modules():
    if isinstance(m, nn.Linear):
        nn.init.kaiming_normal_(m.weight)
model = nn.Sequential(body, head)

norm_types = (nn.BatchNorm1d, nn.BatchNorm2d)
no_wd = {id(p) for m in model.modules() for n, p in m.named_parameters(recurse=False)
         if isinstance(m, norm_types) or n == "bias"}
params = list(model.parameters())
opt = torch.optim.AdamW([{"params": [p for p in params if id(p) not in no_wd], "weight_decay": 0.01},
                         {"params": [p for p in params if id(p) in no_wd], "weight_decay": 0.0}],
                        lr=args.lr, betas=(0.9, 0.99), eps=1e-5)


def cos(start, end, pct):
    return start + (1 + math.cos(math.pi * (1 - pct))) * (end - start) / 2


def one_cycle(pct, lr_max, pct_start=0.25, div=25.0, div_final=1e5, moms=(0.95, 0.85, 0.95)):
    if pct < pct_start:
        p = pct / pct_start
        return cos(lr_max / div, lr_max, p), cos(moms[0], moms[1], p)
    p = (pct - pct_start) / (1 - pct_start)
    return cos(lr_max, lr_max / div_final, p), cos(moms[1], moms[2], p)


n_iter = len(train_x) // BS
t0 = time.perf_counter()
model.train()
losses = []
for i, (xb, yb) in enumerate(batches(train_x, train_y, True)):
    lr, mom = one_cycle(i / n_iter, args.lr)
    for g in opt.param_groups:
        g["lr"], g["betas"] = lr, (mom, 0.99)
    loss = F.cross_entropy(model(xb), yb)
    loss.backward()
    opt.step()
    opt.zero_grad()
    losses.append(loss.item())
train_seconds = time.perf_counter() - t0
t1 = time.perf_counter()
model.eval()
correct, total, valid_loss = 0, 0, 0.0
with torch.no_grad():
    for xb, yb in batches(valid_x, valid_y, False):
        out = model(xb)
        valid_loss += F.cross_entropy(out, yb, reduction="sum").item()
        correct += (out.argmax(1) == yb).sum().item()
        total += len(yb)
valid_seconds = time.perf_counter() - t1
print(json.dumps({
    "torch": torch.__version__, "threads": args.threads, "seed": args.seed, "batches": n_iter,
    "train_seconds": round(train_seconds, 2), "valid_seconds": round(valid_seconds, 2),
    "seconds": round(train_seconds + valid_seconds, 2),
    "train_loss_last": round(float(np.mean(losses[-20:])), 4), "valid_loss": round(valid_loss / total, 4),
    "accuracy": round(correct / total, 6),
    "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
}))
