"""The steps of samples/MnistBasics (fastai chapter 4) in plain PyTorch, timed part by part, for RESULTS.md.

Usage: /usr/bin/python3 benchmarks/pytorch/mnist_basics.py [--data ../shared/data/mnist] [--threads 2]
Reads the MNIST IDX files (3s and 7s, in fastai's sorted order) with NumPy; no fastai needed. Prints JSON.
"""
import argparse, gzip, json, os, time
import numpy as np
import torch

ap = argparse.ArgumentParser()
ap.add_argument("--data", default=os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared", "data", "mnist"))
ap.add_argument("--threads", type=int, default=2)
args = ap.parse_args()
torch.set_num_threads(args.threads)

def idx(name, offset):
    return np.frombuffer(gzip.open(os.path.join(args.data, name + ".gz")).read(), np.uint8, offset=offset)

def digits(images, labels, d):
    ids = sorted(np.where(labels == d)[0], key=lambda i: f"{i}.png")
    return torch.from_numpy(images[ids].copy())

seconds, results = {}, {}
def part(name):
    def wrap(f):
        torch.manual_seed(42)
        t = time.perf_counter(); f(); seconds[name] = round(time.perf_counter() - t, 3)
    return wrap

t0 = time.perf_counter()
X = idx("train-images-idx3-ubyte", 16).reshape(-1, 28, 28); Y = idx("train-labels-idx1-ubyte", 8)
Xt = idx("t10k-images-idx3-ubyte", 16).reshape(-1, 28, 28); Yt = idx("t10k-labels-idx1-ubyte", 8)
train3, train7, valid3, valid7 = digits(X, Y, 3), digits(X, Y, 7), digits(Xt, Yt, 3), digits(Xt, Yt, 7)
seconds["load_data"] = round(time.perf_counter() - t0, 3)

@part("look_at_data")
def _():
    print(train3[1][4:10, 4:10])

S = {}
@part("pixel_similarity")
def _():
    threes, sevens = train3.float() / 255, train7.float() / 255
    m3, m7 = threes.mean(0), sevens.mean(0)
    a3 = threes[1]
    results["dist_3_abs"] = (a3 - m3).abs().mean().item()
    v3, v7 = valid3.float() / 255, valid7.float() / 255
    dist = lambda a, b: (a - b).abs().mean((-1, -2))
    is3 = lambda x: dist(x, m3) < dist(x, m7)
    results["pixel_accuracy"] = ((is3(v3).float().mean() + (1 - is3(v7).float()).mean()) / 2).item()
    S.update(threes=threes, sevens=sevens, v3=v3, v7=v7)

@part("sgd_quadratic")
def _():
    t = torch.arange(0, 20).float(); speed = torch.randn(20) * 3 + 0.75 * (t - 9.5) ** 2 + 1
    p = torch.randn(3).requires_grad_()
    for _ in range(10):
        loss = ((p[0] * t ** 2 + p[1] * t + p[2] - speed) ** 2).mean(); loss.backward()
        p.data -= 1e-5 * p.grad.data; p.grad = None

train_x = torch.cat([S["threes"], S["sevens"]]).view(-1, 784)
train_y = torch.tensor([1] * len(S["threes"]) + [0] * len(S["sevens"])).float().unsqueeze(1)
valid_x = torch.cat([S["v3"], S["v7"]]).view(-1, 784)
valid_y = torch.tensor([1] * len(S["v3"]) + [0] * len(S["v7"])).float().unsqueeze(1)
def batches(x, y, shuffle):
    idx = torch.randperm(len(x)) if shuffle else torch.arange(len(x))
    for i in range(0, len(x), 256):
        j = idx[i:i + 256]; yield x[j], y[j]
def mnist_loss(p, t):
    p = p.sigmoid(); return torch.where(t == 1, 1 - p, p).mean()
def batch_accuracy(p, t):
    return ((p.sigmoid() > 0.5) == t).float().mean()
def validate(model):
    with torch.no_grad():
        return round(torch.stack([batch_accuracy(model(xb), yb) for xb, yb in batches(valid_x, valid_y, False)]).mean().item(), 4)
def train(model, params, lr, epochs, opt=None):
    for _ in range(epochs):
        for xb, yb in batches(train_x, train_y, True):
            mnist_loss(model(xb), yb).backward()
            if opt: opt.step(); opt.zero_grad()
            else:
                for p in params: p.data -= p.grad * lr; p.grad = None
    return validate(model)

@part("linear_by_hand")
def _():
    w = torch.randn(784, 1).requires_grad_(); b = torch.randn(1).requires_grad_()
    results["linear_by_hand"] = train(lambda x: x @ w + b, [w, b], 1.0, 20)

@part("linear_learner")
def _():
    m = torch.nn.Linear(784, 1); train(m, list(m.parameters()), 1.0, 20)
    m = torch.nn.Linear(784, 1); train(m, None, 1.0, 20, torch.optim.SGD(m.parameters(), 1.0))
    m = torch.nn.Linear(784, 1); opt = torch.optim.SGD(m.parameters(), 1.0)
    for _ in range(10): train(m, None, 1.0, 1, opt)           # Learner.fit(10): train, then validate each epoch
    results["linear_learner"] = validate(m)

@part("simple_net")
def _():
    net = torch.nn.Sequential(torch.nn.Linear(784, 30), torch.nn.ReLU(), torch.nn.Linear(30, 1))
    opt = torch.optim.SGD(net.parameters(), 0.1)
    for _ in range(40): acc = train(net, None, 0.1, 1, opt)
    results["simple_net"] = acc

seconds["total"] = round(time.perf_counter() - t0, 3)
print(json.dumps({"torch": torch.__version__, "threads": torch.get_num_threads(), "seconds": seconds, "results": results}, indent=1))
