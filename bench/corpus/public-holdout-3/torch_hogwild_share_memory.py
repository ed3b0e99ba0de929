"""Hogwild-style training: the model lives in shared memory and worker processes update it.

Digits (8x8) stand in for MNIST. Each worker seeds itself with seed + rank; the parent joins the
workers and then tests the shared model. One worker by default: with more, the updates race on
the shared weights (that is the point of Hogwild) and the run no longer repeats exactly.
"""
import argparse

import numpy as np
import torch
import torch.multiprocessing as mp
import torch.nn as nn
import torch.nn.functional as F
import torch.optim as optim
from sklearn.datasets import load_digits
from torch.utils.data import DataLoader, TensorDataset

parser = argparse.ArgumentParser(description="Hogwild digits example")
parser.add_argument("--batch-size", type=int, default=32, metavar="N")
parser.add_argument("--test-batch-size", type=int, default=200, metavar="N")
parser.add_argument("--epochs", type=int, default=4, metavar="N")
parser.add_argument("--lr", type=float, default=0.05, metavar="LR")
parser.add_argument("--momentum", type=float, default=0.5, metavar="M")
parser.add_argument("--seed", type=int, default=1, metavar="S")
parser.add_argument("--log-interval", type=int, default=15, metavar="N")
parser.add_argument("--num-processes", type=int, default=1, metavar="N")
parser.add_argument("--save-model", action="store_true", default=False)
parser.add_argument("--dry-run", action="store_true", default=False)


class Net(nn.Module):
    def __init__(self):
        super(Net, self).__init__()
        self.conv1 = nn.Conv2d(1, 8, kernel_size=3)
        self.conv2 = nn.Conv2d(8, 16, kernel_size=2)
        self.conv2_drop = nn.Dropout2d(0.2)
        self.fc1 = nn.Linear(64, 32)
        self.fc2 = nn.Linear(32, 10)

    def forward(self, x):
        x = F.relu(F.max_pool2d(self.conv1(x), 2))
        x = F.relu(self.conv2_drop(self.conv2(x)))
        x = x.view(-1, 64)
        x = F.relu(self.fc1(x))
        x = F.dropout(x, p=0.2, training=self.training)
        return F.log_softmax(self.fc2(x), dim=1)


def digit_datasets():
    digits = load_digits()
    images = (digits.images / 16.0).astype(np.float32)[:, None, :, :]
    images = (images - 0.3) / 0.4
    labels = digits.target.astype(np.int64)
    cut = 1400
    train_set = TensorDataset(torch.from_numpy(images[:cut]), torch.from_numpy(labels[:cut]))
    test_set = TensorDataset(torch.from_numpy(images[cut:]), torch.from_numpy(labels[cut:]))
    return train_set, test_set


def train(rank, args, model, dataset, dataloader_kwargs):
    torch.manual_seed(args.seed + rank)
    torch.set_num_threads(1)
    train_loader = DataLoader(dataset, **dataloader_kwargs)
    optimizer = optim.SGD(model.parameters(), lr=args.lr, momentum=args.momentum)
    for epoch in range(1, args.epochs + 1):
        train_epoch(epoch, rank, args, model, train_loader, optimizer)


def train_epoch(epoch, rank, args, model, data_loader, optimizer):
    model.train()
    for batch_idx, (data, target) in enumerate(data_loader):
        optimizer.zero_grad()
        output = model(data)
        loss = F.nll_loss(output, target)
        loss.backward()
        optimizer.step()
        if batch_idx % args.log_interval == 0:
            print("[worker {}] Train Epoch: {} [{}/{} ({:.0f}%)]\tLoss: {:.6f}".format(
                rank, epoch, batch_idx * len(data), len(data_loader.dataset),
                100.0 * batch_idx / len(data_loader), loss.item()), flush=True)
            if args.dry_run:
                break


def test(args, model, dataset, dataloader_kwargs):
    torch.manual_seed(args.seed)
    test_loader = DataLoader(dataset, **dataloader_kwargs)
    model.eval()
    test_loss = 0
    correct = 0
    with torch.no_grad():
        for data, target in test_loader:
            output = model(data)
            test_loss += F.nll_loss(output, target, reduction="sum").item()
            pred = output.max(1)[1]
            correct += pred.eq(target).sum().item()
    test_loss /= len(test_loader.dataset)
    print("\nTest set: Average loss: {:.4f}, Accuracy: {}/{} ({:.1f}%)\n".format(
        test_loss, correct, len(test_loader.dataset), 100.0 * correct / len(test_loader.dataset)))


if __name__ == "__main__":
    args = parser.parse_args()
    train_set, test_set = digit_datasets()
    kwargs = {"batch_size": args.batch_size, "shuffle": True}

    torch.manual_seed(args.seed)
    mp.set_start_method("spawn", force=True)

    model = Net()
    model.share_memory()  # gradients are allocated lazily, so they are not shared here

    processes = []
    for rank in range(args.num_processes):
        p = mp.Process(target=train, args=(rank, args, model, train_set, kwargs))
        p.start()
        processes.append(p)
    for p in processes:
        p.join()

    test(args, model, test_set, {"batch_size": args.test_batch_size, "shuffle": False})

    if args.save_model:
        torch.save(model.state_dict(), "digits_hogwild.pt")
