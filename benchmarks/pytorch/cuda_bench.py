"""The PyTorch side of benchmarks/CudaBench (same shapes and timing rule): median of timed repetitions after
warm-up, synchronising the device around each. Run on the GPU machine: python3 benchmarks/pytorch/cuda_bench.py"""
import time
import torch

torch.backends.cuda.matmul.allow_tf32 = False
dev = torch.device("cuda")
print(f"torch {torch.__version__}, {torch.cuda.get_device_name(0)}")


def median(warmup, reps, body):
    for _ in range(warmup):
        body()
    torch.cuda.synchronize()
    times = []
    for _ in range(reps):
        t = time.perf_counter()
        body()
        torch.cuda.synchronize()
        times.append(time.perf_counter() - t)
    times.sort()
    return times[len(times) // 2]


print("| benchmark | PyTorch | unit |")
print("|---|---:|---|")
n = 1 << 26
a = torch.rand(n, device=dev)
b = torch.rand(n, device=dev)
c = torch.zeros(n, device=dev)
copy = median(3, 20, lambda: c.copy_(a))
add = median(3, 20, lambda: a + b)
add_ = median(3, 20, lambda: c.add_(b))
relu = median(3, 20, lambda: a.relu())
s = median(3, 20, lambda: a.sum())
print(f"| copy 64M float32 (read + write) | {2 * 4 * n / copy / 1e9:.0f} | GB/s |")
print(f"| add 64M float32, new output (2 reads + write) | {3 * 4 * n / add / 1e9:.0f} | GB/s |")
print(f"| add_ 64M float32 in place | {3 * 4 * n / add_ / 1e9:.0f} | GB/s |")
print(f"| relu 64M float32 | {2 * 4 * n / relu / 1e9:.0f} | GB/s |")
print(f"| sum 64M float32 | {4 * n / s / 1e9:.0f} | GB/s |")
for size in (1024, 2048, 4096):
    x = torch.randn(size, size, device=dev)
    y = torch.randn(size, size, device=dev)
    t = median(3, 10, lambda: x @ y)
    print(f"| sgemm {size}^3 | {2 * size ** 3 / t / 1e12:.1f} | TFLOP/s |")
x = torch.rand(12396, 784, device=dev)
w = torch.randn(784, 1, device=dev)
y = ((x @ w - 0.5 * w.sum()) > 0).float()
torch.manual_seed(7)
model = torch.nn.Sequential(torch.nn.Linear(784, 30), torch.nn.ReLU(), torch.nn.Linear(30, 1)).to(dev)
opt = torch.optim.SGD(model.parameters(), lr=0.1)


def epoch():
    for start in range(0, 12396, 256):
        loss = torch.nn.functional.binary_cross_entropy_with_logits(model(x[start:start + 256]), y[start:start + 256])
        loss.backward()
        opt.step()
        opt.zero_grad()


print(f"| 784-30-1 MLP, one epoch (49 batches of 256) | {median(2, 7, epoch) * 1e3:.2f} | ms |")
