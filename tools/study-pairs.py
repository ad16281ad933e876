#!/usr/bin/env python3
"""Paired differences between any two routes of a study, from its results.csv alone.

The study's report compares every route with its baseline (ce). This script, independent of
the Java code (Python's standard library only), recomputes those comparisons and any other
pair, e.g. reffakd against label smoothing:

    tools/study-pairs.py docs/study-low-data/results.csv reffakd/clean label-smoothing
    tools/study-pairs.py RESULTS.csv ROUTE_A ROUTE_B [--metric test_at_best_val]

Per (train_fraction, epochs) it prints n (seeds present for both routes), the mean paired
difference A - B in accuracy points, its 95% t-interval, the standard deviation of the
differences, the minimum detectable effect (80% power, two-sided 5%:
(t(0.975, n-1) + t(0.80, n-1)) * sd / sqrt(n)) and the seeds a 0.3-point effect would need.
"""
import csv
import math
import sys
from collections import defaultdict


def betacf(a, b, x):
    # continued fraction of the regularised incomplete beta (Numerical Recipes, 6.4)
    qab, qap, qam = a + b, a + 1, a - 1
    c, d = 1.0, 1 - qab * x / qap
    d = 1 / (d if abs(d) > 1e-300 else 1e-300)
    h = d
    for m in range(1, 300):
        m2 = 2 * m
        aa = m * (b - m) * x / ((qam + m2) * (a + m2))
        d = 1 + aa * d
        d = 1 / (d if abs(d) > 1e-300 else 1e-300)
        c = 1 + aa / c if abs(1 + aa / c) > 1e-300 else 1e-300
        h *= d * c
        aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
        d = 1 + aa * d
        d = 1 / (d if abs(d) > 1e-300 else 1e-300)
        c = 1 + aa / c if abs(1 + aa / c) > 1e-300 else 1e-300
        de = d * c
        h *= de
        if abs(de - 1) < 1e-15:
            break
    return h


def ibeta(a, b, x):
    if x <= 0:
        return 0.0
    if x >= 1:
        return 1.0
    lbt = math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log(1 - x)
    if x < (a + 1) / (a + b + 2):
        return math.exp(lbt) * betacf(a, b, x) / a
    return 1 - math.exp(lbt) * betacf(b, a, 1 - x) / b


def t_cdf(t, df):
    x = df / (df + t * t)
    p = 0.5 * ibeta(df / 2, 0.5, x)
    return 1 - p if t > 0 else p


def t_quantile(q, df):
    lo, hi = -1e3, 1e3
    for _ in range(200):
        mid = (lo + hi) / 2
        if t_cdf(mid, df) < q:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2


def seeds_for(effect, sd):
    if sd == 0:
        return 2
    for n in range(2, 10000):
        t = t_quantile(0.975, n - 1) + t_quantile(0.80, n - 1)
        if t * sd / math.sqrt(n) <= effect:
            return n
    return None


def main(argv):
    args = [a for a in argv[1:] if not a.startswith("--")]
    metric = "test_at_best_val"
    if "--metric" in argv:
        metric = argv[argv.index("--metric") + 1]
        args.remove(metric)
    if len(args) != 3:
        print(__doc__)
        return 2
    path, a, b = args
    acc = defaultdict(dict)  # (fraction, epochs, route) -> seed -> accuracy
    with open(path) as f:
        for row in csv.DictReader(f):
            v = row.get(metric, "")
            if v in ("", "NaN"):
                continue
            key = (float(row["train_fraction"]), int(row["epochs"]), row["route"])
            acc[key][int(row["seed"])] = float(v)
    cells = sorted({(fr, ep) for fr, ep, _ in acc})
    print(f"{a} - {b}, {metric}, accuracy points")
    print(f"{'fraction':>8} {'epochs':>6} {'n':>2} {'mean':>7} {'95% interval':>18} {'sd':>6}"
          f" {'mde':>6} {'seeds for 0.3':>13}")
    for fr, ep in cells:
        xa, xb = acc.get((fr, ep, a), {}), acc.get((fr, ep, b), {})
        seeds = sorted(set(xa) & set(xb))
        if len(seeds) < 2:
            continue
        d = [100 * (xa[s] - xb[s]) for s in seeds]
        n = len(d)
        mean = sum(d) / n
        sd = math.sqrt(sum((x - mean) ** 2 for x in d) / (n - 1))
        t = t_quantile(0.975, n - 1)
        half = t * sd / math.sqrt(n)
        mde = (t + t_quantile(0.80, n - 1)) * sd / math.sqrt(n)
        need = seeds_for(0.3, sd)
        print(f"{fr:>8g} {ep:>6} {n:>2} {mean:>+7.2f} [{mean - half:>+6.2f}, {mean + half:>+6.2f}]"
              f" {sd:>6.2f} {mde:>6.2f} {need if need else '>9999':>13}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
