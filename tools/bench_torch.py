#!/usr/bin/python3
"""The `reffakd bench` recipe in PyTorch (CPU), for a side-by-side comparison.

Times one training epoch over the 60,000 Fashion-MNIST training images, as
org.reffakd.nn.run.Benchmark does, for
  autoencoder  the ReffAKD CAE (conv 4x4/2 12-24-48 + ReLU, transposed conv 48-24-12-1, ReLU
               between, sigmoid), MSE against the normalised input;
  student      LeNet-5-BN (conv 6@5x5 BN ReLU pool2, conv 16@5x5 BN ReLU pool2,
               FC 400-120-84-10), loss reffakd: (1-a) CE + a T^2 KLDivLoss(mean)(log_softmax(z/T),
               soft[y]) with a 0.5, T 5, soft labels from an untrained CAE (paper mode: 40 images
               per class, mean pairwise cosine per class pair, diagonal + 0.008, row softmax);
both with SGD lr 0.1, momentum 0.9, weight decay 5e-4 (all parameters), batch 128 (the last
batch of 96 kept), a seeded permutation per epoch, and the reference Fashion-MNIST augmentation
(horizontal flip p 1/2, rotation by a uniform angle in [-15, 15] degrees about the centre,
nearest neighbour, zero fill; no crop) applied to the [0,1] images resized 28 -> 32 (bilinear,
half-pixel centres), then normalised with the training set's mean and population std.

Augmentation runs inline, batch by batch on the training thread, as index arithmetic on the
whole batch (one gather); it is included in the timed epoch, as the Java loader thread's work
is (there it overlaps with the training on a second thread).

Only the training pass of the epoch is timed (no validation, no evaluation), each run with a
freshly initialised network (seed = run index), --runs times. Several --threads run one after
the other, each in a fresh child process (so no count inherits the other's warm-up).

Output: one JSON object on stdout (logs go to stderr):
  {"torch_version", "runs", "results": [{"threads", "student_epoch_s", "student_epoch_s_all",
   "student_epoch_s_first", "images_per_s", "autoencoder_epoch_s", "autoencoder_epoch_s_all",
   "autoencoder_epoch_s_first", "autoencoder_images_per_s", ...}, ...],
   "best": {"student": {"threads", "epoch_s"}, "autoencoder": {...}}}
Use /usr/bin/python3 (Debian's python3-torch); tools/bench-torch installs it when missing.

On a machine shared with other busy processes, OpenMP's default spin-waiting made the 2-thread
autoencoder epoch about 13 times slower than with OMP_WAIT_POLICY=PASSIVE (measured under a load
of 5-7 on 2 cores); the environment is left as it is and the policy is reported in the JSON
("omp_wait_policy", null = the runtime's default). Set it for runs under contention.
"""

import argparse
import gzip
import json
import math
import os
import struct
import subprocess
import sys
import time

DEFAULT_DATA = "/usr/share/datasets/fashion-mnist"
BATCH = 128
SIDE = 32


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def parse_args(argv):
    p = argparse.ArgumentParser(
        prog="bench_torch.py",
        description="Time one Fashion-MNIST training epoch of the reffakd bench recipe "
                    "(student and autoencoder) in PyTorch on the CPU; print JSON.")
    p.add_argument("--runs", type=int, default=3, help="repetitions; medians are reported "
                   "(default 3)")
    p.add_argument("--threads", default="1,2",
                   help="comma-separated torch.set_num_threads counts, each run in a fresh "
                        "child process (default 1,2)")
    p.add_argument("--only", default="both", choices=["both", "student", "autoencoder"],
                   help="what to time (default both)")
    p.add_argument("--data", default=DEFAULT_DATA,
                   help="Fashion-MNIST IDX folder, files gzipped or not (default %s)"
                        % DEFAULT_DATA)
    p.add_argument("--limit", type=int, default=0,
                   help="train on the first N images only (tests; 0 = all 60,000)")
    p.add_argument("--json", metavar="FILE", help="also write the JSON to FILE")
    a = p.parse_args(argv)
    if a.runs < 1:
        p.error("--runs must be >= 1, got %d" % a.runs)
    try:
        a.thread_list = [int(t) for t in a.threads.split(",") if t.strip()]
    except ValueError:
        p.error("--threads must be comma-separated integers, got " + a.threads)
    if not a.thread_list or min(a.thread_list) < 1:
        p.error("--threads must be comma-separated integers >= 1, got " + a.threads)
    if a.limit < 0:
        p.error("--limit must be >= 0")
    return a


def read_idx(folder, base):
    for name in (base, base + ".gz"):
        path = os.path.join(folder, name)
        if os.path.exists(path):
            with open(path, "rb") as f:
                raw = f.read()
            if raw[:2] == b"\x1f\x8b":
                raw = gzip.decompress(raw)
            magic = struct.unpack(">I", raw[:4])[0]
            dims = magic & 0xff
            shape = struct.unpack(">" + "I" * dims, raw[4:4 + 4 * dims])
            return raw[4 + 4 * dims:], shape
    raise SystemExit("bench_torch.py: %s or %s.gz missing in %s" % (base, base, folder))


def median(v):
    s = sorted(v)
    n = len(s)
    return s[n // 2] if n % 2 else (s[n // 2 - 1] + s[n // 2]) / 2


def main(argv):
    a = parse_args(argv)
    import torch
    if len(a.thread_list) > 1:
        return parent(a, torch.__version__)
    out = measure(a, a.thread_list[0])
    emit({"torch_version": torch.__version__, "runs": a.runs,
          "results": [out], "best": best([out])}, a.json)
    return 0


def parent(a, version):
    """One child process per thread count; collects their results."""
    results = []
    for t in a.thread_list:
        cmd = [sys.executable, os.path.abspath(__file__), "--runs", str(a.runs), "--threads",
               str(t), "--only", a.only, "--data", a.data, "--limit", str(a.limit)]
        log("torch, %d thread%s:" % (t, "" if t == 1 else "s"))
        r = subprocess.run(cmd, stdout=subprocess.PIPE, check=False)
        if r.returncode != 0:
            raise SystemExit("bench_torch.py: the %d-thread child failed (exit %d)"
                             % (t, r.returncode))
        results.extend(json.loads(r.stdout.decode().strip().splitlines()[-1])["results"])
    emit({"torch_version": version, "runs": a.runs, "results": results,
          "best": best(results)}, a.json)
    return 0


def best(results):
    b = {}
    for key, name in (("student_epoch_s", "student"), ("autoencoder_epoch_s", "autoencoder")):
        have = [r for r in results if key in r]
        if have:
            r = min(have, key=lambda x: x[key])
            b[name] = {"threads": r["threads"], "epoch_s": r[key]}
    return b


def emit(obj, path):
    text = json.dumps(obj)
    if path:
        with open(path, "w") as f:
            f.write(text + "\n")
    print(text, flush=True)


def measure(a, threads):
    import warnings
    import torch
    import torch.nn as nn
    import torch.nn.functional as F

    # KLDivLoss's 'mean' (the reference reduction) is meant, not 'batchmean': silence the hint
    warnings.filterwarnings("ignore", message="reduction: 'mean' divides")
    torch.set_num_threads(threads)
    pixels, shape = read_idx(a.data, "train-images-idx3-ubyte")
    lab, _ = read_idx(a.data, "train-labels-idx1-ubyte")
    n, h, w = shape
    x8 = torch.frombuffer(bytearray(pixels), dtype=torch.uint8).view(n, 1, h, w)
    y = torch.frombuffer(bytearray(lab), dtype=torch.uint8).long()
    if a.limit:
        n = min(n, a.limit)
        x8, y = x8[:n], y[:n]
    # prep (untimed, as PreparedImages.of): [0,1] floats resized to 32x32, bilinear with
    # half-pixel centres and edge clamping (what F.interpolate's align_corners=False does)
    x = F.interpolate(x8.float() / 255.0, size=(SIDE, SIDE), mode="bilinear",
                      align_corners=False).contiguous()
    mean = x.double().mean().item()
    std = math.sqrt(max((x.double() ** 2).mean().item() - mean * mean, 1e-12))
    log("torch %s, %d thread%s, %d images %dx%d, mean %.4f std %.4f"
        % (torch.__version__, threads, "" if threads == 1 else "s", n, SIDE, SIDE, mean, std))

    # the augmentation's fixed part: pixel offsets from the centre
    ctr = (SIDE - 1) * 0.5
    coords = torch.arange(SIDE, dtype=torch.float64) - ctr
    ry = coords.view(1, SIDE, 1).expand(1, SIDE, SIDE)
    rx = coords.view(1, 1, SIDE).expand(1, SIDE, SIDE)
    flat = x.view(n, SIDE * SIDE)
    inv = 1.0 / std

    def batch(idx, gen):
        """Augmented, normalised batch of the images idx (Augmentation.apply, per image)."""
        b = idx.numel()
        flip = torch.rand(b, generator=gen) < 0.5
        ang = (torch.rand(b, generator=gen, dtype=torch.float64) * 2 - 1) * math.radians(15)
        c = torch.cos(ang).view(b, 1, 1)
        s = torch.sin(ang).view(b, 1, 1)
        # inverse mapping, rounded half up like Math.round; flip after the rotation
        sx = torch.floor(c * rx - s * ry + ctr + 0.5).long()
        sy = torch.floor(s * rx + c * ry + ctr + 0.5).long()
        sx = torch.where(flip.view(b, 1, 1), SIDE - 1 - sx, sx)
        inside = (sx >= 0) & (sx < SIDE) & (sy >= 0) & (sy < SIDE)
        src = (sy.clamp(0, SIDE - 1) * SIDE + sx.clamp(0, SIDE - 1)).view(b, -1)
        img = torch.gather(flat[idx], 1, src) * inside.view(b, -1)
        return ((img - mean) * inv).view(b, 1, SIDE, SIDE)

    def autoencoder():
        enc = nn.Sequential(nn.Conv2d(1, 12, 4, 2, 1), nn.ReLU(), nn.Conv2d(12, 24, 4, 2, 1),
                            nn.ReLU(), nn.Conv2d(24, 48, 4, 2, 1), nn.ReLU())
        dec = nn.Sequential(nn.ConvTranspose2d(48, 24, 4, 2, 1), nn.ReLU(),
                            nn.ConvTranspose2d(24, 12, 4, 2, 1), nn.ReLU(),
                            nn.ConvTranspose2d(12, 1, 4, 2, 1), nn.Sigmoid())
        return enc, dec

    def lenet5bn():
        return nn.Sequential(
            nn.Conv2d(1, 6, 5), nn.BatchNorm2d(6), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(6, 16, 5), nn.BatchNorm2d(16), nn.ReLU(), nn.MaxPool2d(2),
            nn.Flatten(), nn.Linear(16 * 5 * 5, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(),
            nn.Linear(84, 10))

    def soft_labels(enc, gen):
        """Paper-mode soft labels (METHOD.md section 2) from an untrained CAE; untimed."""
        per, classes = 40, 10
        drawn = torch.cat([torch.nonzero(y == k).view(-1)[
            torch.randperm(int((y == k).sum()), generator=gen)[:per]] for k in range(classes)])
        with torch.no_grad():
            e = F.normalize(enc(batch(drawn, gen)).flatten(1).double(), dim=1)
        sim = e @ e.t()
        cls = y[drawn]
        m = len(drawn)
        upper = torch.triu(torch.ones(m, m, dtype=torch.bool), diagonal=1)
        onehot = F.one_hot(cls, classes).double()
        pair_sum = onehot.t() @ (sim * upper) @ onehot
        pair_cnt = onehot.t() @ upper.double() @ onehot
        s = pair_sum + pair_sum.t() - torch.diag(torch.diagonal(pair_sum))
        c = pair_cnt + pair_cnt.t() - torch.diag(torch.diagonal(pair_cnt))
        avg = s / c + 0.008 * torch.eye(classes, dtype=torch.float64)
        return torch.softmax(avg, dim=1).float()

    def epoch(params, step, gen):
        opt = torch.optim.SGD(params, lr=0.1, momentum=0.9, weight_decay=5e-4)
        t0 = time.perf_counter()
        order = torch.randperm(n, generator=gen)
        total = 0.0
        for start in range(0, n, BATCH):
            idx = order[start:start + BATCH]
            loss = step(batch(idx, gen), y[idx])
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            total += loss.item() * idx.numel()
        return time.perf_counter() - t0, total / n

    ae_all, st_all = [], []
    for r in range(a.runs):
        torch.manual_seed(r)
        gen = torch.Generator().manual_seed(r)
        if a.only != "student":
            enc, dec = autoencoder()
            enc.train()
            dec.train()

            def ae_step(xb, _yb):
                return F.mse_loss(dec(enc(xb)), xb)
            secs, mse = epoch(list(enc.parameters()) + list(dec.parameters()), ae_step, gen)
            ae_all.append(secs)
            log("run %d/%d: autoencoder epoch %.2f s (%.0f img/s, mse %.4f)"
                % (r + 1, a.runs, secs, n / secs, mse))
        if a.only != "autoencoder":
            net = lenet5bn()
            net.train()
            enc, _ = autoencoder()
            soft = soft_labels(enc, gen)
            alpha, temp = 0.5, 5.0
            correct = [0]

            def st_step(xb, yb):
                z = net(xb)
                ce = F.cross_entropy(z, yb)
                kd = F.kl_div(F.log_softmax(z / temp, dim=1), soft[yb], reduction="mean")
                correct[0] += int((z.argmax(1) == yb).sum())
                return (1 - alpha) * ce + alpha * temp * temp * kd
            secs, loss = epoch(net.parameters(), st_step, gen)
            st_all.append(secs)
            log("run %d/%d: student epoch %.2f s (%.0f img/s, loss %.4f, train acc %.4f)"
                % (r + 1, a.runs, secs, n / secs, loss, correct[0] / n))
    out = {"threads": threads, "runs": a.runs, "images_per_epoch": n, "batch_size": BATCH,
           "augmentation": True, "omp_wait_policy": os.environ.get("OMP_WAIT_POLICY")}
    # this process's peak resident set, from the OS (Linux reports ru_maxrss in KiB)
    import resource
    out["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
    if st_all:
        out["student_epoch_s"] = median(st_all)
        out["student_epoch_s_first"] = st_all[0]
        out["images_per_s"] = n / median(st_all)
        out["student_epoch_s_all"] = st_all
    if ae_all:
        out["autoencoder_epoch_s"] = median(ae_all)
        out["autoencoder_epoch_s_first"] = ae_all[0]
        out["autoencoder_images_per_s"] = n / median(ae_all)
        out["autoencoder_epoch_s_all"] = ae_all
    return out


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
