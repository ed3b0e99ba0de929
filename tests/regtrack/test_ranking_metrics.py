"""Ranking results (HR, hit_rate, NDCG, MRR, recall@k, map@k) are metrics: each value a recommender
script reports per epoch is logged with its step, under a key MLflow accepts (it refuses `@`)."""

from __future__ import annotations

import re
import textwrap

import pytest

from mlops_adapt.engine import adapt
from mlops_adapt.options import AdaptOptions
from mlops_adapt.results import Applied
from mlops_adapt.vocabulary import direction_of, is_metric_name
from tests.core.runner import run_script

TASKS = ["track-mlflow", "track-wandb"]


def _adapt(source: str, task: str) -> str:
    result = adapt(textwrap.dedent(source), task, AdaptOptions(backend="recipe", verify="static", path="rank.py"))
    assert isinstance(result, Applied), result
    return result.code


# A matrix-factorisation toy: per epoch, an evaluation helper returns the hit ratio and NDCG at a cutoff.
EPOCH_HR_NDCG = """
    import numpy as np

    STEP = 0.2
    EPOCHS = 3
    CUTOFF = 4

    rng = np.random.default_rng(5)
    taste = rng.normal(size=(16, 3))
    catalog = rng.normal(size=(24, 3))
    liked = np.argmax(taste @ catalog.T, axis=1)
    mix = rng.normal(size=(3, 3))


    def leave_one_out(mix, cutoff):
        order = np.argsort(-(taste @ mix @ catalog.T), axis=1)[:, :cutoff]
        found = [liked[u] in order[u] for u in range(len(order))]
        gain = [1.0 / np.log2(list(order[u]).index(liked[u]) + 2) if found[u] else 0.0 for u in range(len(order))]
        return float(np.mean(found)), float(np.mean(gain))


    for epoch in range(EPOCHS):
        mix = (1 - STEP) * mix + STEP * np.eye(3)
        HR, NDCG = leave_one_out(mix, CUTOFF)
        print("epoch %d HR=%.4f NDCG=%.4f" % (epoch, HR, NDCG))
"""

# Per-epoch hit_rate and mrr variables, and cutoffs spelled in the printed labels (`recall@{K}`).
LABELLED_CUTOFFS = """
    import numpy as np

    BOOST = 0.3
    EPOCHS = 3
    K = 3

    rng = np.random.default_rng(6)
    wanted = rng.integers(0, 8, size=10)
    logits = rng.normal(size=(10, 8))

    for epoch in range(EPOCHS):
        logits[np.arange(10), wanted] += BOOST
        place = np.array([list(np.argsort(-logits[u])).index(wanted[u]) for u in range(10)])
        hit_rate = float(np.mean(place < K))
        mrr = float(np.mean(1.0 / (place + 1)))
        print(f"epoch {epoch} hit_rate={hit_rate:.4f} mrr={mrr:.4f}")
        print(f"recall@{K}: {np.mean(place < K):.4f}")
        print("map@%d: %.4f" % (K, np.mean(np.where(place < K, 1.0 / (place + 1), 0.0))))
"""


@pytest.mark.parametrize(
    "name", ["HR", "hr@10", "HR@10", "hit_rate", "hits@10", "NDCG", "ndcg@10", "mrr", "recall@k", "map@k",
             "map_at_10", "best_hr", "val_HR"])
def test_ranking_result_names_are_metrics_to_maximize(name):
    assert is_metric_name(name)
    assert direction_of(name) == "maximize"


@pytest.mark.parametrize("name", ["label_map", "map_location", "id_map", "threshold", "hits", "white_noise"])
def test_lookup_tables_and_lists_are_not_ranking_metrics(name):
    assert not is_metric_name(name)


@pytest.mark.parametrize("task", TASKS)
def test_hit_ratio_and_ndcg_of_each_epoch_are_logged_with_the_epoch(task):
    code = _adapt(EPOCH_HR_NDCG, task)
    if task == "track-mlflow":
        assert 'mlflow.log_metric("hr", HR, step=epoch)' in code
        assert 'mlflow.log_metric("ndcg", NDCG, step=epoch)' in code
    else:
        assert re.search(r'wandb\.log\(\{"hr": HR, .*"epoch": epoch\}\)', code), code


@pytest.mark.parametrize("task", TASKS)
def test_cutoff_labels_name_the_value_that_follows_them(task):
    code = _adapt(LABELLED_CUTOFFS, task)
    for key in ("hit_rate", "mrr", "recall_at_k", "map_at_k"):
        assert f'"{key}"' in code, (key, code)
    assert "@" not in "".join(re.findall(r'log_metric\("([^"]+)"', code))


@pytest.mark.slow
def test_ranking_metrics_are_logged_as_the_script_prints_them(tmp_path):
    from mlflow.tracking import MlflowClient

    code = _adapt(LABELLED_CUTOFFS, "track-mlflow")
    run = run_script(code, tmp_path)
    assert run.returncode == 0, run.stderr[-3000:]
    client = MlflowClient(tracking_uri=run.tracking_uri)
    runs = client.search_runs(experiment_ids=["0"])
    assert [r.info.status for r in runs] == ["FINISHED"]
    run_id = runs[0].info.run_id
    printed = re.findall(r"recall@3: ([\d.]+)", run.stdout)
    history = client.get_metric_history(run_id, "recall_at_k")
    assert [m.step for m in history] == [0, 1, 2]
    assert [f"{m.value:.4f}" for m in history] == printed
    hit_rates = re.findall(r"hit_rate=([\d.]+)", run.stdout)
    assert [f"{m.value:.4f}" for m in client.get_metric_history(run_id, "hit_rate")] == hit_rates
    assert len(client.get_metric_history(run_id, "map_at_k")) == 3


# Inside each epoch, a loop over listed cutoffs evaluates once per cutoff (no training in it).
CUTOFF_LOOP = """
    import torch

    LR = 0.1
    EPOCHS = 2

    torch.manual_seed(0)
    wanted = torch.randint(0, 9, (12,))
    users = torch.nn.Embedding(12, 3)
    items = torch.nn.Embedding(9, 3)
    opt = torch.optim.SGD([*users.parameters(), *items.parameters()], lr=LR)


    def ranked_at(k):
        with torch.no_grad():
            top = torch.topk(users.weight @ items.weight.T, k, dim=1).indices
        hits = (top == wanted[:, None]).any(dim=1).float()
        return hits.mean().item(), (hits / k).mean().item()


    for epoch in range(EPOCHS):
        opt.zero_grad()
        loss = torch.nn.functional.cross_entropy(users.weight @ items.weight.T, wanted)
        loss.backward()
        opt.step()
        for k in (2, 4):
            hr, precision = ranked_at(k)
            print(f"epoch {epoch} HR@{k}: {hr:.4f} P@{k}: {precision:.4f}")
"""


@pytest.mark.parametrize("task", TASKS)
def test_each_cutoff_of_an_epoch_gets_its_own_key_at_the_epoch_step(task):
    code = _adapt(CUTOFF_LOOP, task)
    if task == "track-mlflow":
        assert 'mlflow.log_metric(f"{k}/hr", hr, step=epoch)' in code, code
        assert 'mlflow.log_metric(f"{k}/precision", precision, step=epoch)' in code, code
    else:
        assert 'wandb.log({f"{k}/hr": hr, "epoch": epoch})' in code, code
