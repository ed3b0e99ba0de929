"""DistributedDataParallel tutorial layout (setup/cleanup, DistributedSampler, rank-0 logging) on the
breast-cancer data. Runs as a single gloo rank by default; more ranks are spawned with mp.spawn."""
import argparse
import os

import numpy as np
import torch
import torch.distributed as dist
import torch.multiprocessing as mp
import torch.nn as nn
import torch.optim as optim
from sklearn.datasets import load_breast_cancer
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler
from torch.nn.parallel import DistributedDataParallel as DDP
from torch.utils.data import DataLoader, TensorDataset
from torch.utils.data.distributed import DistributedSampler


def setup(rank, world_size):
    # a file store in the working folder: no port to pick, nothing left after cleanup
    store = os.path.abspath("ddp_init_store")
    if rank == 0 and os.path.exists(store):
        os.remove(store)
    dist.init_process_group("gloo", init_method=f"file://{store}", rank=rank, world_size=world_size)


def cleanup():
    dist.destroy_process_group()
    if os.path.exists("ddp_init_store"):
        os.remove("ddp_init_store")


class ToyClassifier(nn.Module):
    def __init__(self, n_in, hidden):
        super().__init__()
        self.net1 = nn.Linear(n_in, hidden)
        self.relu = nn.ReLU()
        self.net2 = nn.Linear(hidden, hidden)
        self.net3 = nn.Linear(hidden, 2)

    def forward(self, x):
        return self.net3(self.relu(self.net2(self.relu(self.net1(x)))))


def load_splits(seed):
    X, y = load_breast_cancer(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, random_state=seed, stratify=y)
    scaler = StandardScaler().fit(X_train)
    to_ds = lambda a, b: TensorDataset(torch.tensor(a, dtype=torch.float32), torch.tensor(b))
    return to_ds(scaler.transform(X_train), y_train), to_ds(scaler.transform(X_test), y_test)


def test(model, dataset):
    model.eval()
    X, y = dataset.tensors
    with torch.no_grad():
        logits = model(X)
    loss = nn.functional.cross_entropy(logits, y).item()
    acc = (logits.argmax(1) == y).float().mean().item()
    return loss, acc


def demo_train(rank, world_size, args):
    setup(rank, world_size)
    torch.manual_seed(args.seed)
    np.random.seed(args.seed)
    train_ds, test_ds = load_splits(args.seed)
    sampler = DistributedSampler(train_ds, num_replicas=world_size, rank=rank, shuffle=True, seed=args.seed)
    loader = DataLoader(train_ds, batch_size=args.batch_size, sampler=sampler)

    model = ToyClassifier(train_ds.tensors[0].shape[1], args.hidden)
    ddp_model = DDP(model)
    loss_fn = nn.CrossEntropyLoss()
    optimizer = optim.SGD(ddp_model.parameters(), lr=args.lr, momentum=0.9)

    for epoch in range(args.epochs):
        sampler.set_epoch(epoch)
        ddp_model.train()
        for xb, yb in loader:
            optimizer.zero_grad()
            loss = loss_fn(ddp_model(xb), yb)
            loss.backward()
            optimizer.step()
        if rank == 0 and epoch % 5 == 4:
            print(f"[rank {rank}] epoch {epoch + 1} loss {loss.item():.4f}")

    if rank == 0:
        test_loss, test_acc = test(ddp_model.module, test_ds)
        print(f"test_loss={test_loss:.4f}")
        print(f"test_accuracy={test_acc:.4f}")
        torch.save(ddp_model.module.state_dict(), "ddp_classifier.pt")
    dist.barrier()
    cleanup()


def run_demo(demo_fn, world_size, args):
    if world_size == 1:
        demo_fn(0, 1, args)
    else:
        mp.spawn(demo_fn, args=(world_size, args), nprocs=world_size, join=True)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--world-size", type=int, default=1)
    parser.add_argument("--epochs", type=int, default=15)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--lr", type=float, default=0.01)
    parser.add_argument("--hidden", type=int, default=32)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    run_demo(demo_train, args.world_size, args)
