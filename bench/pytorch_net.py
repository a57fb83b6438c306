"""Builds, in PyTorch, the network an `aebnas bench-train` JSON describes (its `arch`:
stem, MBConv stages with SE and residuals, exit heads, final classifier) and measures its
training throughput with the same loop as ours: joint loss = sum of cross-entropies over
all exits, SGD Nesterov momentum 0.9, weight decay 4e-5, per-tensor grad-norm clip 1.

Usage: python pytorch_net.py ours.json [--steps N] [--warmup N]  (prints JSON: training
samples/s and inference images/s)
"""
import argparse
import json
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


def conv(spec):
    return nn.Conv2d(spec["c_in"], spec["c_out"], spec["kernel"], spec["stride"],
                     spec["padding"], groups=spec["groups"], bias=spec["bias"])


def act(name):
    return nn.ReLU() if name == "relu" else nn.Hardswish()


class MbConv(nn.Module):
    def __init__(self, s):
        super().__init__()
        self.residual = s["residual"]
        self.act = act(s["act"])
        self.expand = nn.Sequential(conv(s["expand"]), nn.BatchNorm2d(s["expand"]["c_out"])) if s["expand"] else None
        self.dw = nn.Sequential(conv(s["depthwise"]), nn.BatchNorm2d(s["depthwise"]["c_out"]))
        self.se = nn.ModuleList([conv(s["se"][0]), conv(s["se"][1])]) if s["se"] else None
        self.project = nn.Sequential(conv(s["project"]), nn.BatchNorm2d(s["project"]["c_out"]))

    def forward(self, x):
        h = x
        if self.expand is not None:
            h = self.act(self.expand(h))
        h = self.act(self.dw(h))
        if self.se is not None:
            s = F.adaptive_avg_pool2d(h, 1)
            s = F.hardsigmoid(self.se[1](F.relu(self.se[0](s))))
            h = h * s
        h = self.project(h)
        return h + x if self.residual else h


class Head(nn.Module):
    def __init__(self, head):
        super().__init__()
        self.head = head
        kind = head["type"]
        convs = []
        if kind == "branch":
            convs = [c for m in head["modules"] for c in m["convs"]]
        elif kind == "edanas":
            convs = [head["expand"]]
        elif kind == "nachos":
            convs = head["convs"]
        self.convs = nn.ModuleList([nn.Sequential(conv(c), nn.BatchNorm2d(c["c_out"])) for c in convs])
        self.mix = conv(head["mix"]) if kind == "edanas" else None
        c = head["classifier"]
        self.linear = nn.Linear(c["in_features"], c["out_features"])

    def forward(self, x):
        kind = self.head["type"]
        if kind == "branch":
            i = 0
            for m in self.head["modules"]:
                x = F.interpolate(x, size=(m["resize"], m["resize"]), mode="bilinear", align_corners=False)
                for _ in m["convs"]:
                    x = F.relu(self.convs[i](x))
                    i += 1
                if m["max_pool"]:
                    x = F.max_pool2d(x, 2)
            return self.linear(x.mean((2, 3)))
        if kind == "edanas":
            x = F.hardswish(self.convs[0](x))
            x = F.hardswish(self.mix(F.adaptive_avg_pool2d(x, 1)))
            return self.linear(x.flatten(1))
        if kind == "nachos":
            for c in self.convs:
                x = F.relu(c(x))
            return self.linear(x.mean((2, 3)))
        p = self.head["pool"]
        return self.linear(F.adaptive_avg_pool2d(x, p).flatten(1))


class Net(nn.Module):
    def __init__(self, a):
        super().__init__()
        self.a = a
        self.stem = nn.Sequential(conv(a["stem"]), nn.BatchNorm2d(a["stem"]["c_out"]))
        self.stem_act = act(a["stem_act"])
        self.first = MbConv(a["first_block"]) if a.get("first_block") else None
        self.stages = nn.ModuleList([nn.Sequential(*[MbConv(l) for l in st["layers"]]) for st in a["stages"]])
        self.exits = [e for e in a["exits"] if e["enabled"]]
        self.heads = nn.ModuleList([Head(e["head"]) for e in self.exits])
        f = a["final_head"]
        self.final_act = act(f["act"])
        self.f_expand = nn.Sequential(conv(f["expand"]), nn.BatchNorm2d(f["expand"]["c_out"])) if f["expand"] else None
        self.f_mix = conv(f["feature_mix"]) if f["feature_mix"] else None
        self.f_linear = nn.Linear(f["classifier"]["in_features"], f["classifier"]["out_features"])

    def forward(self, x):
        h = self.stem_act(self.stem(x))
        if self.first is not None:
            h = self.first(h)
        outs = []
        for s, stage in enumerate(self.stages):
            h = stage(h)
            for e, head in zip(self.exits, self.heads):
                if e["position"] == s:
                    outs.append(head(h))
        if self.f_expand is not None:
            h = self.final_act(self.f_expand(h))
        v = F.adaptive_avg_pool2d(h, 1)
        if self.f_mix is not None:
            v = self.final_act(self.f_mix(v))
        outs.append(self.f_linear(v.flatten(1)))
        return outs


def main():
    p = argparse.ArgumentParser()
    p.add_argument("ours")
    p.add_argument("--steps", type=int, default=20)
    p.add_argument("--warmup", type=int, default=3)
    args = p.parse_args()
    ours = json.load(open(args.ours))
    a, batch = ours["arch"], ours["batch"]
    torch.manual_seed(1)
    net = Net(a)
    n_conv_linear = sum(1 for m in net.modules() if isinstance(m, (nn.Conv2d, nn.Linear)))
    assert n_conv_linear == len(ours["layers"]), (n_conv_linear, len(ours["layers"]))
    c, h, w = a["input"]
    x = torch.randn(batch, c, h, w)
    y = torch.randint(0, a["final_head"]["classifier"]["out_features"], (batch,))
    opt = torch.optim.SGD(net.parameters(), lr=0.05, momentum=0.9, nesterov=True, weight_decay=4e-5)

    def step():
        opt.zero_grad(set_to_none=True)
        loss = sum(F.cross_entropy(o, y) for o in net(x))
        loss.backward()
        for prm in net.parameters():
            if prm.grad is not None:
                torch.nn.utils.clip_grad_norm_([prm], 1.0)
        opt.step()
        return loss.item()

    for _ in range(args.warmup):
        step()
    # Best of `repeats` windows, as ours (src/cli/bench.rs).
    repeats = ours.get("repeats", 1)
    seconds = float("inf")
    for _ in range(repeats):
        t0 = time.perf_counter()
        for _ in range(args.steps):
            step()
        seconds = min(seconds, time.perf_counter() - t0)

    # Inference as ours measures it: every exit's softmax, read back, in batches of the
    # evaluation's size, over the same number of images (random ones: speed only).
    n, eval_batch = ours["infer_images"], ours["infer_batch"]
    images = torch.randn(n, c, h, w)
    net.eval()

    def infer():
        with torch.no_grad():
            for i in range(0, n, eval_batch):
                for o in net(images[i:i + eval_batch]):
                    F.softmax(o, dim=1).numpy()

    infer()
    infer_seconds = float("inf")
    for _ in range(repeats):
        t0 = time.perf_counter()
        infer()
        infer_seconds = min(infer_seconds, time.perf_counter() - t0)
    print(json.dumps({"backend": "pytorch-cpu", "torch": torch.__version__, "threads": torch.get_num_threads(),
                      "batch": batch, "steps": args.steps, "seconds": seconds,
                      "samples_per_sec": batch * args.steps / seconds,
                      "infer_images": n, "infer_batch": eval_batch, "infer_seconds": infer_seconds,
                      "infer_images_per_sec": n / infer_seconds}))


if __name__ == "__main__":
    main()
