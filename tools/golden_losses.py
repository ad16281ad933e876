#!/usr/bin/python3
"""Golden values for the built-in losses of modules/reffakd-losses, computed independently.

Each loss is written with PyTorch ops the way the reference codes write it:
  ce              F.cross_entropy
  reffakd         the ReffAKD notebooks: (1-a) CE + a T^2 nn.KLDivLoss()(log_softmax(z/T), soft[y])
                  ('reference' = KLDivLoss default 'mean' reduction; 'batchmean' = textbook)
  kd              mdistiller's KD / kd_loss (Hinton 2015)
  dkd             mdistiller's DKD / dkd_loss, with _get_gt_mask, _get_other_mask, cat_mask and
                  the -1000 * gt_mask trick, and the warm-up min(epoch / warmup, 1) on 1-based
                  epochs (the fixture stores the 0-based epoch of the Java LossInput)
  reffakd-dkd     dkd_loss with the teacher distribution replaced by the soft label (as given)
  tfkd-reg        Tf-KD's loss_kd_regularization (Yuan et al. 2020)
  label-smoothing F.cross_entropy with probability targets (1-eps, eps/(C-1) elsewhere)
in float64, gradients of the total with respect to the student logits by autograd.

The output is a list of cases
  {strategy, params, n, classes, logits, labels, soft_targets|null, teacher_logits|null, epoch,
   expected: {terms: {name: value}, gradient: [...]}}
with matrices flattened row-major (n, classes), read by GoldenValuesTest.

Regenerate (from the repository root; needs torch and numpy, e.g. Debian's python3-torch):
  /usr/bin/python3 tools/golden_losses.py
which rewrites modules/reffakd-losses/src/test/resources/golden/losses.json. Inputs come from
fixed seeds, so the file is reproducible. Add a case below when a strategy is added: the Java
test fails for a strategy of the services file that has no case here.

Note on the -1000 trick: in float64, exp(-1000 + x) underflows to exactly 0 for any logit gap
|x| below ~250 (all cases here), so mdistiller's masking is exact and matches the Java
implementation, which removes the target class from the non-target softmax outright.
"""
import json
import os
import sys
import warnings

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_default_dtype(torch.float64)
# the reference codes use KLDivLoss's 'mean' reduction on purpose; silence torch's notice
warnings.filterwarnings("ignore", message="reduction: 'mean' divides the total loss")

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "modules", "reffakd-losses",
                   "src", "test", "resources", "golden", "losses.json")


# ---------------------------------------------------------------- ce
def ce_loss(z, y, p):
    return {"ce": F.cross_entropy(z, y)}


# ---------------------------------------------------------------- reffakd (authors' notebooks)
def reffakd_loss(z, y, p, soft):
    alpha, T = p["alpha"], p["temperature"]
    if p["reduction"] == "reference":
        kl = nn.KLDivLoss()(F.log_softmax(z / T, dim=1), soft)
    else:
        kl = nn.KLDivLoss(reduction="batchmean")(F.log_softmax(z / T, dim=1), soft)
    return {"ce": (1 - alpha) * F.cross_entropy(z, y), "kd": alpha * T * T * kl}


# ---------------------------------------------------------------- kd (mdistiller)
def kd_loss(logits_student, logits_teacher, temperature):
    log_pred_student = F.log_softmax(logits_student / temperature, dim=1)
    pred_teacher = F.softmax(logits_teacher / temperature, dim=1)
    loss_kd = F.kl_div(log_pred_student, pred_teacher, reduction="none").sum(1).mean()
    loss_kd *= temperature ** 2
    return loss_kd


def kd(z, y, p, teacher):
    return {"ce": p["ce_weight"] * F.cross_entropy(z, y),
            "kd": p["kd_weight"] * kd_loss(z, teacher, p["temperature"])}


# ---------------------------------------------------------------- dkd (mdistiller)
def _get_gt_mask(logits, target):
    target = target.reshape(-1)
    mask = torch.zeros_like(logits).scatter_(1, target.unsqueeze(1), 1).bool()
    return mask


def _get_other_mask(logits, target):
    target = target.reshape(-1)
    mask = torch.ones_like(logits).scatter_(1, target.unsqueeze(1), 0).bool()
    return mask


def cat_mask(t, mask1, mask2):
    t1 = (t * mask1).sum(dim=1, keepdims=True)
    t2 = (t * mask2).sum(1, keepdims=True)
    rt = torch.cat([t1, t2], dim=1)
    return rt


def dkd_parts(logits_student, logits_teacher, target, temperature, pred_teacher_full=None):
    """mdistiller's dkd_loss, returning (tckd_loss, nckd_loss) before alpha / beta.

    pred_teacher_full: for the reffakd-dkd hybrid, the teacher distribution itself (the soft
    label, used as given); then pred_teacher_part2 is that distribution with the same -1000
    trick applied to its log (softmax(log p - 1000 gt) = p renormalized over the others).
    mdistiller writes size_average=False, the deprecated spelling of reduction="sum".
    """
    gt_mask = _get_gt_mask(logits_student, target)
    other_mask = _get_other_mask(logits_student, target)
    pred_student = F.softmax(logits_student / temperature, dim=1)
    if pred_teacher_full is None:
        pred_teacher = F.softmax(logits_teacher / temperature, dim=1)
    else:
        pred_teacher = pred_teacher_full
    pred_student = cat_mask(pred_student, gt_mask, other_mask)
    pred_teacher = cat_mask(pred_teacher, gt_mask, other_mask)
    log_pred_student = torch.log(pred_student)
    tckd_loss = (
        F.kl_div(log_pred_student, pred_teacher, reduction="sum")
        * (temperature ** 2)
        / target.shape[0]
    )
    if pred_teacher_full is None:
        pred_teacher_part2 = F.softmax(
            logits_teacher / temperature - 1000.0 * gt_mask, dim=1
        )
    else:
        pred_teacher_part2 = F.softmax(torch.log(pred_teacher_full) - 1000.0 * gt_mask, dim=1)
    log_pred_student_part2 = F.log_softmax(
        logits_student / temperature - 1000.0 * gt_mask, dim=1
    )
    nckd_loss = (
        F.kl_div(log_pred_student_part2, pred_teacher_part2, reduction="sum")
        * (temperature ** 2)
        / target.shape[0]
    )
    return tckd_loss, nckd_loss


def warmup_factor(epoch0, warmup):
    if warmup == 0:
        return 1.0
    return min((epoch0 + 1) / warmup, 1.0)  # mdistiller: min(epoch / warmup, 1), epoch 1-based


def dkd(z, y, p, teacher, epoch):
    tckd, nckd = dkd_parts(z, teacher, y, p["temperature"])
    w = warmup_factor(epoch, p["warmup"])
    return {"ce": p["ce_weight"] * F.cross_entropy(z, y),
            "tckd": w * p["alpha"] * tckd, "nckd": w * p["beta"] * nckd}


def reffakd_dkd(z, y, p, soft, epoch):
    tckd, nckd = dkd_parts(z, None, y, p["temperature"], pred_teacher_full=soft)
    w = warmup_factor(epoch, p["warmup"])
    return {"ce": p["ce_weight"] * F.cross_entropy(z, y),
            "tckd": w * p["alpha"] * tckd, "nckd": w * p["beta"] * nckd}


# ---------------------------------------------------------------- tfkd-reg (Yuan et al.)
def loss_kd_regularization(outputs, labels, alpha, T, correct_prob, multiplier):
    """Tf-KD_reg, the authors' loss_kd_regularization (without .cuda())."""
    loss_CE = F.cross_entropy(outputs, labels)
    K = outputs.size(1)
    teacher_soft = torch.ones_like(outputs)
    teacher_soft = teacher_soft * (1 - correct_prob) / (K - 1)  # p^d(k)
    for i in range(outputs.shape[0]):
        teacher_soft[i, labels[i]] = correct_prob
    loss_soft_regu = nn.KLDivLoss()(F.log_softmax(outputs, dim=1),
                                    F.softmax(teacher_soft / T, dim=1)) * multiplier
    return (1. - alpha) * loss_CE, alpha * loss_soft_regu


def tfkd_reg(z, y, p):
    ce, reg = loss_kd_regularization(z, y, p["alpha"], p["temperature"], p["correct_prob"],
                                     p["multiplier"])
    return {"ce": ce, "reg": reg}


# ---------------------------------------------------------------- label smoothing
def label_smoothing(z, y, p):
    eps = p["epsilon"]
    c = z.shape[1]
    target = torch.full_like(z, eps / (c - 1))
    target.scatter_(1, y.unsqueeze(1), 1 - eps)
    return {"ce": F.cross_entropy(z, target)}  # probability targets: -sum t log softmax, mean


# ---------------------------------------------------------------- cases
DEFAULTS = {
    "ce": {},
    "reffakd": {"alpha": 0.5, "temperature": 5.0, "reduction": "reference"},
    "kd": {"ce_weight": 0.1, "kd_weight": 0.9, "temperature": 4.0},
    "dkd": {"alpha": 1.0, "beta": 8.0, "temperature": 4.0, "ce_weight": 1.0, "warmup": 20.0},
    "reffakd-dkd": {"alpha": 1.0, "beta": 8.0, "temperature": 4.0, "ce_weight": 1.0,
                    "warmup": 20.0},
    "tfkd-reg": {"alpha": 0.1, "temperature": 20.0, "correct_prob": 0.99, "multiplier": 100.0},
    "label-smoothing": {"epsilon": 0.1},
}


def make_case(strategy, seed, n, c, overrides, epoch=0):
    g = torch.Generator().manual_seed(seed)
    z = (torch.randn(n, c, generator=g) * 2.5).requires_grad_(True)
    y = torch.randint(0, c, (n,), generator=g)
    teacher = torch.randn(n, c, generator=g) * 3.0
    teacher[torch.arange(n), y] += 3.0  # a teacher that is mostly right
    # soft labels: row-softmax of a similarity matrix (close to uniform, as the paper's), soft[y]
    sim = torch.rand(c, c, generator=g) * 0.6 + 2.0 * torch.eye(c)
    soft = F.softmax(sim, dim=1)[y]
    p = dict(DEFAULTS[strategy])
    p.update(overrides)
    if strategy == "ce":
        terms = ce_loss(z, y, p)
    elif strategy == "reffakd":
        terms = reffakd_loss(z, y, p, soft)
    elif strategy == "kd":
        terms = kd(z, y, p, teacher)
    elif strategy == "dkd":
        terms = dkd(z, y, p, teacher, epoch)
    elif strategy == "reffakd-dkd":
        terms = reffakd_dkd(z, y, p, soft, epoch)
    elif strategy == "tfkd-reg":
        terms = tfkd_reg(z, y, p)
    elif strategy == "label-smoothing":
        terms = label_smoothing(z, y, p)
    else:
        raise ValueError(strategy)
    total = sum(terms.values())
    (grad,) = torch.autograd.grad(total, z)
    uses_soft = strategy in ("reffakd", "reffakd-dkd")
    uses_teacher = strategy in ("kd", "dkd")
    return {
        "strategy": strategy,
        "seed": seed,
        "params": overrides,  # only what differs from the defaults, as a user would pass it
        "n": n,
        "classes": c,
        "logits": z.detach().reshape(-1).tolist(),
        "labels": y.tolist(),
        "soft_targets": soft.reshape(-1).tolist() if uses_soft else None,
        "teacher_logits": teacher.reshape(-1).tolist() if uses_teacher else None,
        "epoch": epoch,
        "expected": {
            "terms": {k: float(v) for k, v in terms.items()},
            "gradient": grad.reshape(-1).tolist(),
        },
    }


def cases():
    out = []
    add = lambda *a, **k: out.append(make_case(*a, **k))
    # ce
    add("ce", 1, 5, 4, {})
    add("ce", 2, 8, 10, {})
    # reffakd, both reductions
    add("reffakd", 10, 5, 4, {})
    add("reffakd", 11, 5, 4, {"reduction": "batchmean"})
    add("reffakd", 12, 6, 10, {"alpha": 0.9, "temperature": 1.0, "reduction": "reference"})
    add("reffakd", 13, 6, 10, {"alpha": 0.1, "temperature": 20.0, "reduction": "batchmean"})
    add("reffakd", 14, 7, 10, {"alpha": 0.3, "temperature": 10.0})
    # kd
    add("kd", 20, 5, 4, {})
    add("kd", 21, 5, 4, {"temperature": 1.0})
    add("kd", 22, 6, 10, {"ce_weight": 0.5, "kd_weight": 2.0, "temperature": 2.5})
    add("kd", 23, 8, 10, {})
    # dkd: in and after the warm-up, no warm-up, other T
    add("dkd", 30, 5, 4, {}, epoch=0)
    add("dkd", 31, 5, 4, {}, epoch=7)
    add("dkd", 32, 5, 4, {}, epoch=19)
    add("dkd", 33, 6, 10, {}, epoch=60)
    add("dkd", 34, 6, 10, {"temperature": 1.0, "warmup": 0.0}, epoch=0)
    add("dkd", 35, 7, 10, {"alpha": 0.5, "beta": 2.0, "temperature": 2.0, "ce_weight": 0.3,
                           "warmup": 5.0}, epoch=2)
    # reffakd-dkd
    add("reffakd-dkd", 40, 5, 4, {}, epoch=3)
    add("reffakd-dkd", 41, 5, 4, {}, epoch=25)
    add("reffakd-dkd", 42, 6, 10, {"temperature": 1.0, "warmup": 0.0}, epoch=0)
    add("reffakd-dkd", 43, 7, 10, {"alpha": 2.0, "beta": 4.0, "temperature": 5.0,
                                   "warmup": 10.0}, epoch=4)
    # tfkd-reg
    add("tfkd-reg", 50, 5, 4, {})
    add("tfkd-reg", 51, 5, 4, {"temperature": 1.0})
    add("tfkd-reg", 52, 6, 10, {})
    add("tfkd-reg", 53, 6, 10, {"alpha": 0.5, "temperature": 6.0, "correct_prob": 0.9,
                                "multiplier": 1.0})
    # label smoothing
    add("label-smoothing", 60, 5, 4, {})
    add("label-smoothing", 61, 5, 4, {"epsilon": 0.0})
    add("label-smoothing", 62, 8, 10, {"epsilon": 0.3})
    return out


def main():
    data = cases()
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w") as f:
        json.dump(data, f, indent=1)
        f.write("\n")
    print("wrote %d cases to %s (torch %s)" % (len(data), os.path.normpath(OUT),
                                               torch.__version__), file=sys.stderr)


if __name__ == "__main__":
    main()
