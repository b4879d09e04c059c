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

    # Rows of 512 units, as reluexp's benchmarks lay them out, for the
    # per-unit PReLU slopes and the two-sided ReLU's doubled output.
    z2, dy2 = z.view(-1, 512), dy.view(-1, 512)
    slope = torch.full((512,), 0.25, dtype=torch.float64)
    wide = torch.empty(z2.shape[0], 1024, dtype=torch.float64)
    dwide = torch.randn(z2.shape[0], 1024, dtype=torch.float64)
    dz2 = torch.empty_like(z2)
    aten = torch.ops.aten
    # PReLU's backward kernel was renamed in torch 2.0.
    prelu_backward = getattr(aten, "_prelu_kernel_backward", None) or aten.prelu_backward
    selu_alpha, selu_scale = 1.6732632423543772848170429916717, 1.0507009873554804934193349852946

    def twosided_forward():
        torch.clamp(z2, min=0, out=wide[:, :512])
        torch.clamp(z2, max=0, out=wide[:, 512:])

    # The backward kernels of these read the forward output, made here
    # outside the timing.
    y_relu, y_sig, y_tanh = torch.relu(z), torch.sigmoid(z), torch.tanh(z)
    # name: (forward, backward), each the ATen kernel autograd runs (the
    # two-sided ReLU has none of its own: clamps and a where).
    kernels = {
        "relu": (lambda: torch.clamp(z, min=0, out=out), lambda: aten.threshold_backward(dy, y_relu, 0)),
        "leaky": (lambda: aten.leaky_relu.out(z, 0.01, out=out), lambda: aten.leaky_relu_backward(dy, z, 0.01, False)),
        "prelu": (lambda: torch.prelu(z2, slope), lambda: prelu_backward(dy2, z2, slope)),
        "elu": (lambda: aten.elu.out(z, 1.0, 1, 1, out=out), lambda: aten.elu_backward(dy, 1.0, 1, 1, False, z)),
        "selu": (lambda: aten.elu.out(z, selu_alpha, selu_scale, 1, out=out),
                 lambda: aten.elu_backward(dy, selu_alpha, selu_scale, 1, False, z)),
        "gelu": (lambda: aten.gelu.out(z, out=out), lambda: aten.gelu_backward(dy, z)),
        "swish": (lambda: aten.silu.out(z, out=out), lambda: aten.silu_backward(dy, z)),
        "softplus": (lambda: aten.softplus.out(z, 1, 20, out=out), lambda: aten.softplus_backward(dy, z, 1, 20)),
        "sigmoid": (lambda: torch.sigmoid(z, out=out), lambda: aten.sigmoid_backward(dy, y_sig)),
        "tanh": (lambda: torch.tanh(z, out=out), lambda: aten.tanh_backward(dy, y_tanh)),
        "twosided": (twosided_forward, lambda: torch.where(z2 > 0, dwide[:, :512], dwide[:, 512:], out=dz2)),
    }
    for name, (fwd, bwd) in kernels.items():
        for pas, fn in (("forward", fwd), ("backward", bwd)):
            try:
                sec, n = timeit(fn, min_time)
            except Exception as e:  # an ATen op missing from this torch version
                print(f"kernel {name} {pas}: {e}", file=sys.stderr)
                continue
            emit(f"kernel/{name}/{pas}/{label}", sec, n, size)


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
