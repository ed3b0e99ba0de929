"""Analysis on script shapes the first recipes missed: what gets logged and which model is registered."""

import textwrap

import libcst as cst

from mlops_adapt.analysis.models import find_trained_models
from mlops_adapt.analysis.scan import scan_module


def scanned(source: str):
    source = textwrap.dedent(source).lstrip("\n")
    module = cst.parse_module(source)
    return module, scan_module(module, source)


def param_entries(scan) -> dict[str, str]:
    found = {}
    for site in scan.params:
        found.update(dict(site.entries))
        if site.whole:
            found[site.kind] = site.whole
    return found


def metric_keys(scan) -> dict[str, str]:
    return {m.key: m.expr for m in scan.metrics}


def test_plain_config_class_attributes_are_params():
    _, scan = scanned("""
        class Config:
            hidden = 32
            lr = 0.01

        def main():
            cfg = Config()
            print(cfg.lr)
    """)
    assert param_entries(scan) == {"hidden": "cfg.hidden", "lr": "cfg.lr"}


def test_namespace_passed_inline_is_logged_in_the_callee():
    _, scan = scanned("""
        import argparse

        def train(args):
            \"\"\"Train.\"\"\"
            return args.lr

        if __name__ == "__main__":
            parser = argparse.ArgumentParser()
            parser.add_argument("--lr", type=float, default=0.1)
            train(parser.parse_args())
    """)
    site = next(s for s in scan.params if s.kind == "argparse")
    assert site.whole == "vars(args)" and site.where == "after"  # after the docstring
    assert site.ctx.function.name.value == "train"


def test_printed_keys_prefer_the_variable_and_name_list_entries():
    _, scan = scanned("""
        import numpy as np
        from sklearn.linear_model import Ridge
        scores = []
        for fold in range(3):
            m = Ridge().fit([[0], [1]], [0, 1])
            scores.append(m.score([[0], [1]], [0, 1]))
            print(f"fold {fold}: {scores[-1]:.3f}")
        best_r2 = max(scores)
        print(f"best alpha {1} with r2 {best_r2:.4f}")
        print(f"mean accuracy {np.mean(scores):.3f} +- {np.std(scores):.3f}")
    """)
    keys = metric_keys(scan)
    assert keys["score"] == "scores[-1]"
    assert keys["best_r2"] == "best_r2"
    assert keys["scores_std"] == "np.std(scores)"
    assert "with_r2" not in keys


def test_size_hyperparameters_named_like_features_are_kept():
    _, scan = scanned("""
        from sklearn.ensemble import ExtraTreesClassifier
        model = ExtraTreesClassifier(max_features=0.5, n_estimators=10)
        model.fit([[0], [1]], [0, 1])
    """)
    assert param_entries(scan)["max_features"] == "0.5"


def test_loss_criterion_is_not_the_model_to_register():
    module, scan = scanned("""
        import torch
        from torch import nn
        model = nn.Linear(2, 2)
        loss_fn = nn.CrossEntropyLoss()
        opt = torch.optim.SGD(model.parameters(), lr=0.1)
        for epoch in range(2):
            loss = loss_fn(model(torch.randn(4, 2)), torch.tensor([0, 1, 0, 1]))
            loss.backward()
            opt.step()
    """)
    trained = [m.var for m in find_trained_models(module, scan) if m.trained_after is not None]
    assert trained == ["model"]


def test_models_in_loops_and_attributes_are_found():
    module, scan = scanned("""
        from sklearn.linear_model import LogisticRegression
        from sklearn.tree import DecisionTreeClassifier

        models = {"lr": LogisticRegression(), "tree": DecisionTreeClassifier()}
        for name, model in models.items():
            model.fit([[0], [1]], [0, 1])

        for C in [0.1, 1.0]:
            clf = LogisticRegression(C=C)
            clf.fit([[0], [1]], [0, 1])

        class Trainer:
            def __init__(self):
                self.model = DecisionTreeClassifier()

            def fit(self, X, y):
                self.model.fit(X, y)
    """)
    trained = {m.var: m.framework for m in find_trained_models(module, scan) if m.trained_after is not None}
    assert trained == {"model": "sklearn", "clf": "sklearn", "self.model": "sklearn"}


def test_constants_with_command_line_or_environment_overrides_are_params():
    _, scan = scanned("""
        import os
        import sys
        EPOCHS = int(sys.argv[1]) if len(sys.argv) > 1 else 40
        LR = float(os.environ.get("LR", 0.1))
        for epoch in range(EPOCHS):
            w = 0
            w -= LR
        accuracy = float(w)
    """)
    assert {"EPOCHS", "LR"} <= set(param_entries(scan))


def test_a_dict_of_histories_is_not_a_metric_dict_but_a_dict_of_results_is():
    _, scan = scanned("""
        import numpy as np
        history = {"train_loss": [], "val_acc": []}
        pred = np.zeros(3)
        results = {"mse": float(np.mean(pred ** 2)), "mae": float(np.mean(abs(pred)))}
        print(results)
    """)
    keys = metric_keys(scan)
    assert "history" not in keys
    assert keys["results"] == "results"


def test_a_printed_user_evaluation_is_logged_where_it_returns_not_recomputed():
    module, scan = scanned("""
        def evaluate(model, loader):
            correct = total = 0
            for xb, yb in loader:
                correct += 1
                total += 1
            return correct / total

        for epoch in range(3):
            print(f"epoch {epoch} accuracy {evaluate(None, [(1, 1)]):.3f}")
    """)
    site = next(m for m in scan.metrics if m.key == "accuracy")
    assert site.expr == "correct / total"
    assert site.ctx.function is not None and site.ctx.function.name.value == "evaluate"


def test_inline_dataclass_settings_are_logged_in_the_receiving_init():
    _, scan = scanned("""
        from dataclasses import dataclass

        @dataclass
        class Settings:
            C: float = 0.5

        class Experiment:
            def __init__(self, settings):
                self.settings = settings

        Experiment(Settings())
    """)
    site = next(s for s in scan.params if s.kind == "dataclass")
    assert site.whole == "dataclasses.asdict(settings)"
    assert site.ctx.function.name.value == "__init__"


def test_an_inner_value_sweep_gets_its_own_child_run():
    _, scan = scanned("""
        from sklearn.tree import DecisionTreeClassifier
        for lr in (0.1, 0.3):
            for depth in (1, 2):
                m = DecisionTreeClassifier(max_depth=depth)
                m.fit([[0], [1]], [0, 1])
    """)
    assert [(n.param, n.key_prefix) for n in scan.nested_runs] == [
        (("lr", "lr"), "lr={lr}"), (("depth", "depth"), "lr={lr}/depth={depth}"),
    ]


def test_rounded_printed_results_are_logged_at_full_precision():
    _, scan = scanned("""
        from sklearn.linear_model import Ridge
        m = Ridge().fit([[0], [1]], [0, 1])
        report = {"accuracy": m.score([[0], [1]], [0, 1])}
        print("accuracy", round(report["accuracy"], 3))
    """)
    assert metric_keys(scan)["accuracy"] == 'report["accuracy"]'


def test_a_main_guard_ending_in_sys_exit_starts_the_run_inside_main():
    from mlops_adapt.options import AdaptOptions
    from mlops_adapt.transforms.base import run_recipe

    source = textwrap.dedent("""
        import sys
        from sklearn.linear_model import Ridge

        def main():
            model = Ridge(alpha=0.5)
            model.fit([[0], [1]], [0, 1])
            r2 = model.score([[0], [1]], [0, 1])
            print(f"r2 {r2:.3f}")
            return 0

        if __name__ == "__main__":
            sys.exit(main())
    """).lstrip("\\n")
    # `with` would end the run FAILED on SystemExit(0): the run is started plainly instead.
    out = run_recipe("track-mlflow", source, AdaptOptions())
    # `with` around sys.exit would record exit code 0 as FAILED: the run lives inside main().
    assert "def main():\n    with mlflow.start_run(run_name=" in out and '    sys.exit(main())' in out


def test_a_cross_validated_only_model_is_fitted_once_then_registered():
    from mlops_adapt.engine import adapt
    from mlops_adapt.options import AdaptOptions
    from mlops_adapt.results import Applied

    source = textwrap.dedent("""
        from sklearn.datasets import load_iris
        from sklearn.model_selection import cross_val_score
        from sklearn.svm import SVC

        X, y = load_iris(return_X_y=True)
        clf = SVC(C=2.0)
        scores = cross_val_score(clf, X, y, cv=3)
        print(scores.mean())
    """).lstrip("\\n")
    result = adapt(source, "register-mlflow", AdaptOptions(backend="recipe"))
    assert isinstance(result, Applied), result
    fit_at = result.code.index("clf.fit(X, y)\n")
    assert result.code.index("mlflow.sklearn.log_model(clf,") > fit_at > result.code.index("scores = cross_val_score")


def test_models_moved_to_a_device_are_still_found():
    module, scan = scanned("""
        import torch
        from torch import nn
        class Net(nn.Module):
            def forward(self, x):
                return x
        model = Net().to("cpu")
        opt = torch.optim.SGD(model.parameters(), lr=0.1)
        for epoch in range(2):
            loss = model(torch.ones(1)).sum()
            loss.backward()
            opt.step()
    """)
    assert [m.var for m in find_trained_models(module, scan) if m.trained_after is not None] == ["model"]


def test_a_metrics_dict_returned_to_a_bare_call_is_logged_in_the_function():
    _, scan = scanned("""
        from sklearn.linear_model import Ridge

        def main():
            model = Ridge().fit([[0], [1]], [0, 1])
            results = {"r2": model.score([[0], [1]], [0, 1])}
            return results

        if __name__ == "__main__":
            main()
    """)
    site = next(m for m in scan.metrics if m.key == "results")
    assert site.ctx.function.name.value == "main"
