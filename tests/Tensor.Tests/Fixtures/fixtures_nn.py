"""Fixtures for the nn area: losses (every reduction, class weights, ignore_index, label smoothing, probability
targets, [N, C, d] inputs) and layers as functions with their weights passed as inputs (layer_norm, embedding,
linear, dropout where it is deterministic, unflatten). Written to pytorch/nn.json by make_fixtures.py."""
import torch
import torch.nn.functional as F

import make_fixtures as mf

mf.OPS.update({
    "mse_loss": lambda x, t, **kw: F.mse_loss(x, t, **kw),
    "l1_loss": lambda x, t, **kw: F.l1_loss(x, t, **kw),
    "huber_loss": lambda x, t, **kw: F.huber_loss(x, t, **kw),
    "smooth_l1_loss": lambda x, t, **kw: F.smooth_l1_loss(x, t, **kw),
    "kl_div": lambda x, t, **kw: F.kl_div(x, t, **kw),
    "nll_loss": lambda x, t, w=None, **kw: F.nll_loss(x, t, weight=w, **kw),
    "cross_entropy": lambda x, t, w=None, **kw: F.cross_entropy(x, t, weight=w, **kw),
    "bce_loss": lambda x, t, w=None, **kw: F.binary_cross_entropy(x, t, weight=w, **kw),
    "bce_logits_loss": lambda x, t, w=None, pw=None, **kw: F.binary_cross_entropy_with_logits(x, t, weight=w, pos_weight=pw, **kw),
    "bce_logits_pos_weight": lambda x, t, pw, **kw: F.binary_cross_entropy_with_logits(x, t, pos_weight=pw, **kw),
    "layer_norm": lambda x, shape, w=None, b=None, **kw: F.layer_norm(x, shape, w, b, **kw),
    "embedding": lambda idx, w, **kw: F.embedding(idx, w, **kw),
    "linear": lambda x, w, b=None: F.linear(x, w, b),
    "dropout": lambda x, **kw: F.dropout(x, **kw),
    "unflatten": lambda x, d, sizes: torch.nn.Unflatten(d, sizes)(x),
})

G = torch.Generator().manual_seed(10)


def randn(*shape, dtype=torch.float64):
    return torch.randn(*shape, generator=G, dtype=dtype).mul(100).round().div(100)


def cases():
    cases = mf.CaseList()
    add = cases.add

    reductions = ["mean", "sum", "none"]
    # Regression losses: every reduction, both dtypes, target grads too, and a broadcast target.
    for dt in [torch.float32, torch.float64]:
        tag = "f32" if dt == torch.float32 else "f64"
        for op in ["mse_loss", "l1_loss", "huber_loss", "smooth_l1_loss"]:
            for r in reductions:
                x, t = randn(3, 4, dtype=dt), randn(3, 4, dtype=dt)
                add(f"{op}_{r}_{tag}", {"x": (x, True), "t": (t, True)}, [["y", op, ["x", "t"], {"reduction": r}]])
    for op in ["mse_loss", "l1_loss", "huber_loss", "smooth_l1_loss"]:
        add(f"{op}_broadcast_target", {"x": (randn(3, 1), True), "t": (randn(3), True)}, [["y", op, ["x", "t"], {}]])
        add(f"{op}_bad_broadcast", {"x": (randn(3, 2), True), "t": (randn(4), False)}, [["y", op, ["x", "t"], {}]])
        add(f"{op}_bad_reduction", {"x": (randn(3), True), "t": (randn(3), False)}, [["y", op, ["x", "t"], {"reduction": "avg"}]])
    for delta in [0.5, 2.0]:
        add(f"huber_loss_delta_{delta}", {"x": (randn(2, 5) * 2, True), "t": (randn(2, 5), False)},
            [["y", "huber_loss", ["x", "t"], {"delta": delta, "reduction": "none"}]])
    for beta in [0.0, 0.5, 3.0]:
        add(f"smooth_l1_loss_beta_{beta}", {"x": (randn(2, 5) * 2, True), "t": (randn(2, 5), False)},
            [["y", "smooth_l1_loss", ["x", "t"], {"beta": beta, "reduction": "sum"}]])
    add("huber_loss_zero_delta", {"x": (randn(3), True), "t": (randn(3), False)}, [["y", "huber_loss", ["x", "t"], {"delta": 0.0}]])
    add("smooth_l1_loss_negative_beta", {"x": (randn(3), True), "t": (randn(3), False)}, [["y", "smooth_l1_loss", ["x", "t"], {"beta": -1.0}]])

    # KL divergence: log-probability inputs, probability or log targets (with exact zeros), every reduction.
    for r in reductions + ["batchmean"]:
        for log_target in [False, True]:
            x = torch.log_softmax(randn(3, 4), 1)
            p = torch.softmax(randn(3, 4), 1)
            if not log_target:
                p[0, 1] = 0.0
                p[2, 3] = 0.0
            t = p.log() if log_target else p
            add(f"kl_div_{r}_{'log' if log_target else 'prob'}", {"x": (x, True), "t": (t, log_target)},
                [["y", "kl_div", ["x", "t"], {"reduction": r, "log_target": log_target}]])
    add("kl_div_bad_reduction", {"x": (randn(3), True), "t": (randn(3).abs(), False)}, [["y", "kl_div", ["x", "t"], {"reduction": "avg"}]])

    # NLL and cross-entropy with class indices: [N, C], [C], [N, C, d1, d2]; weights; ignore_index; smoothing.
    def targets(n, c, *rest, ignore=None):
        t = torch.randint(0, c, (n, *rest), generator=G)
        if ignore is not None:
            t.view(-1)[::3] = ignore
        return t

    for op in ["nll_loss", "cross_entropy"]:
        prep = (lambda z: torch.log_softmax(z, 1)) if op == "nll_loss" else (lambda z: z)
        for r in reductions:
            for dt in [torch.float32, torch.float64]:
                tag = "f32" if dt == torch.float32 else "f64"
                add(f"{op}_{r}_{tag}", {"x": (prep(randn(5, 4, dtype=dt)), True), "t": (targets(5, 4), False)},
                    [["y", op, ["x", "t"], {"reduction": r}]])
            add(f"{op}_{r}_weighted", {"x": (prep(randn(6, 3)), True), "t": (targets(6, 3), False), "w": (randn(3).abs() + 0.1, False)},
                [["y", op, ["x", "t", "w"], {"reduction": r}]])
            add(f"{op}_{r}_ignore", {"x": (prep(randn(6, 3)), True), "t": (targets(6, 3, ignore=-100), False)},
                [["y", op, ["x", "t"], {"reduction": r}]])
            add(f"{op}_{r}_ignore_class_weighted", {"x": (prep(randn(6, 3)), True), "t": (targets(6, 3, ignore=1), False),
                                                 "w": (randn(3).abs() + 0.1, False)},
                [["y", op, ["x", "t", "w"], {"reduction": r, "ignore_index": 1}]])
            add(f"{op}_{r}_spatial", {"x": (prep(randn(2, 3, 2, 2)), True), "t": (targets(2, 3, 2, 2), False), "w": (randn(3).abs() + 0.1, False)},
                [["y", op, ["x", "t", "w"], {"reduction": r}]])
        add(f"{op}_unbatched", {"x": (prep(randn(1, 4))[0], True), "t": (torch.tensor(2), False)}, [["y", op, ["x", "t"], {}]])
        add(f"{op}_all_ignored", {"x": (prep(randn(2, 3)), True), "t": (torch.tensor([-100, -100]), False)}, [["y", op, ["x", "t"], {}]])
        add(f"{op}_target_out_of_range", {"x": (prep(randn(2, 3)), True), "t": (torch.tensor([0, 3]), False)}, [["y", op, ["x", "t"], {}]])
        add(f"{op}_negative_target", {"x": (prep(randn(2, 3)), True), "t": (torch.tensor([0, -1]), False)}, [["y", op, ["x", "t"], {}]])
        add(f"{op}_batch_mismatch", {"x": (prep(randn(3, 3)), True), "t": (torch.tensor([0, 1]), False)}, [["y", op, ["x", "t"], {}]])
        add(f"{op}_weight_size", {"x": (prep(randn(2, 3)), True), "t": (torch.tensor([0, 1]), False), "w": (torch.ones(4, dtype=torch.float64), False)},
            [["y", op, ["x", "t", "w"], {}]])
        add(f"{op}_bad_reduction", {"x": (prep(randn(2, 3)), True), "t": (torch.tensor([0, 1]), False)}, [["y", op, ["x", "t"], {"reduction": "avg"}]])
    for ls in [0.1, 0.35]:
        for r in reductions:
            add(f"cross_entropy_smoothing_{ls}_{r}", {"x": (randn(5, 4), True), "t": (targets(5, 4, ignore=-100), False)},
                [["y", "cross_entropy", ["x", "t"], {"reduction": r, "label_smoothing": ls}]])
            add(f"cross_entropy_smoothing_{ls}_{r}_weighted", {"x": (randn(5, 4), True), "t": (targets(5, 4, ignore=-100), False),
                                                             "w": (randn(4).abs() + 0.1, False)},
                [["y", "cross_entropy", ["x", "t", "w"], {"reduction": r, "label_smoothing": ls}]])
        add(f"cross_entropy_smoothing_{ls}_spatial", {"x": (randn(2, 3, 2), True), "t": (targets(2, 3, 2), False)},
            [["y", "cross_entropy", ["x", "t"], {"label_smoothing": ls}]])
    add("cross_entropy_smoothing_too_big", {"x": (randn(2, 3), True), "t": (torch.tensor([0, 1]), False)},
        [["y", "cross_entropy", ["x", "t"], {"label_smoothing": 1.5}]])
    # Probability targets (a floating target of the input's shape).
    for r in reductions:
        for ls in [0.0, 0.2]:
            add(f"cross_entropy_probs_{r}_{ls}", {"x": (randn(3, 4), True), "t": (torch.softmax(randn(3, 4), 1), True)},
                [["y", "cross_entropy", ["x", "t"], {"reduction": r, "label_smoothing": ls}]])
        add(f"cross_entropy_probs_{r}_weighted", {"x": (randn(2, 3, 2), True), "t": (torch.softmax(randn(2, 3, 2), 1), False),
                                                "w": (randn(3).abs() + 0.1, False)},
            [["y", "cross_entropy", ["x", "t", "w"], {"reduction": r}]])
    add("cross_entropy_float_target_wrong_shape", {"x": (randn(2, 3), True), "t": (randn(2), False)}, [["y", "cross_entropy", ["x", "t"], {}]])

    # Binary cross-entropies: weights, pos_weight, reductions, saturated values.
    for r in reductions:
        p = torch.sigmoid(randn(3, 4))
        p[0, 0], p[1, 1] = 0.0, 1.0
        y = torch.randint(0, 2, (3, 4), generator=G).double()
        add(f"bce_loss_{r}", {"p": (torch.sigmoid(randn(3, 4)), True), "y": (y, True)}, [["l", "bce_loss", ["p", "y"], {"reduction": r}]])
        add(f"bce_loss_{r}_weighted", {"p": (torch.sigmoid(randn(3, 4)), True), "y": (y, False), "w": (randn(4).abs(), False)},
            [["l", "bce_loss", ["p", "y", "w"], {"reduction": r}]])
        add(f"bce_loss_{r}_saturated", {"p": (p, False), "y": (y, False)}, [["l", "bce_loss", ["p", "y"], {"reduction": r}]])
        add(f"bce_logits_loss_{r}", {"x": (randn(3, 4) * 3, True), "y": (y, True)}, [["l", "bce_logits_loss", ["x", "y"], {"reduction": r}]])
        add(f"bce_logits_loss_{r}_weighted", {"x": (randn(3, 4) * 3, True), "y": (y, False), "w": (randn(3, 1).abs(), False)},
            [["l", "bce_logits_loss", ["x", "y", "w"], {"reduction": r}]])
        add(f"bce_logits_loss_{r}_pos_weight", {"x": (randn(3, 4) * 3, True), "y": (torch.rand(3, 4, generator=G, dtype=torch.float64), True),
                                               "pw": (randn(4).abs() + 0.5, False)},
            [["l", "bce_logits_pos_weight", ["x", "y", "pw"], {"reduction": r}]])
    add("bce_logits_loss_zero_logits", {"x": (torch.zeros(4, dtype=torch.float64), True), "y": (torch.tensor([0.0, 1.0, 0.3, 1.0], dtype=torch.float64), False)},
        [["l", "bce_logits_loss", ["x", "y"], {}]])
    add("bce_loss_shape_mismatch", {"p": (torch.sigmoid(randn(3, 1)), True), "y": (torch.ones(3, dtype=torch.float64), False)},
        [["l", "bce_loss", ["p", "y"], {}]])
    add("bce_logits_loss_shape_mismatch", {"x": (randn(3, 1), True), "y": (torch.ones(3, dtype=torch.float64), False)},
        [["l", "bce_logits_loss", ["x", "y"], {}]])

    # Layers as functions, weights as inputs.
    for shape, norm in [([2, 5], [5]), ([2, 3, 4], [3, 4]), ([4, 3], [3])]:
        add(f"layer_norm_{'x'.join(map(str, shape))}", {"x": (randn(*shape), True), "w": (randn(*norm), True), "b": (randn(*norm), True)},
            [["y", "layer_norm", ["x", norm, "w", "b"], {}]])
    add("layer_norm_no_affine_eps", {"x": (randn(3, 4), True)}, [["y", "layer_norm", ["x", [4]], {"eps": 0.1}]])
    add("layer_norm_f32", {"x": (randn(3, 4, dtype=torch.float32), True), "w": (randn(4, dtype=torch.float32), True), "b": (randn(4, dtype=torch.float32), True)},
        [["y", "layer_norm", ["x", [4], "w", "b"], {}]])
    add("layer_norm_constant_rows", {"x": (torch.ones(2, 3, dtype=torch.float64), True)}, [["y", "layer_norm", ["x", [3]], {}]])
    add("layer_norm_bad_shape", {"x": (randn(3, 4), True)}, [["y", "layer_norm", ["x", [3]], {}]])
    add("layer_norm_bad_weight", {"x": (randn(3, 4), True), "w": (randn(3), True)}, [["y", "layer_norm", ["x", [4], "w"], {}]])
    emb = randn(5, 3)
    add("embedding_2d", {"i": (torch.tensor([[0, 2, 4], [2, 2, 1]]), False), "w": (emb, True)}, [["y", "embedding", ["i", "w"], {}]])
    add("embedding_1d_f32", {"i": (torch.tensor([3, 0, 3]), False), "w": (emb.float(), True)}, [["y", "embedding", ["i", "w"], {}]])
    add("embedding_padding", {"i": (torch.tensor([[1, 0, 1], [3, 1, 4]]), False), "w": (emb, True)},
        [["y", "embedding", ["i", "w"], {"padding_idx": 1}]])
    add("embedding_padding_negative", {"i": (torch.tensor([4, 0, 4, 2]), False), "w": (emb, True)},
        [["y", "embedding", ["i", "w"], {"padding_idx": -1}]])
    add("embedding_int32_indices", {"i": (torch.tensor([1, 2], dtype=torch.int32), False), "w": (emb, True)}, [["y", "embedding", ["i", "w"], {}]])
    add("embedding_out_of_range", {"i": (torch.tensor([1, 5]), False), "w": (emb, True)}, [["y", "embedding", ["i", "w"], {}]])
    add("embedding_negative_index", {"i": (torch.tensor([1, -1]), False), "w": (emb, True)}, [["y", "embedding", ["i", "w"], {}]])
    add("embedding_float_indices", {"i": (torch.tensor([1.0, 2.0]), False), "w": (emb, True)}, [["y", "embedding", ["i", "w"], {}]])
    add("linear_bias", {"x": (randn(2, 3), True), "w": (randn(4, 3), True), "b": (randn(4), True)}, [["y", "linear", ["x", "w", "b"], {}]])
    add("linear_batched", {"x": (randn(2, 2, 3), True), "w": (randn(4, 3), True)}, [["y", "linear", ["x", "w"], {}]])
    add("dropout_eval", {"x": (randn(3, 4), True)}, [["y", "dropout", ["x"], {"p": 0.5, "training": False}]])
    add("dropout_p0", {"x": (randn(3, 4), True)}, [["y", "dropout", ["x"], {"p": 0.0, "training": True}]])
    add("dropout_p1", {"x": (randn(3, 4), True)}, [["y", "dropout", ["x"], {"p": 1.0, "training": True}]])
    add("dropout_bad_p", {"x": (randn(3, 4), True)}, [["y", "dropout", ["x"], {"p": 1.5}]])
    add("unflatten_middle", {"x": (randn(2, 6, 1), True)}, [["y", "unflatten", ["x", 1, [2, 3]], {}]])
    add("unflatten_inferred_negative_dim", {"x": (randn(2, 12), True)}, [["y", "unflatten", ["x", -1, [3, -1, 2]], {}]])
    add("unflatten_bad_sizes", {"x": (randn(2, 6), True)}, [["y", "unflatten", ["x", 1, [4, 2]], {}]])
    return cases
