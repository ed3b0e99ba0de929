"""One-rank gloo DistributedDataParallel training inside a worker function."""
import os

import torch
import torch.distributed as dist
import torch.nn as nn
from torch.nn.parallel import DistributedDataParallel


def worker(rank, world):
    os.environ.setdefault("MASTER_ADDR", "127.0.0.1")
    os.environ.setdefault("MASTER_PORT", "29533")
    dist.init_process_group("gloo", rank=rank, world_size=world)
    x = torch.randn(64, 3)
    y = x.sum(1, keepdim=True)
    wrapped = DistributedDataParallel(nn.Linear(3, 1))
    opt = torch.optim.SGD(wrapped.parameters(), lr=0.1)
    for _ in range(10):
        opt.zero_grad()
        nn.functional.mse_loss(wrapped(x), y).backward()
        opt.step()
    print(f"mse={nn.functional.mse_loss(wrapped.module(x), y).item():.4f}")
    dist.destroy_process_group()


if __name__ == "__main__":
    worker(0, 1)
