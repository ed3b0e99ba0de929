"""Wine classifier trained in the layout of timm's `train.py`: a `config_parser` reading `--config` (a YAML file the
script writes on first run, `args.yaml` style) whose values become the defaults of the main `parser`
(`_parse_args()` returning `(args, args_text)`), `create_model(name, **kwargs)` from a `_model_entrypoints` dict,
`AverageMeter`, `train_one_epoch(epoch, model, loader, optimizer, loss_fn, args, lr_scheduler=None)` and
`validate(model, loader, loss_fn, args)` returning `OrderedDict`s, a `CheckpointSaver` keeping the `max_history` best
checkpoints (`checkpoint-<epoch>.pth.tar`, `model_best.pth.tar`), cosine schedule with warmup epochs stepped per
epoch, `summary.csv` written row by row."""
import argparse
import csv
import glob
import math
import os
from collections import OrderedDict

import numpy as np
import torch
import torch.nn as nn
import yaml
from sklearn.datasets import load_wine
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler
from torch.utils.data import DataLoader, TensorDataset

DEFAULT_CONFIG = {
    "model": "mlp_small",
    "epochs": 20,
    "warmup_epochs": 2,
    "batch_size": 16,
    "lr": 0.02,
    "min_lr": 1e-4,
    "weight_decay": 1e-4,
    "momentum": 0.9,
    "drop": 0.1,
    "smoothing": 0.1,
    "checkpoint_hist": 3,
    "eval_metric": "top1",
}

config_parser = parser = argparse.ArgumentParser(description="Training Config", add_help=False)
parser.add_argument("-c", "--config", default="train_config.yaml", type=str, metavar="FILE",
                    help="YAML config file specifying default arguments")

parser = argparse.ArgumentParser(description="Tabular Training (timm-style)")
parser.add_argument("--model", default="mlp_small", type=str, metavar="MODEL")
parser.add_argument("--epochs", type=int, default=10, metavar="N")
parser.add_argument("--warmup-epochs", type=int, default=1, metavar="N")
parser.add_argument("-b", "--batch-size", type=int, default=32, metavar="N")
parser.add_argument("--lr", type=float, default=0.01, metavar="LR")
parser.add_argument("--min-lr", type=float, default=1e-5, metavar="LR")
parser.add_argument("--weight-decay", type=float, default=0.0)
parser.add_argument("--momentum", type=float, default=0.9, metavar="M")
parser.add_argument("--drop", type=float, default=0.0, metavar="PCT")
parser.add_argument("--smoothing", type=float, default=0.0)
parser.add_argument("--checkpoint-hist", type=int, default=10, metavar="N")
parser.add_argument("--eval-metric", default="top1", type=str, metavar="EVAL_METRIC")
parser.add_argument("--output", default="output/train", type=str, metavar="PATH")
parser.add_argument("--seed", type=int, default=42, metavar="S")
parser.add_argument("--log-interval", type=int, default=4, metavar="N")


def _parse_args():
    args_config, remaining = config_parser.parse_known_args()
    if not os.path.exists(args_config.config):
        with open(args_config.config, "w") as f:
            yaml.safe_dump(DEFAULT_CONFIG, f)
    with open(args_config.config, "r") as f:
        cfg = yaml.safe_load(f)
        parser.set_defaults(**cfg)
    args = parser.parse_args(remaining)
    args_text = yaml.safe_dump(args.__dict__, default_flow_style=False)
    return args, args_text


class MlpNet(nn.Module):
    def __init__(self, in_chans, num_classes, hidden=(64, 32), drop_rate=0.0):
        super().__init__()
        layers, prev = [], in_chans
        for h in hidden:
            layers += [nn.Linear(prev, h), nn.BatchNorm1d(h), nn.ReLU()]
            prev = h
        self.features = nn.Sequential(*layers)
        self.drop = nn.Dropout(drop_rate)
        self.head = nn.Linear(prev, num_classes)

    def forward(self, x):
        return self.head(self.drop(self.features(x)))


_model_entrypoints = {
    "mlp_small": lambda **kw: MlpNet(hidden=(32,), **kw),
    "mlp_base": lambda **kw: MlpNet(hidden=(64, 32), **kw),
}


def create_model(model_name, **kwargs):
    return _model_entrypoints[model_name](**kwargs)


class AverageMeter:
    def __init__(self):
        self.reset()

    def reset(self):
        self.val = self.avg = self.sum = self.count = 0

    def update(self, val, n=1):
        self.val = val
        self.sum += val * n
        self.count += n
        self.avg = self.sum / self.count


class CheckpointSaver:
    def __init__(self, model, optimizer, args, checkpoint_dir, max_history=3, decreasing=False):
        self.model, self.optimizer, self.args = model, optimizer, args
        self.checkpoint_dir = checkpoint_dir
        self.max_history = max_history
        self.decreasing = decreasing
        self.checkpoint_files = []  # (filename, metric) sorted best first
        self.best_epoch, self.best_metric = None, None

    def _is_better(self, a, b):
        return a < b if self.decreasing else a > b

    def save_checkpoint(self, epoch, metric):
        filename = os.path.join(self.checkpoint_dir, f"checkpoint-{epoch}.pth.tar")
        torch.save({"epoch": epoch, "arch": self.args.model, "state_dict": self.model.state_dict(),
                    "optimizer": self.optimizer.state_dict(), "metric": metric}, filename)
        self.checkpoint_files.append((filename, metric))
        self.checkpoint_files.sort(key=lambda x: x[1], reverse=not self.decreasing)
        while len(self.checkpoint_files) > self.max_history:
            os.remove(self.checkpoint_files.pop()[0])
        if self.best_metric is None or self._is_better(metric, self.best_metric):
            self.best_epoch, self.best_metric = epoch, metric
            torch.save({"epoch": epoch, "arch": self.args.model, "state_dict": self.model.state_dict()},
                       os.path.join(self.checkpoint_dir, "model_best.pth.tar"))
        return self.best_metric, self.best_epoch


def cosine_lr(epoch, args):
    if epoch < args.warmup_epochs:
        return args.lr * (epoch + 1) / args.warmup_epochs
    t = (epoch - args.warmup_epochs) / max(1, args.epochs - args.warmup_epochs)
    return args.min_lr + 0.5 * (args.lr - args.min_lr) * (1 + math.cos(math.pi * t))


def train_one_epoch(epoch, model, loader, optimizer, loss_fn, args):
    losses_m = AverageMeter()
    model.train()
    last_idx = len(loader) - 1
    for batch_idx, (input, target) in enumerate(loader):
        output = model(input)
        loss = loss_fn(output, target)
        losses_m.update(loss.item(), input.size(0))
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        if batch_idx == last_idx or batch_idx % args.log_interval == 0:
            lr = optimizer.param_groups[0]["lr"]
            print(f"Train: {epoch} [{batch_idx:>2d}/{last_idx}]  Loss: {losses_m.val:.4f} ({losses_m.avg:.4f})  "
                  f"LR: {lr:.3e}")
    return OrderedDict([("loss", losses_m.avg)])


def validate(model, loader, loss_fn, args, log_suffix=""):
    losses_m, top1_m = AverageMeter(), AverageMeter()
    model.eval()
    with torch.no_grad():
        for input, target in loader:
            output = model(input)
            loss = loss_fn(output, target)
            acc1 = (output.argmax(1) == target).float().mean().item() * 100
            losses_m.update(loss.item(), input.size(0))
            top1_m.update(acc1, input.size(0))
    print(f"Test{log_suffix}: Loss: {losses_m.avg:.4f}  Acc@1: {top1_m.avg:.4f}")
    return OrderedDict([("loss", losses_m.avg), ("top1", top1_m.avg)])


def main():
    args, args_text = _parse_args()
    torch.manual_seed(args.seed)
    np.random.seed(args.seed)
    os.makedirs(args.output, exist_ok=True)
    with open(os.path.join(args.output, "args.yaml"), "w") as f:
        f.write(args_text)

    X, y = load_wine(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, random_state=args.seed, stratify=y)
    X_train, X_eval, y_train, y_eval = train_test_split(X_train, y_train, test_size=0.25, random_state=args.seed,
                                                        stratify=y_train)
    scaler = StandardScaler().fit(X_train)
    ds = lambda a, b: TensorDataset(torch.tensor(scaler.transform(a), dtype=torch.float32), torch.tensor(b))
    loader_train = DataLoader(ds(X_train, y_train), batch_size=args.batch_size, shuffle=True, drop_last=True,
                              generator=torch.Generator().manual_seed(args.seed))
    loader_eval = DataLoader(ds(X_eval, y_eval), batch_size=64)
    loader_test = DataLoader(ds(X_test, y_test), batch_size=64)

    model = create_model(args.model, in_chans=X.shape[1], num_classes=3, drop_rate=args.drop)
    print(f"Model {args.model} created, param count: {sum(p.numel() for p in model.parameters())}")
    optimizer = torch.optim.SGD(model.parameters(), lr=args.lr, momentum=args.momentum, nesterov=True,
                                weight_decay=args.weight_decay)
    train_loss_fn = nn.CrossEntropyLoss(label_smoothing=args.smoothing)
    validate_loss_fn = nn.CrossEntropyLoss()
    saver = CheckpointSaver(model, optimizer, args, checkpoint_dir=args.output, max_history=args.checkpoint_hist,
                            decreasing=args.eval_metric == "loss")
    best_metric, best_epoch = None, None
    with open(os.path.join(args.output, "summary.csv"), "w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["epoch", "train_loss", "eval_loss", "eval_top1", "lr"])
        for epoch in range(args.epochs):
            for group in optimizer.param_groups:
                group["lr"] = cosine_lr(epoch, args)
            train_metrics = train_one_epoch(epoch, model, loader_train, optimizer, train_loss_fn, args)
            eval_metrics = validate(model, loader_eval, validate_loss_fn, args)
            writer.writerow([epoch, f"{train_metrics['loss']:.5f}", f"{eval_metrics['loss']:.5f}",
                             f"{eval_metrics['top1']:.3f}", f"{optimizer.param_groups[0]['lr']:.6f}"])
            best_metric, best_epoch = saver.save_checkpoint(epoch, metric=eval_metrics[args.eval_metric])
    print(f"*** Best metric: {best_metric:.4f} (epoch {best_epoch})")
    kept = sorted(os.path.basename(p) for p in glob.glob(os.path.join(args.output, "checkpoint-*.pth.tar")))
    print(f"kept checkpoints: {len(kept)}")
    state = torch.load(os.path.join(args.output, "model_best.pth.tar"), weights_only=False)
    model.load_state_dict(state["state_dict"])
    validate(model, loader_test, validate_loss_fn, args, log_suffix=" (best, held-out)")


if __name__ == "__main__":
    main()
