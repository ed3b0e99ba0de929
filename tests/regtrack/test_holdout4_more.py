"""Shapes public-holdout-4 showed to track-mlflow, track-wandb and register-mlflow: a step the script
prints counted from one, a DistributedDataParallel model, and one key logged by each compared model."""

from __future__ import annotations

import textwrap

import pytest

from mlops_adapt.engine import adapt
from mlops_adapt.options import AdaptOptions
from mlops_adapt.results import Applied
from mlops_adapt.tasks.track_wandb.recipe import counted_from_one


def _adapt(source: str, task: str, verify: str = "static", name: str = "shape.py"):
    return adapt(textwrap.dedent(source), task, AdaptOptions(backend="recipe", verify=verify, path=name, timeout=400))


ONE_BASED = """
    import torch

    torch.manual_seed(0)
    x, y = torch.randn(50, 3), torch.randn(50, 1)
    layer = torch.nn.Linear(3, 1)
    opt = torch.optim.SGD(layer.parameters(), lr=0.1)
    for epoch in range(6):
        opt.zero_grad()
        loss = torch.nn.functional.mse_loss(layer(x), y)
        loss.backward()
        opt.step()
        if epoch % 3 == 2:
            print(f"epoch {epoch + 1}/6 loss {loss.item():.4f}")
"""


def test_a_step_printed_from_one_is_logged_from_one():
    """The script says `epoch 3/6` for its third epoch: W&B's epoch field says 3 too, not 2."""
    result = _adapt(ONE_BASED, "track-wandb")
    assert isinstance(result, Applied), result
    logs = [line.strip() for line in result.code.splitlines() if "wandb.log(" in line]
    assert logs and all('"epoch": epoch + 1}' in line for line in logs), logs


def test_a_step_printed_as_it_is_stays_as_it_is():
    shown_plain = ONE_BASED.replace("{epoch + 1}/6", "{epoch}")
    result = _adapt(shown_plain, "track-wandb")
    assert isinstance(result, Applied), result
    logs = [line.strip() for line in result.code.splitlines() if "wandb.log(" in line]
    assert logs and all('"epoch": epoch}' in line for line in logs), logs


def test_a_step_printed_both_ways_is_not_shifted():
    import libcst as cst

    both = ONE_BASED.replace('print(f"epoch {epoch + 1}/6', 'print(epoch)\n            print(f"epoch {epoch + 1}/6')
    assert counted_from_one(cst.parse_module(textwrap.dedent(both))) == set()
    assert counted_from_one(cst.parse_module(textwrap.dedent(ONE_BASED))) == {"epoch"}


DDP_RANK_ZERO = """
    import os

    import torch
    import torch.distributed as dist
    import torch.nn as nn
    from torch.nn.parallel import DistributedDataParallel as DDP


    def main(rank, world):
        store = os.path.abspath("pg_store")
        dist.init_process_group("gloo", init_method=f"file://{store}", rank=rank, world_size=world)
        torch.manual_seed(0)
        x = torch.randn(80, 4)
        y = (x[:, 0] > 0).long()
        net = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 2))
        ddp_net = DDP(net)
        opt = torch.optim.Adam(ddp_net.parameters(), lr=0.01)
        for _ in range(20):
            opt.zero_grad()
            nn.functional.cross_entropy(ddp_net(x), y).backward()
            opt.step()
        if rank == 0:
            acc = (ddp_net.module(x).argmax(1) == y).float().mean().item()
            print(f"acc={acc:.3f}")
            torch.save(ddp_net.module.state_dict(), "net.pt")
        dist.barrier()
        dist.destroy_process_group()
        if rank == 0:
            os.remove(store)


    if __name__ == "__main__":
        main(0, 1)
"""


def test_a_ddp_model_is_registered_as_its_module_where_rank_zero_saves_it():
    """Pickled, the wrapper needs a process group to load: `.module` is the model, logged once,
    by the rank that saves it."""
    result = _adapt(DDP_RANK_ZERO, "register-mlflow", name="ddp_shape.py")
    assert isinstance(result, Applied), result
    lines = result.code.splitlines()
    save = next(i for i, line in enumerate(lines) if 'torch.save(ddp_net.module.state_dict(), "net.pt")' in line)
    assert lines[save + 1].startswith("        mlflow.pytorch.log_model(ddp_net.module, ")
    assert sum("log_model(" in line for line in lines) == 1


@pytest.mark.slow
def test_the_registered_ddp_module_loads_without_a_process_group():
    result = _adapt(DDP_RANK_ZERO, "register-mlflow", verify="run", name="ddp_shape.py")
    assert isinstance(result, Applied), result
    assert result.report.ok, result.report.failures


COMPARED = """
    import numpy as np
    from sklearn.linear_model import Lasso, Ridge
    from sklearn.metrics import mean_absolute_error

    rng = np.random.RandomState(1)
    X = rng.randn(300, 4)
    y = X @ np.array([1.5, -2.0, 0.0, 0.7]) + rng.randn(300) * 0.3


    def evaluate(est):
        return {"mae": mean_absolute_error(y[200:], est.predict(X[200:]))}


    rows = {}
    for name, est in {"lasso": Lasso(alpha=0.5), "ridge": Ridge(alpha=1.0)}.items():
        est.fit(X[:200], y[:200])
        rows[name] = evaluate(est)
    print(f"ridge_test_mae={rows['ridge']['mae']:.4f}")
"""


@pytest.mark.slow
def test_one_key_logged_by_each_compared_model_is_judged_as_one_series():
    """Each nested run logs `mae`; the script prints only the ridge one. Lasso's value is not a
    mismatch with the ridge line: the runs' values are one series, judged together."""
    result = _adapt(COMPARED, "track-mlflow", verify="run", name="compared.py")
    assert isinstance(result, Applied), result
    assert result.report.ok, result.report.failures
