"""Shapes public-holdout-5 showed to register-mlflow: models kept as (label, model) pairs and taken out
with `dict(pairs)[best]`, a literal list of such pairs walked by the training loop, `best = models[name].fit(...)`
over a dict of named models, a torch `net.train()` beside the script's own `train()`, and a net built from
a registry of classes whose best checkpoint is reloaded after training."""

from __future__ import annotations

import textwrap

import pytest

from mlops_adapt.engine import adapt
from mlops_adapt.options import AdaptOptions
from mlops_adapt.results import Applied


def _adapt(source: str, verify: str = "static", name: str = "shape.py"):
    return adapt(textwrap.dedent(source), "register-mlflow",
                 AdaptOptions(backend="recipe", verify=verify, path=name, timeout=400))


def _logged_after(code: str, line: str) -> bool:
    """The log_model call comes right after `line` (on the next non-blank line)."""
    lines = [x.strip() for x in code.splitlines() if x.strip()]
    index = lines.index(line)
    return lines[index + 1].startswith("mlflow.") and "log_model(" in lines[index + 1]


LABELLED_PAIRS = """
    from sklearn.datasets import make_classification
    from sklearn.ensemble import ExtraTreesClassifier

    X, y = make_classification(n_samples=300, n_features=8, random_state=1)
    forests = [
        ("shallow", ExtraTreesClassifier(max_depth=3, warm_start=True, random_state=0)),
        ("deep", ExtraTreesClassifier(max_depth=None, warm_start=True, random_state=0)),
    ]
    scores = {}
    for tag, forest in forests:
        for n in (5, 10, 20):
            forest.set_params(n_estimators=n)
            forest.fit(X[:200], y[:200])
            scores[(tag, n)] = forest.score(X[200:], y[200:])
    (top_tag, top_n) = max(scores, key=scores.get)
    chosen = dict(forests)[top_tag]
    chosen.set_params(warm_start=False, n_estimators=top_n)
    chosen.fit(X, y)
    print("kept", top_tag, top_n, round(chosen.score(X, y), 3))
"""


def test_the_model_taken_from_labelled_pairs_is_registered_after_its_refit():
    result = _adapt(LABELLED_PAIRS)
    assert isinstance(result, Applied), result
    assert "log_model(chosen," in result.code
    assert _logged_after(result.code, "chosen.fit(X, y)")


LITERAL_PAIRS = """
    import joblib
    from sklearn.datasets import make_regression
    from sklearn.linear_model import Lasso, Ridge

    X, y = make_regression(n_samples=200, n_features=6, noise=3.0, random_state=2)
    plain = Ridge(alpha=1.0)
    sparse = Lasso(alpha=0.5)
    for label, reg in [("ridge", plain), ("lasso", sparse)]:
        reg.fit(X, y)
        print(label, round(reg.score(X, y), 4))
    joblib.dump(sparse, "sparse.joblib")
"""


def test_a_model_walked_by_a_loop_over_literal_pairs_is_trained_and_the_saved_one_registered():
    result = _adapt(LITERAL_PAIRS)
    assert isinstance(result, Applied), result
    assert "log_model(sparse," in result.code
    assert _logged_after(result.code, 'joblib.dump(sparse, "sparse.joblib")')


def test_a_model_holding_the_scripts_own_function_is_refused_with_the_reason():
    own_code = LITERAL_PAIRS.replace("from sklearn.linear_model import Lasso, Ridge", """\
from sklearn.linear_model import Lasso, Ridge
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import FunctionTransformer


    def shrink(a):
        return a / 2""").replace("sparse = Lasso(alpha=0.5)", "sparse = make_pipeline(FunctionTransformer(shrink), Lasso(alpha=0.5))")
    result = _adapt(own_code)
    assert not isinstance(result, Applied)
    assert "shrink" in " ".join(result.reasons)


NAMED_CANDIDATES = """
    import joblib
    from sklearn.datasets import make_regression
    from sklearn.linear_model import HuberRegressor, Ridge
    from sklearn.model_selection import cross_val_score

    X, y = make_regression(n_samples=240, n_features=5, noise=4.0, random_state=3)
    robust = HuberRegressor(max_iter=500)
    ridge = Ridge(alpha=0.3)
    candidates = {"robust": robust, "ridge": ridge}
    means = {name: cross_val_score(m, X, y, cv=3).mean() for name, m in candidates.items()}
    winner = max(means, key=means.get)
    final = candidates[winner].fit(X, y)
    print(winner, round(final.score(X, y), 4))
    joblib.dump(final, "final.joblib")
"""


def test_a_named_candidate_fitted_into_a_name_is_registered():
    result = _adapt(NAMED_CANDIDATES)
    assert isinstance(result, Applied), result
    assert "log_model(final," in result.code
    assert _logged_after(result.code, 'joblib.dump(final, "final.joblib")')


MODE_SWITCH = """
    import torch
    from torch import nn


    def sample_mean(net, xs, draws):
        net.train()
        with torch.no_grad():
            return torch.stack([net(xs) for _ in range(draws)]).mean(0)


    def train(seed):
        torch.manual_seed(seed)
        xs, ys = torch.randn(80, 3), torch.randn(80, 1)
        net = nn.Sequential(nn.Linear(3, 8), nn.Dropout(0.2), nn.Linear(8, 1))
        opt = torch.optim.SGD(net.parameters(), lr=0.05)
        for step in range(15):
            opt.zero_grad()
            loss = nn.functional.mse_loss(net(xs), ys)
            loss.backward()
            opt.step()
        err = ((sample_mean(net, xs, 5) - ys) ** 2).mean().item()
        torch.save(net.state_dict(), "net.pt")
        return {"err": err}


    if __name__ == "__main__":
        print(train(0))
"""


def test_net_train_is_not_a_second_call_of_the_scripts_train():
    """`net.train()` in the sampling helper is a mode switch: train() runs once, its net is registered."""
    result = _adapt(MODE_SWITCH)
    assert isinstance(result, Applied), result
    assert result.code.count("log_model(net,") == 1
    assert _logged_after(result.code, 'torch.save(net.state_dict(), "net.pt")')


REGISTRY_RELOAD = """
    import torch
    from torch import nn

    BLOCKS = {}


    def block(name):
        def put(cls):
            BLOCKS[name] = cls
            return cls
        return put


    @block("tiny")
    class Tiny(nn.Module):
        def __init__(self, hidden):
            super().__init__()
            self.fc = nn.Sequential(nn.Linear(3, hidden), nn.ReLU(), nn.Linear(hidden, 1))

        def forward(self, x):
            return self.fc(x)


    def make(cfg):
        return BLOCKS[cfg["kind"]](hidden=cfg["hidden"])


    def fit(cfg):
        torch.manual_seed(0)
        xs, ys = torch.randn(64, 3), torch.randn(64, 1)
        net = make(cfg)
        opt = torch.optim.Adam(net.parameters(), lr=0.01)
        best = float("inf")
        for epoch in range(8):
            opt.zero_grad()
            loss = nn.functional.mse_loss(net(xs), ys)
            loss.backward()
            opt.step()
            if loss.item() < best:
                best = loss.item()
                torch.save(net.state_dict(), "best.pt")
        net.load_state_dict(torch.load("best.pt"))
        return best


    if __name__ == "__main__":
        print(round(fit({"kind": "tiny", "hidden": 6}), 4))
"""


def test_a_registry_built_net_is_registered_with_its_reloaded_best_weights():
    result = _adapt(REGISTRY_RELOAD)
    assert isinstance(result, Applied), result
    assert _logged_after(result.code, 'net.load_state_dict(torch.load("best.pt"))')


@pytest.mark.slow
@pytest.mark.parametrize("source", [LABELLED_PAIRS, NAMED_CANDIDATES, MODE_SWITCH, REGISTRY_RELOAD],
                         ids=["labelled_pairs", "named_candidates", "mode_switch", "registry_reload"])
def test_the_shapes_register_a_model_version_when_run(source):
    result = _adapt(source, verify="run")
    assert isinstance(result, Applied), result
    assert result.report.ok, result.report.failures
