#!/usr/bin/python3
"""Writes the optimizer, scheduler and clipping fixtures that Optim/OptimFixtureTests replays (CI has no PyTorch, so
the JSON in pytorch/optim/ is committed). Not an area of make_fixtures.py: these are training runs, not op programs.

Run with Debian's PyTorch 1.13:  /usr/bin/python3 tests/Tensor.Tests/Fixtures/fixtures_optim.py
Everything is float64 and deterministic.

schedulers.json: cases {name, optimizer, scheduler, metrics?, steps, lrs, momenta?, error_at?}: an optimizer over
  one-element parameters per group (never stepped with gradients), the scheduler built on it, then `steps` calls of
  scheduler.step() (step(metric) for ReduceLROnPlateau); lrs[t] and momenta[t] are every group's learning rate and
  momentum (beta1 for Adam) after t steps (t = 0: after construction). error_at: the step that raises, when one does.
optimizers.json: cases {name, optimizer, scheduler?, params, a, b, steps, trajectory}: parameters from fixed values,
  each step sets grad = a * p + b (elementwise, the gradient of a quadratic), calls optimizer.step() (then
  scheduler.step()), and trajectory[t] is every parameter after t + 1 steps.
clip.json: cases {name, fn, grads, args, total?, clipped | error}: gradients (null: the parameter has none) clipped
  by clip_grad_norm_ or clip_grad_value_ with args.
An optimizer is {type, groups: [{params: [indices], options...}], options...} with PyTorch's keyword names.
"""
import json
import math
import os

import torch
import torch.optim as optim
import torch.optim.lr_scheduler as sched

torch.set_default_dtype(torch.float64)
OPTIMIZERS = {"SGD": optim.SGD, "Adam": optim.Adam, "AdamW": optim.AdamW, "RMSprop": optim.RMSprop}
SCHEDULERS = {"StepLR": sched.StepLR, "MultiStepLR": sched.MultiStepLR, "ExponentialLR": sched.ExponentialLR,
              "OneCycleLR": sched.OneCycleLR, "ReduceLROnPlateau": sched.ReduceLROnPlateau}


def enc(v):
    return v if math.isfinite(v) else str(v)


def make_optimizer(spec, params):
    groups = [dict({k: v for k, v in g.items() if k != "params"}, params=[params[i] for i in g["params"]]) for g in spec["groups"]]
    for g in groups:
        if "betas" in g:
            g["betas"] = tuple(g["betas"])
    options = {k: v for k, v in spec.items() if k not in ("type", "groups")}
    if "betas" in options:
        options["betas"] = tuple(options["betas"])
    return OPTIMIZERS[spec["type"]](groups, **options)


def make_scheduler(spec, opt):
    return SCHEDULERS[spec["type"]](opt, **{k: v for k, v in spec.items() if k != "type"})


def momenta(opt):
    return [g["betas"][0] if "betas" in g else g.get("momentum") for g in opt.param_groups]


def group(*params, **options):
    return dict(params=list(params), **options)


def scheduler_case(name, optimizer, scheduler, steps, metrics=None):
    params = [torch.zeros(1, requires_grad=True) for g in optimizer["groups"] for _ in g["params"]]
    opt = make_optimizer(optimizer, params)
    s = make_scheduler(scheduler, opt)
    lrs, moms, error_at = [[g["lr"] for g in opt.param_groups]], [momenta(opt)], None
    for t in range(steps):
        try:
            s.step(metrics[t]) if metrics else s.step()
        except ValueError:
            error_at = t + 1
            break
        lrs.append([g["lr"] for g in opt.param_groups])
        moms.append(momenta(opt))
        assert metrics or s.get_last_lr() == lrs[-1]
    case = dict(name=name, optimizer=optimizer, scheduler=scheduler, steps=steps, lrs=lrs)
    if scheduler["type"] == "OneCycleLR" and scheduler.get("cycle_momentum", True):
        case["momenta"] = moms
    if metrics:
        case["metrics"] = metrics
    if error_at:
        case["error_at"] = error_at
    return case


def scheduler_cases():
    sgd2 = dict(type="SGD", lr=0.1, groups=[group(0), group(1, lr=0.01)])
    sgd_m = dict(type="SGD", lr=0.1, momentum=0.9, groups=[group(0), group(1, lr=0.02, momentum=0.8)])
    adam2 = dict(type="Adam", lr=0.001, groups=[group(0), group(1, betas=[0.8, 0.99])])
    rms = dict(type="RMSprop", lr=0.01, momentum=0.9, groups=[group(0)])
    plateau_metrics = [1.0, 0.9, 0.9, 0.9, 0.95, 0.91, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.7999, 0.79, 0.79, 0.79, 0.79,
                       0.79, 0.79, 0.79, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.4, 0.4, 0.4,
                       0.4, 0.4, 0.4, 0.4, 0.4]
    rising = [0.1 * (1 + (t // 4)) if t % 7 else 0.05 for t in range(40)]
    return [
        scheduler_case("steplr_two_groups", sgd2, dict(type="StepLR", step_size=3, gamma=0.5), 32),
        scheduler_case("steplr_default_gamma", sgd_m, dict(type="StepLR", step_size=7), 32),
        scheduler_case("multisteplr_repeated_milestone", sgd2, dict(type="MultiStepLR", milestones=[5, 12, 12, 20], gamma=0.5), 32),
        scheduler_case("exponentiallr", sgd2, dict(type="ExponentialLR", gamma=0.9), 32),
        scheduler_case("onecycle_cos_sgd", sgd_m, dict(type="OneCycleLR", max_lr=0.5, total_steps=30), 32),
        scheduler_case("onecycle_linear_three_phase_adam", adam2,
                       dict(type="OneCycleLR", max_lr=0.01, total_steps=40, anneal_strategy="linear", three_phase=True), 40),
        scheduler_case("onecycle_epochs_group_max_lrs", sgd_m,
                       dict(type="OneCycleLR", max_lr=[0.1, 1.0], epochs=4, steps_per_epoch=8, pct_start=0.25,
                            div_factor=10.0, final_div_factor=100.0, base_momentum=0.8, max_momentum=0.9), 32),
        scheduler_case("onecycle_no_momentum_cycle", sgd2, dict(type="OneCycleLR", max_lr=1.0, total_steps=33, cycle_momentum=False), 33),
        scheduler_case("onecycle_rmsprop_three_phase_cos", rms, dict(type="OneCycleLR", max_lr=0.05, total_steps=35, three_phase=True, pct_start=0.2), 35),
        scheduler_case("plateau_min_rel", sgd2, dict(type="ReduceLROnPlateau", patience=2), 40, plateau_metrics),
        scheduler_case("plateau_min_abs_cooldown", sgd2,
                       dict(type="ReduceLROnPlateau", factor=0.5, patience=1, threshold=0.05, threshold_mode="abs", cooldown=2, min_lr=[0.02, 0.004]),
                       40, plateau_metrics),
        scheduler_case("plateau_max_rel_minlr_eps", sgd2,
                       dict(type="ReduceLROnPlateau", mode="max", factor=0.3, patience=0, threshold=0.01, min_lr=0.003, eps=1e-3), 40, rising),
        scheduler_case("plateau_max_abs", sgd_m, dict(type="ReduceLROnPlateau", mode="max", patience=3, threshold=0.1, threshold_mode="abs"), 40, rising),
    ]


START = [[0.5, -1.5, 2.0], [[1.0, -0.25], [0.75, -2.0]]]
A = [[1.0, 0.5, 2.0], [[1.5, 0.25], [1.0, 3.0]]]
B = [[0.1, -0.2, 0.0], [[0.0, 0.3], [-0.1, 0.05]]]


def optimizer_case(name, optimizer, steps=8, scheduler=None):
    params = [torch.tensor(v, requires_grad=True) for v in START]
    a, b = [torch.tensor(v) for v in A], [torch.tensor(v) for v in B]
    opt = make_optimizer(optimizer, params)
    s = make_scheduler(scheduler, opt) if scheduler else None
    trajectory = []
    for _ in range(steps):
        for p, ai, bi in zip(params, a, b):
            p.grad = ai * p.detach() + bi
        opt.step()
        if s:
            s.step()
        trajectory.append([p.detach().flatten().tolist() for p in params])
    case = dict(name=name, optimizer=optimizer, params=START, a=A, b=B, steps=steps, trajectory=trajectory)
    if scheduler:
        case["scheduler"] = scheduler
    return case


def optimizer_cases():
    return [
        optimizer_case("sgd_groups", dict(type="SGD", lr=0.1, weight_decay=0.01, groups=[group(0, momentum=0.9), group(1, lr=0.05)])),
        optimizer_case("sgd_nesterov_weight_decay", dict(type="SGD", lr=0.05, momentum=0.9, nesterov=True, weight_decay=0.1, groups=[group(0, 1)])),
        optimizer_case("sgd_dampening_groups", dict(type="SGD", lr=0.05, momentum=0.5, dampening=0.2, groups=[group(1), group(0, lr=0.2, momentum=0.95)])),
        optimizer_case("rmsprop_plain", dict(type="RMSprop", lr=0.01, groups=[group(0, 1)])),
        optimizer_case("rmsprop_centered", dict(type="RMSprop", lr=0.01, centered=True, groups=[group(0, 1)])),
        optimizer_case("rmsprop_momentum", dict(type="RMSprop", lr=0.01, momentum=0.9, groups=[group(0, 1)])),
        optimizer_case("rmsprop_centered_momentum_decay_groups",
                       dict(type="RMSprop", lr=0.02, alpha=0.9, eps=1e-6, centered=True, momentum=0.5, weight_decay=0.1,
                            groups=[group(0), group(1, lr=0.005, momentum=0.0, weight_decay=0.0)])),
        optimizer_case("adam_groups", dict(type="Adam", lr=0.05, groups=[group(0, lr=0.1, betas=[0.8, 0.99]), group(1, weight_decay=0.1)])),
        optimizer_case("adamw_groups", dict(type="AdamW", lr=0.05, eps=1e-6, groups=[group(0, weight_decay=0.0), group(1, lr=0.2, weight_decay=0.05, betas=[0.5, 0.9])])),
        optimizer_case("adam_onecycle_cycles_beta1", dict(type="Adam", lr=0.01, groups=[group(0), group(1, lr=0.02)]), 12,
                       dict(type="OneCycleLR", max_lr=[0.1, 0.3], total_steps=12)),
        optimizer_case("sgd_momentum_steplr", dict(type="SGD", lr=0.1, momentum=0.9, groups=[group(0, 1)]), 12,
                       dict(type="StepLR", step_size=4, gamma=0.5)),
        optimizer_case("rmsprop_momentum_onecycle", dict(type="RMSprop", lr=0.01, momentum=0.9, groups=[group(0, 1)]), 12,
                       dict(type="OneCycleLR", max_lr=0.05, total_steps=12, anneal_strategy="linear")),
    ]


def clip_case(name, fn, grads, **args):
    params = [torch.zeros(torch.tensor(g).shape if g is not None else (1,), requires_grad=True) for g in grads]
    for p, g in zip(params, grads):
        p.grad = None if g is None else torch.tensor([float(x) for x in g] if isinstance(g[0], (int, float, str)) else g)
    case = dict(name=name, fn=fn, grads=[None if g is None else [[enc(float(x)) for x in row] for row in g] if isinstance(g[0], list)
                                         else [enc(float(x)) for x in g] for g in grads],
                args={k: enc(v) if isinstance(v, float) else v for k, v in args.items()})
    try:
        if fn == "clip_grad_norm_":
            case["total"] = torch.nn.utils.clip_grad_norm_(params, **args).item()
        else:
            torch.nn.utils.clip_grad_value_(params, **args)
        case["clipped"] = [None if p.grad is None else [enc(x) for x in p.grad.flatten().tolist()] for p in params]
    except RuntimeError as e:
        case["error"] = str(e).split("\n")[0]
    return case


def clip_cases():
    g3, g4 = [3.0, -4.0, 1.0], [[0.5, -2.0], [1.5, 0.25]]
    return [
        clip_case("norm2_clipped", "clip_grad_norm_", [g3, g4], max_norm=1.0),
        clip_case("norm2_not_clipped", "clip_grad_norm_", [g3, g4], max_norm=100.0),
        clip_case("norm2_skips_missing_grad", "clip_grad_norm_", [g3, None, g4], max_norm=2.0),
        clip_case("norm1", "clip_grad_norm_", [g3, g4], max_norm=2.5, norm_type=1.0),
        clip_case("norm3", "clip_grad_norm_", [g3, g4], max_norm=0.5, norm_type=3.0),
        clip_case("norm_inf", "clip_grad_norm_", [g3, g4], max_norm=1.0, norm_type=float("inf")),
        clip_case("norm_exactly_max", "clip_grad_norm_", [[3.0, 4.0]], max_norm=5.0),
        clip_case("nonfinite_error", "clip_grad_norm_", [g3, [1.0, float("inf")]], max_norm=1.0, error_if_nonfinite=True),
        clip_case("value", "clip_grad_value_", [g3, g4, None], clip_value=1.0),
        clip_case("value_zero", "clip_grad_value_", [g3], clip_value=0.0),
    ]


if __name__ == "__main__":
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "pytorch", "optim")
    os.makedirs(out, exist_ok=True)
    for name, cases in [("schedulers", scheduler_cases()), ("optimizers", optimizer_cases()), ("clip", clip_cases())]:
        with open(os.path.join(out, f"{name}.json"), "w") as fh:
            # One case per line: small files and readable diffs.
            fh.write("[\n" + ",\n".join(json.dumps(c, separators=(",", ":"), allow_nan=False) for c in cases) + "\n]\n")
        print(f"{name}: {len(cases)} cases")
