"""One gloo rank of a DistributedDataParallel job: rank 0 scores through the wrapper itself."""
import os

import torch
import torch.distributed as dist
import torch.nn as nn
from torch.nn.parallel import DistributedDataParallel as DDP


def score(net, xs, ys):
    with torch.no_grad():
        return nn.functional.mse_loss(net(xs), ys).item()


def run(rank, world):
    path = os.path.abspath("rendezvous")
    dist.init_process_group("gloo", init_method=f"file://{path}", rank=rank, world_size=world)
    torch.manual_seed(1)
    xs = torch.randn(128, 4)
    ys = xs @ torch.tensor([[1.0], [-2.0], [0.5], [0.0]])
    net = nn.Sequential(nn.Linear(4, 16), nn.Tanh(), nn.Linear(16, 1))
    wrapped = DDP(net)
    opt = torch.optim.SGD(wrapped.parameters(), lr=0.05)
    for step in range(40):
        opt.zero_grad()
        loss = nn.functional.mse_loss(wrapped(xs), ys)
        loss.backward()
        opt.step()
    if rank == 0:
        mse = score(wrapped, xs, ys)
        print(f"mse={mse:.4f}")
        torch.save(wrapped.module.state_dict(), "regressor.pt")
    dist.barrier()
    dist.destroy_process_group()
    if rank == 0 and os.path.exists(path):
        os.remove(path)


if __name__ == "__main__":
    run(0, 1)
