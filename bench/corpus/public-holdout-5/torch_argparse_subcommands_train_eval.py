"""Wine classifier driven by argparse subcommands (train / evaluate / all) with set_defaults(func=...)."""
import argparse
import json
import sys

import torch
import torch.nn as nn
from sklearn.datasets import load_wine
from sklearn.model_selection import train_test_split


def load_splits(seed):
    X, y = load_wine(return_X_y=True)
    X_tmp, X_test, y_tmp, y_test = train_test_split(X, y, test_size=0.25, stratify=y, random_state=seed)
    X_train, X_val, y_train, y_val = train_test_split(X_tmp, y_tmp, test_size=0.2, stratify=y_tmp, random_state=seed)
    mu, sd = X_train.mean(0), X_train.std(0)
    f = lambda a: torch.tensor((a - mu) / sd, dtype=torch.float32)
    return (f(X_train), torch.tensor(y_train)), (f(X_val), torch.tensor(y_val)), (f(X_test), torch.tensor(y_test))


def build_model(hidden, dropout):
    return nn.Sequential(nn.Linear(13, hidden), nn.Tanh(), nn.Dropout(dropout), nn.Linear(hidden, 3))


def accuracy(model, X, y):
    model.eval()
    with torch.no_grad():
        return (model(X).argmax(1) == y).float().mean().item()


def cmd_train(args):
    torch.manual_seed(args.seed)
    (X_tr, y_tr), (X_va, y_va), _ = load_splits(args.seed)
    model = build_model(args.hidden, args.dropout)
    opt = torch.optim.SGD(model.parameters(), lr=args.lr, momentum=args.momentum)
    loss_fn = nn.CrossEntropyLoss()
    for epoch in range(args.epochs):
        model.train()
        perm = torch.randperm(len(X_tr))
        for i in range(0, len(perm), args.batch_size):
            idx = perm[i:i + args.batch_size]
            opt.zero_grad()
            loss = loss_fn(model(X_tr[idx]), y_tr[idx])
            loss.backward()
            opt.step()
        if (epoch + 1) % 5 == 0:
            print(f"[train] epoch {epoch + 1} loss={loss.item():.4f} val_acc={accuracy(model, X_va, y_va):.4f}")
    torch.save({"state_dict": model.state_dict(), "hidden": args.hidden, "dropout": args.dropout}, args.checkpoint)
    print(f"[train] saved {args.checkpoint}")
    return 0


def cmd_evaluate(args):
    ckpt = torch.load(args.checkpoint)
    model = build_model(ckpt["hidden"], ckpt["dropout"])
    model.load_state_dict(ckpt["state_dict"])
    _, (X_va, y_va), (X_te, y_te) = load_splits(args.seed)
    metrics = {"val_acc": round(accuracy(model, X_va, y_va), 4), "test_acc": round(accuracy(model, X_te, y_te), 4)}
    print("[evaluate] " + json.dumps(metrics))
    with open("metrics.json", "w") as fh:
        json.dump(metrics, fh)
    return 0


def cmd_all(args):
    cmd_train(args)
    return cmd_evaluate(args)


def build_parser():
    parser = argparse.ArgumentParser(prog="wine", description="train and evaluate a wine classifier")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--checkpoint", default="wine_mlp.pt")
    sub = parser.add_subparsers(dest="command", required=True)

    def add_train_args(p):
        p.add_argument("--epochs", type=int, default=30)
        p.add_argument("--lr", type=float, default=0.05)
        p.add_argument("--momentum", type=float, default=0.9)
        p.add_argument("--hidden", type=int, default=32)
        p.add_argument("--dropout", type=float, default=0.2)
        p.add_argument("--batch-size", type=int, default=16)

    p_train = sub.add_parser("train", help="fit and save the model")
    add_train_args(p_train)
    p_train.set_defaults(func=cmd_train)
    p_eval = sub.add_parser("evaluate", help="score a saved model")
    p_eval.set_defaults(func=cmd_evaluate)
    p_all = sub.add_parser("all", help="train then evaluate")
    add_train_args(p_all)
    p_all.set_defaults(func=cmd_all)
    return parser


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    args = build_parser().parse_args(argv or ["all"])
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
