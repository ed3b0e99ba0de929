"""V3 reasons name the real cause and line of the mistakes a small code model made (bench/llm)."""

from __future__ import annotations

import textwrap

import pytest

from mlops_adapt.options import AdaptOptions
from mlops_adapt.verify.pipeline import verify_candidate
from mlops_adapt.verify.unbound import new_unbound_names


def v3(original: str, candidate: str, task: str) -> tuple[str, list[str]]:
    """Status and reasons of V3 for a candidate, verified statically like the LLM path does."""
    report = verify_candidate(
        textwrap.dedent(original), textwrap.dedent(candidate), task, AdaptOptions(), backend="llm"
    )
    check = next(c for c in report.checks if c.id == "V3")
    return check.status, [r for r in check.reasons if "is not indexed" not in r]


SK_ORIGINAL = """\
    from sklearn.datasets import load_iris
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import train_test_split

    C = 1.0
    X, y = load_iris(return_X_y=True)
    X_tr, X_te, y_tr, y_te = train_test_split(X, y, random_state=0)
    clf = LogisticRegression(C=C, max_iter=200)
    clf.fit(X_tr, y_tr)
    accuracy = clf.score(X_te, y_te)
    print(f"accuracy {accuracy:.3f}")
"""

TORCH_ORIGINAL = """\
    import torch
    from torch import nn

    model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 1))
    X = torch.randn(32, 4)
    loss = model(X).pow(2).mean()
    print(f"loss {loss.item():.3f}")
"""


@pytest.mark.parametrize(
    ("task", "lines", "name", "fix"),
    [
        (
            "track-mlflow",
            ["with mlflow.start_run():", '    mlflow.log_metric("accuracy", accuracy)'],
            "mlflow",
            "import mlflow",
        ),
        (
            "track-wandb",
            [
                'run = wandb.init(config={"C": C})',
                'run.log({"accuracy": accuracy})',
                "run.finish()",
            ],
            "wandb",
            "import wandb",
        ),
        (
            "register-mlflow",
            [
                "with mlflow.start_run():",
                '    mlflow.sklearn.log_model(clf, name="m", registered_model_name="m")',
            ],
            "mlflow",
            "import mlflow",
        ),
    ],
)
def test_a_library_used_without_its_import_is_named_at_its_first_line(task, lines, name, fix):
    candidate = textwrap.dedent(SK_ORIGINAL) + "\n".join(lines) + "\n"
    first = len(textwrap.dedent(SK_ORIGINAL).splitlines()) + 1
    status, reasons = v3(SK_ORIGINAL, candidate, task)
    assert status == "fail"
    assert reasons[0].startswith(f"line {first}: `{name}` is used but never imported")
    assert f"add `{fix}`" in reasons[0]


def test_optuna_used_without_import_and_a_study_attribute_that_does_not_exist():
    candidate = textwrap.dedent(SK_ORIGINAL) + textwrap.dedent(
        """\
        def objective(trial):
            model = LogisticRegression(C=trial.suggest_float("C", 0.1, 10, log=True), max_iter=200)
            return model.fit(X_tr, y_tr).score(X_tr, y_tr)
        study = optuna.create_study(direction="maximize")
        study.optimize(objective, n_trials=3)
        print(study.best_params_)
        """
    )
    status, reasons = v3(SK_ORIGINAL, candidate, "hpo-optuna")
    assert status == "fail"
    assert any(r.startswith("line 15: `optuna` is used but never imported") for r in reasons), (
        reasons
    )
    best = [r for r in reasons if "best_params_" in r]
    assert best and best[0].startswith("line 17: `Study.best_params_` does not exist")
    assert "did you mean best_params" in best[0]


def test_a_dotted_import_does_not_bind_the_last_name_and_the_misspelt_call_is_named():
    candidate = textwrap.dedent(TORCH_ORIGINAL) + textwrap.dedent(
        """\
        import torch.nn.utils.prune
        for module in model.modules():
            if isinstance(module, nn.Linear):
                prune.l1_ungstructured(module, name="weight", amount=0.3)
        """
    )
    status, reasons = v3(TORCH_ORIGINAL, candidate, "optimize-prune")
    assert status == "fail"
    assert reasons[0].startswith("line 11: `prune` is used but never imported")
    assert "`import torch.nn.utils.prune` binds `torch`, not `prune`" in reasons[0]
    assert "from torch.nn.utils import prune" in reasons[0]
    assert reasons[1].startswith("line 11: `torch.nn.utils.prune.l1_ungstructured` does not exist")
    assert "did you mean l1_unstructured" in reasons[1]


def test_an_unimported_prune_is_told_where_it_lives():
    candidate = (
        textwrap.dedent(TORCH_ORIGINAL)
        + 'prune.l1_unstructured(model[0], name="weight", amount=0.3)\n'
    )
    status, reasons = v3(TORCH_ORIGINAL, candidate, "optimize-prune")
    assert status == "fail"
    expected = (
        "line 8: `prune` is used but never imported or assigned (NameError when run); "
        "add `from torch.nn.utils import prune`"
    )
    assert reasons == [expected]


def test_a_misspelt_local_name_gets_its_close_match_and_a_deleted_one_is_called_deleted():
    candidate = textwrap.dedent(SK_ORIGINAL).replace(
        "clf.fit(X_tr, y_tr)", "clf.fit(X_train, y_tr)"
    )
    candidate = candidate.replace("C = 1.0\n", "")
    status, reasons = v3(SK_ORIGINAL, candidate, "track-mlflow")
    assert status == "fail"
    assert reasons[0].startswith("line 7: `C` is used but no longer assigned: the edit deleted")
    assert reasons[1].startswith("line 8: `X_train` is used but never imported or assigned")
    assert reasons[1].endswith("did you mean X_tr?")


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ('repo = dvc.Repo(".")', "did you mean dvc.repo.Repo?"),
        ('dvc.api.add("data")', "`add` is a method of `dvc.repo.Repo` objects"),
    ],
)
def test_a_dvc_name_in_the_wrong_place_is_pointed_to_where_it_is(line, expected):
    original = "from git import Repo\n\nrepo = Repo('.')\nrepo.index.add(['data'])\n"
    candidate = f"import dvc.api\nimport dvc.repo\n\n{line}\n"
    status, reasons = v3(original, candidate, "translate-gitpython-dvc")
    assert status == "fail"
    assert reasons[0].startswith("line 4: ") and expected in reasons[0], reasons


def test_mlflow_log_model_points_to_the_flavor_modules_first():
    candidate = (
        textwrap.dedent(SK_ORIGINAL)
        + "import mlflow\nwith mlflow.start_run():\n"
        + '    mlflow.log_model(clf, name="m", registered_model_name="m")\n'
    )
    status, reasons = v3(SK_ORIGINAL, candidate, "register-mlflow")
    assert status == "fail"
    assert reasons[0].startswith("line 14: `mlflow.log_model` does not exist")
    assert "did you mean mlflow.sklearn.log_model, mlflow.pytorch.log_model" in reasons[0]


def test_optuna_suggest_at_module_level_is_called_a_trial_method():
    candidate = (
        "import optuna\n"
        + textwrap.dedent(SK_ORIGINAL)
        + 'C = optuna.suggest_float("C", 0.1, 10)\n'
    )
    status, reasons = v3(SK_ORIGINAL, candidate, "hpo-optuna")
    assert status == "fail"
    assert "`suggest_float` is a method of `optuna.Trial` objects" in reasons[0]
    assert "trial.suggest_float(...)" in reasons[0]


CORRECT_EDITS = {
    # attributes an instance sets on itself, not listed by the index, confirmed on the installed class
    "hpo-optuna": """\
        import optuna
        from sklearn.datasets import load_iris
        from sklearn.linear_model import LogisticRegression
        from sklearn.model_selection import cross_val_score, train_test_split

        C = 1.0
        X, y = load_iris(return_X_y=True)
        X_tr, X_te, y_tr, y_te = train_test_split(X, y, random_state=0)


        def objective(trial):
            C = trial.suggest_float("C", 0.1, 10.0, log=True)
            model = LogisticRegression(C=C, max_iter=200)
            print(trial.number, trial.params)
            return cross_val_score(model, X_tr, y_tr, cv=3).mean()


        study = optuna.create_study(direction="maximize")
        study.optimize(objective, n_trials=3)
        print(study.study_name, study.sampler, study.best_trial.number)
        print("best params", study.best_params, study.best_value)
        C = study.best_params["C"]
        clf = LogisticRegression(C=C, max_iter=200)
        clf.fit(X_tr, y_tr)
        accuracy = clf.score(X_te, y_te)
        print(f"accuracy {accuracy:.3f}")
    """,
    "track-mlflow": """\
        import mlflow
        from mlflow import MlflowClient
        from sklearn.datasets import load_iris
        from sklearn.linear_model import LogisticRegression
        from sklearn.model_selection import train_test_split

        C = 1.0
        X, y = load_iris(return_X_y=True)
        X_tr, X_te, y_tr, y_te = train_test_split(X, y, random_state=0)
        with mlflow.start_run() as run:
            mlflow.log_params({"C": C})
            clf = LogisticRegression(C=C, max_iter=200)
            clf.fit(X_tr, y_tr)
            accuracy = clf.score(X_te, y_te)
            mlflow.log_metric("accuracy", accuracy)
            print(f"accuracy {accuracy:.3f}")
        client = MlflowClient()
        print(run.info.run_id, client.get_run(run.info.run_id).data.metrics)
    """,
    "track-wandb": """\
        import wandb
        from sklearn.datasets import load_iris
        from sklearn.linear_model import LogisticRegression
        from sklearn.model_selection import train_test_split

        C = 1.0
        run = wandb.init(config={"C": C})
        X, y = load_iris(return_X_y=True)
        X_tr, X_te, y_tr, y_te = train_test_split(X, y, random_state=0)
        clf = LogisticRegression(C=C, max_iter=200)
        clf.fit(X_tr, y_tr)
        accuracy = clf.score(X_te, y_te)
        run.log({"accuracy": accuracy})
        run.summary["accuracy"] = accuracy
        print(f"accuracy {accuracy:.3f}", run.config["C"], run.id)
        run.finish()
    """,
}


@pytest.mark.parametrize("task", sorted(CORRECT_EDITS))
def test_correct_edits_have_no_v3_errors(task):
    status, reasons = v3(SK_ORIGINAL, CORRECT_EDITS[task], task)
    assert status in ("pass", "warn"), reasons
    assert not [r for r in reasons if "does not exist" in r or "never imported" in r], reasons


def test_an_instance_attribute_that_does_not_exist_on_a_wandb_run_or_mlflow_client():
    candidate = textwrap.dedent(CORRECT_EDITS["track-wandb"]).replace("run.id)", "run.run_idd)")
    status, reasons = v3(SK_ORIGINAL, candidate, "track-wandb")
    assert status == "fail"
    assert reasons[0].startswith("line 15: `Run.run_idd` does not exist: `wandb.Run` objects")
    candidate = textwrap.dedent(CORRECT_EDITS["track-mlflow"]).replace(
        "client.get_run(", "client.get_runn("
    )
    status, reasons = v3(SK_ORIGINAL, candidate, "track-mlflow")
    assert status == "fail"
    assert reasons[0].startswith("line 18: `MlflowClient.get_runn` does not exist")
    assert "did you mean get_run" in reasons[0]


def test_names_the_original_already_left_unbound_are_not_blamed_on_the_edit():
    original = "import numpy as np\nprint(np.mean(DATA))\n"
    candidate = (
        "import mlflow\nimport numpy as np\nwith mlflow.start_run():\n    print(np.mean(DATA))\n"
    )
    assert new_unbound_names(original, candidate) == []


def test_a_star_import_or_exec_makes_the_unbound_check_stand_aside():
    original = "print(1)\n"
    assert new_unbound_names(original, "from os.path import *\nprint(join('a', 'b'))\n") == []
    assert new_unbound_names(original, "exec('x = 1')\nprint(x)\n") == []
    found = new_unbound_names(original, "print(1)\nprint(x)\n")
    assert [(u.name, u.line) for u in found] == [("x", 2)]


def test_names_bound_in_any_scope_or_by_any_statement_are_not_reported():
    code = textwrap.dedent(
        """\
        import os.path
        from json import dumps as to_json
        def f(a, *args, b=1, **kw):
            global G
            G = a
            try:
                pass
            except ValueError as err:
                print(err)
            return [i for i in args], lambda z: z, (w := 3), w
        class K:
            pass
        for i, (j, k) in enumerate([(1, 2)]):
            print(i, j, k, os.path, to_json, K, f, G, __file__)
        with open(__file__) as fh:
            print(fh)
        """
    )
    assert new_unbound_names("print(1)\n", code) == []


def test_attributes_an_object_sets_on_itself_are_confirmed_on_the_installed_class():
    from mlops_adapt.verify.api_reality import check_api_calls

    code = 'import wandb\nwandb.init()\nwandb.run.summary["acc"] = 1\nprint(wandb.run.sumary)\n'
    found = [(f.line, f.message) for f in check_api_calls(code, "wandb") if f.severity == "error"]
    assert found == [
        (4, "`wandb.run.sumary` does not exist: class `wandb.run` has no attribute `sumary`")
    ]


def test_an_unbound_package_name_is_not_mistaken_for_a_module_of_the_library():
    candidate = textwrap.dedent(SK_ORIGINAL) + "print(sklearn.__version__, copy.copy(C))\n"
    status, reasons = v3(SK_ORIGINAL, candidate, "register-mlflow")
    assert status == "fail"
    assert reasons == [
        "line 12: `copy` is used but never imported or assigned (NameError when run); add `import copy`",
        "line 12: `sklearn` is used but never imported or assigned (NameError when run); add `import sklearn`",
    ]


def test_a_deleted_assignment_is_not_blamed_on_a_missing_import_of_a_same_named_module():
    # `string` is also a stdlib module: the cause is the deleted line, not a missing import
    original = "string = 'a,b'\nparts = string.split(',')\nprint(parts)\n"
    candidate = "import mlflow\nparts = string.split(',')\nprint(parts)\n"
    status, reasons = v3(original, candidate, "track-mlflow")
    assert status == "fail"
    assert "`string` is used but no longer assigned" in reasons[0]
    assert "import string" not in reasons[0]
