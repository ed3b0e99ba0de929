"""Prototypical networks on the digits, orobix/jakesnell layout: `init_parser()` options (`--classes_per_it_tr`,
`--num_support_tr`, `--num_query_tr`, `--iterations`), a `PrototypicalBatchSampler` yielding episodes, `prototypical_loss(
input, target, n_support)` with `euclidean_dist`, train on classes 0-6, episodes of the same classes for validation,
best model kept on validation accuracy (`best_model.pth`, `last_model.pth`), test on unseen classes 7-9."""
import argparse
import os

import numpy as np
import torch
import torch.nn as nn
from sklearn.datasets import load_digits
from torch.nn import functional as F


def init_parser():
    parser = argparse.ArgumentParser()
    parser.add_argument("-exp", "--experiment_root", type=str, default="output")
    parser.add_argument("-nep", "--epochs", type=int, default=6)
    parser.add_argument("-lr", "--learning_rate", type=float, default=0.001)
    parser.add_argument("-lrS", "--lr_scheduler_step", type=int, default=3)
    parser.add_argument("-lrG", "--lr_scheduler_gamma", type=float, default=0.5)
    parser.add_argument("-its", "--iterations", type=int, default=25)
    parser.add_argument("-cTr", "--classes_per_it_tr", type=int, default=5)
    parser.add_argument("-nsTr", "--num_support_tr", type=int, default=5)
    parser.add_argument("-nqTr", "--num_query_tr", type=int, default=5)
    parser.add_argument("-cVa", "--classes_per_it_val", type=int, default=3)
    parser.add_argument("-nsVa", "--num_support_val", type=int, default=5)
    parser.add_argument("-nqVa", "--num_query_val", type=int, default=10)
    parser.add_argument("-seed", "--manual_seed", type=int, default=7)
    return parser


class PrototypicalBatchSampler:
    """Yields, at every iteration, the indexes of `num_samples` examples for each of `classes_per_it` random classes."""

    def __init__(self, labels, classes_per_it, num_samples, iterations, seed):
        self.labels = np.asarray(labels)
        self.classes = np.unique(self.labels)
        self.classes_per_it = classes_per_it
        self.sample_per_class = num_samples
        self.iterations = iterations
        self.rng = np.random.RandomState(seed)
        self.indexes = {c: np.where(self.labels == c)[0] for c in self.classes}

    def __iter__(self):
        for _ in range(self.iterations):
            batch = []
            for c in self.rng.choice(self.classes, self.classes_per_it, replace=False):
                batch.extend(self.rng.choice(self.indexes[c], self.sample_per_class, replace=False).tolist())
            yield batch

    def __len__(self):
        return self.iterations


def conv_block(in_channels, out_channels):
    return nn.Sequential(nn.Conv2d(in_channels, out_channels, 3, padding=1), nn.BatchNorm2d(out_channels), nn.ReLU(),
                         nn.MaxPool2d(2))


class ProtoNet(nn.Module):
    def __init__(self, x_dim=1, hid_dim=16, z_dim=32):
        super().__init__()
        self.encoder = nn.Sequential(conv_block(x_dim, hid_dim), conv_block(hid_dim, z_dim))
        self.head = nn.Linear(z_dim * 4, z_dim * 2)

    def forward(self, x):
        x = self.encoder(x)
        return self.head(x.view(x.size(0), -1))


def euclidean_dist(x, y):
    n, m, d = x.size(0), y.size(0), x.size(1)
    x = x.unsqueeze(1).expand(n, m, d)
    y = y.unsqueeze(0).expand(n, m, d)
    return torch.pow(x - y, 2).sum(2)


def prototypical_loss(input, target, n_support):
    classes = torch.unique(target)
    n_classes = len(classes)
    n_query = target.eq(classes[0].item()).sum().item() - n_support
    support_idxs = [target.eq(c).nonzero().squeeze(1)[:n_support] for c in classes]
    prototypes = torch.stack([input[idx].mean(0) for idx in support_idxs])
    query_idxs = torch.stack([target.eq(c).nonzero().squeeze(1)[n_support:] for c in classes]).view(-1)
    query_samples = input[query_idxs]
    dists = euclidean_dist(query_samples, prototypes)
    log_p_y = F.log_softmax(-dists, dim=1).view(n_classes, n_query, -1)
    target_inds = torch.arange(0, n_classes).view(n_classes, 1, 1).expand(n_classes, n_query, 1).long()
    loss_val = -log_p_y.gather(2, target_inds).squeeze().view(-1).mean()
    _, y_hat = log_p_y.max(2)
    acc_val = y_hat.eq(target_inds.squeeze(2)).float().mean()
    return loss_val, acc_val


def episodes(X, y, sampler):
    for batch in sampler:
        # sort the batch by label so that support/query split per class is contiguous-stable
        yield X[batch], y[batch]


def train(opt, X_tr, y_tr, X_va, y_va, model, optim, lr_scheduler):
    best_state, best_acc = None, 0
    train_loss, train_acc, val_loss, val_acc = [], [], [], []
    for epoch in range(opt.epochs):
        print(f"=== Epoch: {epoch} ===")
        model.train()
        tr_sampler = PrototypicalBatchSampler(y_tr.numpy(), opt.classes_per_it_tr, opt.num_support_tr + opt.num_query_tr,
                                              opt.iterations, seed=opt.manual_seed + epoch)
        for x, y in episodes(X_tr, y_tr, tr_sampler):
            optim.zero_grad()
            loss, acc = prototypical_loss(model(x), target=y, n_support=opt.num_support_tr)
            loss.backward()
            optim.step()
            train_loss.append(loss.item())
            train_acc.append(acc.item())
        avg_loss = np.mean(train_loss[-opt.iterations:])
        avg_acc = np.mean(train_acc[-opt.iterations:])
        print(f"Avg Train Loss: {avg_loss:.4f}, Avg Train Acc: {avg_acc:.4f}")
        lr_scheduler.step()

        model.eval()
        va_sampler = PrototypicalBatchSampler(y_va.numpy(), opt.classes_per_it_val, opt.num_support_val + opt.num_query_val,
                                              opt.iterations, seed=1000 + epoch)
        with torch.no_grad():
            for x, y in episodes(X_va, y_va, va_sampler):
                loss, acc = prototypical_loss(model(x), target=y, n_support=opt.num_support_val)
                val_loss.append(loss.item())
                val_acc.append(acc.item())
        avg_loss = np.mean(val_loss[-opt.iterations:])
        avg_acc = np.mean(val_acc[-opt.iterations:])
        postfix = " (Best)" if avg_acc >= best_acc else f" (Best: {best_acc:.4f})"
        print(f"Avg Val Loss: {avg_loss:.4f}, Avg Val Acc: {avg_acc:.4f}{postfix}")
        if avg_acc >= best_acc:
            torch.save(model.state_dict(), os.path.join(opt.experiment_root, "best_model.pth"))
            best_acc = avg_acc
            best_state = {k: v.clone() for k, v in model.state_dict().items()}
    torch.save(model.state_dict(), os.path.join(opt.experiment_root, "last_model.pth"))
    return best_state, best_acc


def test(opt, X_te, y_te, model):
    model.eval()
    accs = []
    sampler = PrototypicalBatchSampler(y_te.numpy(), 3, opt.num_support_val + opt.num_query_val, 40, seed=2024)
    with torch.no_grad():
        for x, y in episodes(X_te, y_te, sampler):
            _, acc = prototypical_loss(model(x), target=y, n_support=opt.num_support_val)
            accs.append(acc.item())
    avg_acc = float(np.mean(accs))
    print(f"Test Acc (3-way {opt.num_support_val}-shot, unseen classes): {avg_acc:.4f}")
    return avg_acc


def main():
    options = init_parser().parse_args()
    os.makedirs(options.experiment_root, exist_ok=True)
    torch.manual_seed(options.manual_seed)
    np.random.seed(options.manual_seed)

    digits = load_digits()
    X = torch.tensor(digits.images[:, None] / 16.0, dtype=torch.float32)
    y = torch.tensor(digits.target)
    base = y < 7
    # base classes: 80% of their images for training, the rest for validation episodes
    base_idx = torch.nonzero(base).squeeze(1)
    perm = base_idx[torch.randperm(len(base_idx), generator=torch.Generator().manual_seed(0))]
    cut = int(0.8 * len(perm))
    tr_idx, va_idx = perm[:cut], perm[cut:]
    te_idx = torch.nonzero(~base).squeeze(1)

    model = ProtoNet()
    optim = torch.optim.Adam(params=model.parameters(), lr=options.learning_rate)
    lr_scheduler = torch.optim.lr_scheduler.StepLR(optimizer=optim, gamma=options.lr_scheduler_gamma,
                                                   step_size=options.lr_scheduler_step)
    best_state, best_acc = train(options, X[tr_idx], y[tr_idx], X[va_idx], y[va_idx], model, optim, lr_scheduler)
    print("Testing with last model..")
    test(options, X[te_idx], y[te_idx], model)
    model.load_state_dict(best_state)
    print(f"Testing with best model (val acc {best_acc:.4f})..")
    test(options, X[te_idx], y[te_idx], model)


if __name__ == "__main__":
    main()
