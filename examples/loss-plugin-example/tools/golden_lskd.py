#!/usr/bin/env python3
"""Golden values for the lskd example plugin, computed independently with PyTorch.

The loss is written the way the authors' code writes it (normalize() with torch's unbiased
std, F.kl_div(reduction="none").sum(1).mean() * T**2), in float64; gradients come from
autograd. Regenerate the fixture with (Debian: apt-get install python3-torch):

    /usr/bin/python3 examples/loss-plugin-example/tools/golden_lskd.py
"""
import json
import os

import torch
import torch.nn.functional as F

torch.set_default_dtype(torch.float64)


def normalize(logit):
    mean = logit.mean(dim=-1, keepdims=True)
    stdv = logit.std(dim=-1, keepdims=True)
    return (logit - mean) / (1e-7 + stdv)


def lskd(z, t, y, ce_weight, kd_weight, temperature):
    loss_ce = ce_weight * F.cross_entropy(z, y)
    log_pred_student = F.log_softmax(normalize(z) / temperature, dim=1)
    pred_teacher = F.softmax(normalize(t) / temperature, dim=1)
    loss_kd = F.kl_div(log_pred_student, pred_teacher, reduction="none").sum(1).mean()
    loss_kd = kd_weight * loss_kd * temperature ** 2
    return {"ce": loss_ce, "kd": loss_kd}


def case(seed, n, c, params):
    g = torch.Generator().manual_seed(seed)
    z = (torch.randn(n, c, generator=g) * 2).requires_grad_(True)
    t = torch.randn(n, c, generator=g) * 3
    y = torch.randint(0, c, (n,), generator=g)
    terms = lskd(z, t, y, params["ce_weight"], params["kd_weight"], params["temperature"])
    total = sum(terms.values())
    total.backward()
    return {
        "strategy": "lskd",
        "params": {k: str(v) for k, v in params.items()},
        "n": n, "classes": c,
        "logits": z.detach().flatten().tolist(),
        "labels": y.tolist(),
        "teacher_logits": t.flatten().tolist(),
        "expected": {"terms": {k: v.item() for k, v in terms.items()},
                     "gradient": z.grad.flatten().tolist()},
    }


cases = [
    case(1, 5, 4, {"ce_weight": 0.1, "kd_weight": 0.9, "temperature": 4.0}),
    case(2, 6, 10, {"ce_weight": 0.1, "kd_weight": 9.0, "temperature": 2.0}),
    case(3, 3, 3, {"ce_weight": 1.0, "kd_weight": 1.0, "temperature": 1.0}),
]
out = os.path.join(os.path.dirname(__file__), "..", "src", "test", "resources", "golden",
                   "lskd.json")
with open(out, "w") as f:
    json.dump(cases, f, indent=1)
print("wrote", len(cases), "cases to", os.path.normpath(out))
