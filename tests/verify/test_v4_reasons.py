"""V4 reasons for the LLM's near misses: a misspelt pruning call is named, a lambda objective is read."""

from __future__ import annotations

import textwrap

from mlops_adapt.options import AdaptOptions
from mlops_adapt.verify.pipeline import verify_candidate


def v4(original: str, candidate: str, task: str) -> list[str]:
    report = verify_candidate(
        textwrap.dedent(original), textwrap.dedent(candidate), task, AdaptOptions()
    )
    return list(next(c for c in report.checks if c.id == "V4").reasons)


TORCH_ORIGINAL = """\
    import torch
    from torch import nn

    model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 1))
    X = torch.randn(32, 4)
    loss = model(X).pow(2).mean()
    print(f"loss {loss.item():.3f}")
"""


def test_a_misspelt_pruning_call_is_named_in_the_missing_call_reason():
    candidate = textwrap.dedent(TORCH_ORIGINAL) + textwrap.dedent(
        """\
        from torch.nn.utils import prune
        prune.l1_ungstructured(model[0], name="weight", amount=0.3)
        """
    )
    reasons = v4(TORCH_ORIGINAL, candidate, "optimize-prune")
    assert reasons[0].startswith("no unstructured pruning call")
    assert (
        "`l1_ungstructured` (did you mean l1_unstructured?) is not a pruning function" in reasons[0]
    )


def test_the_missing_call_reason_stays_plain_when_nothing_looks_like_one():
    candidate = textwrap.dedent(TORCH_ORIGINAL) + "from torch.nn.utils import prune\n"
    reasons = v4(TORCH_ORIGINAL, candidate, "optimize-prune")
    assert (
        reasons[0]
        == "no unstructured pruning call (prune.global_unstructured or prune.l1_unstructured) was added"
    )


SK_ORIGINAL = """\
    from sklearn.datasets import load_iris
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import train_test_split

    C = 1.0
    X, y = load_iris(return_X_y=True)
    X_tr, X_te, y_tr, y_te = train_test_split(X, y, random_state=0)
    clf = LogisticRegression(C=C, max_iter=200)
    clf.fit(X_tr, y_tr)
    print(f"accuracy {clf.score(X_te, y_te):.3f}")
"""


def test_an_objective_bound_to_a_lambda_is_read_as_the_objective():
    candidate = """\
        import optuna
        from sklearn.datasets import load_iris
        from sklearn.linear_model import LogisticRegression
        from sklearn.model_selection import cross_val_score, train_test_split

        C = 1.0
        X, y = load_iris(return_X_y=True)
        X_tr, X_te, y_tr, y_te = train_test_split(X, y, random_state=0)
        objective = lambda trial: cross_val_score(
            LogisticRegression(C=trial.suggest_float("C", 0.1, 10.0, log=True), max_iter=200), X_tr, y_tr, cv=3
        ).mean()
        study = optuna.create_study(direction="maximize")
        study.optimize(objective, n_trials=3)
        print(study.best_params, study.best_value)
        C = study.best_params["C"]
        clf = LogisticRegression(C=C, max_iter=200)
        clf.fit(X_tr, y_tr)
        print(f"accuracy {clf.score(X_te, y_te):.3f}")
    """
    reasons = v4(SK_ORIGINAL, candidate, "hpo-optuna")
    assert not [r for r in reasons if "not a function taking a trial" in r], reasons
    broken = textwrap.dedent(candidate).replace("objective = lambda trial:", "objective = lambda:")
    assert any("not a function taking a trial" in r for r in v4(SK_ORIGINAL, broken, "hpo-optuna"))


def test_a_forgotten_library_import_is_one_v3_reason_not_a_cascade_of_v4_ones():
    good = """\
        import mlflow
        from sklearn.datasets import load_iris
        from sklearn.linear_model import LogisticRegression
        from sklearn.model_selection import train_test_split

        C = 1.0
        X, y = load_iris(return_X_y=True)
        X_tr, X_te, y_tr, y_te = train_test_split(X, y, random_state=0)
        with mlflow.start_run():
            mlflow.log_param("C", C)
            clf = LogisticRegression(C=C, max_iter=200)
            clf.fit(X_tr, y_tr)
            accuracy = clf.score(X_te, y_te)
            mlflow.log_metric("accuracy", accuracy)
            print(f"accuracy {accuracy:.3f}")
    """
    original = SK_ORIGINAL.replace(
        'print(f"accuracy {clf.score(X_te, y_te):.3f}")',
        ('accuracy = clf.score(X_te, y_te)\n    print(f"accuracy {accuracy:.3f}")'),
    )
    forgot = textwrap.dedent(good).replace("import mlflow\n", "", 1)
    report = verify_candidate(textwrap.dedent(original), forgot, "track-mlflow", AdaptOptions())
    checks = {c.id: c for c in report.checks}
    assert not report.ok
    assert checks["V3"].status == "fail"
    assert checks["V3"].reasons[0].startswith("line 8: `mlflow` is used but never imported")
    assert checks["V4"].status != "fail", checks["V4"].reasons
    assert verify_candidate(
        textwrap.dedent(original), textwrap.dedent(good), "track-mlflow", AdaptOptions()
    ).ok
