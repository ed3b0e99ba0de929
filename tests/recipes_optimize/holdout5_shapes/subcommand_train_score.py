"""Two subcommands: `fit` trains and saves a checkpoint, `score` rebuilds the net from it and scores it."""
import argparse

import torch
from torch import nn


def make_net(width):
    return nn.Sequential(nn.Linear(6, width), nn.ReLU(), nn.Linear(width, 2))


def data():
    g = torch.Generator().manual_seed(3)
    xs = torch.randn(160, 6, generator=g)
    return xs, (xs[:, 0] - xs[:, 3] > 0).long()


def hit_rate(net, xs, ys):
    net.eval()
    with torch.no_grad():
        return (net(xs).argmax(1) == ys).float().mean().item()


def run_fit(opts):
    torch.manual_seed(0)
    xs, ys = data()
    net = make_net(opts.width)
    opt = torch.optim.Adam(net.parameters(), lr=0.02)
    for step in range(40):
        opt.zero_grad()
        nn.functional.cross_entropy(net(xs), ys).backward()
        opt.step()
    torch.save({"weights": net.state_dict(), "width": opts.width}, opts.ckpt)


def run_score(opts):
    saved = torch.load(opts.ckpt)
    net = make_net(saved["width"])
    net.load_state_dict(saved["weights"])
    xs, ys = data()
    report = {"hit_rate": round(hit_rate(net, xs, ys), 3)}
    print("score:", report)


def run_both(opts):
    run_fit(opts)
    run_score(opts)


parser = argparse.ArgumentParser()
parser.add_argument("--ckpt", default="net.pt")
parser.add_argument("--width", type=int, default=12)
commands = parser.add_subparsers(dest="cmd")
commands.add_parser("fit").set_defaults(handler=run_fit)
commands.add_parser("score").set_defaults(handler=run_score)
commands.add_parser("both").set_defaults(handler=run_both)
options = parser.parse_args(["both"])
options.handler(options)
