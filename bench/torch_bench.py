#!/usr/bin/env python3
"""PyTorch side of `make bench`: times the same float64 training steps and
activation kernels as reluexp's Go benchmarks, on the same machine, and prints
one JSON object per measurement (name, seconds per operation, repetitions).

The shapes match model/train_test.go (benchShapes) and the kernels
model/activation_bench_test.go: an SGD step (forward, backward, update) of a
ReLU MLP with softmax cross-entropy on random data; forward and backward of
each activation on 4K and 16M elements; and a copy of the same size. The
CNN step matches model/cnn_bench_test.go (BenchmarkCNNStep): the same
network on a batch of 64 random 28x28 images, and the dgemm rate matches
BenchmarkDgemm (a 512x512 product).
"""
import json
import os
import statistics
import sys
import time

import torch

THREADS = int(os.environ.get("RELUEXP_BENCH_THREADS", os.cpu_count() or 1))
torch.set_num_threads(THREADS)
torch.manual_seed(1)

SHAPES = [
    ("784-256-256-10/b128", 784, [256, 256], 10, 128),
    ("64-20x64-10/b64", 64, [64] * 20, 10, 64),
    ("784-1024-1024-10/b256", 784, [1024, 1024], 10, 256),
]


def timeit(fn, min_time=1.0, warmup=3):
    """Median seconds per call over repeated calls lasting at least min_time."""
    for _ in range(warmup):
        fn()
    samples = []
    start = time.perf_counter()
    while time.perf_counter() - start < min_time or len(samples) < 5:
        t = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - t)
    return statistics.median(samples), len(samples)


def step_bench(name, inputs, hidden, outputs, batch):
    layers = []
    width = inputs
    for h in hidden:
        layers += [torch.nn.Linear(width, h), torch.nn.ReLU()]
        width = h
    layers.append(torch.nn.Linear(width, outputs))
    net = torch.nn.Sequential(*layers).double()
    for m in net:
        if isinstance(m, torch.nn.Linear):
            torch.nn.init.kaiming_normal_(m.weight, nonlinearity="relu")
            torch.nn.init.zeros_(m.bias)
    opt = torch.optim.SGD(net.parameters(), lr=0.01)
    x = torch.randn(batch, inputs, dtype=torch.float64)
    y = torch.randint(0, outputs, (batch,))
    loss_fn = torch.nn.CrossEntropyLoss()

    def step():
        opt.zero_grad(set_to_none=False)
        loss = loss_fn(net(x), y)
        loss.backward()
        opt.step()

    sec, n = timeit(step)
    emit("step/" + name, sec, n)


def cnn_bench():
    """conv 5x5 16ch pad 2, relu, pool 2, conv 5x5 32ch pad 2, relu, pool 2,
    dense 10: model/cnn_bench_test.go's cnnBenchSpec. PyTorch stores images
    channels first (NCHW) and reluexp channels last; with one input channel
    the batch is the same array, and each layer does the same arithmetic."""
    net = torch.nn.Sequential(
        torch.nn.Conv2d(1, 16, 5, padding=2), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
        torch.nn.Conv2d(16, 32, 5, padding=2), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
        torch.nn.Flatten(), torch.nn.Linear(32 * 7 * 7, 10),
    ).double()
    for m in net:
        if isinstance(m, (torch.nn.Conv2d, torch.nn.Linear)):
            torch.nn.init.kaiming_normal_(m.weight, nonlinearity="relu")
            torch.nn.init.zeros_(m.bias)
    opt = torch.optim.SGD(net.parameters(), lr=0.01)
    x = torch.randn(64, 1, 28, 28, dtype=torch.float64)
    y = torch.randint(0, 10, (64,))
    loss_fn = torch.nn.CrossEntropyLoss()

    def step():
        opt.zero_grad(set_to_none=False)
        loss = loss_fn(net(x), y)
        loss.backward()
        opt.step()

    sec, n = timeit(step, min_time=2.0)
    emit("step/cnn-fashion28/b64", sec, n)


def dgemm_bench(size=512):
    a = torch.randn(size, size, dtype=torch.float64)
    b = torch.randn(size, size, dtype=torch.float64)
    c = torch.empty(size, size, dtype=torch.float64)
    sec, n = timeit(lambda: torch.mm(a, b, out=c))
    rec_flops = 2 * size**3 / sec
    emit(f"dgemm/{size}", sec, n, gflops=rec_flops / 1e9)


def kernel_bench(size):
    z = torch.randn(size, dtype=torch.float64)
    dy = torch.randn(size, dtype=torch.float64)
    out = torch.empty_like(z)
    label = f"{size // 1024}K" if size < 1 << 20 else f"{size // (1 << 20)}M"
    min_time = 0.5 if size < 1 << 20 else 1.5
    sec, n = timeit(lambda: out.copy_(z), min_time)
    emit(f"kernel/copy/{label}", sec, n, size)
    for name, fwd in [("relu", torch.relu), ("sigmoid", torch.sigmoid), ("tanh", torch.tanh)]:
        sec, n = timeit(lambda: fwd(z, out=out) if name != "relu" else torch.clamp(z, min=0, out=out), min_time)
        emit(f"kernel/{name}/forward/{label}", sec, n, size)
    y_relu = torch.relu(z)
    y_sig = torch.sigmoid(z)
    y_tanh = torch.tanh(z)
    # The backward kernels autograd calls for each activation.
    sec, n = timeit(lambda: torch.ops.aten.threshold_backward(dy, y_relu, 0), min_time)
    emit(f"kernel/relu/backward/{label}", sec, n, size)
    sec, n = timeit(lambda: torch.ops.aten.sigmoid_backward(dy, y_sig), min_time)
    emit(f"kernel/sigmoid/backward/{label}", sec, n, size)
    sec, n = timeit(lambda: torch.ops.aten.tanh_backward(dy, y_tanh), min_time)
    emit(f"kernel/tanh/backward/{label}", sec, n, size)


def emit(name, sec, n, elements=None, gflops=None):
    rec = {"name": name, "seconds": sec, "reps": n, "threads": THREADS, "torch": torch.__version__}
    if elements:
        rec["ns_per_element"] = sec * 1e9 / elements
    if gflops:
        rec["gflops"] = gflops
    print(json.dumps(rec), flush=True)


if __name__ == "__main__":
    what = sys.argv[1:] or ["dgemm", "steps", "cnn", "kernels"]
    if "dgemm" in what:
        dgemm_bench()
    if "steps" in what:
        for s in SHAPES:
            step_bench(*s)
    if "cnn" in what:
        cnn_bench()
    if "kernels" in what:
        for size in (4096, 16 << 20):
            kernel_bench(size)
