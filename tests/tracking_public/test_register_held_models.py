"""register-mlflow on models not held in a plain local name: the model the script keeps is the
one registered (once), and where the recipe cannot name it, it refuses with the reason."""

from __future__ import annotations

import re
import textwrap

import pytest

from mlops_adapt.engine import adapt
from mlops_adapt.options import AdaptOptions
from mlops_adapt.results import Applied, Failed
from tests.core.runner import run_script

HEAD = """
from sklearn.datasets import load_iris
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.neighbors import KNeighborsClassifier

X, y = load_iris(return_X_y=True)
"""


def _register(body: str):
    source = textwrap.dedent(HEAD) + textwrap.dedent(body)
    return source, adapt(source, "register-mlflow", AdaptOptions(backend="recipe", verify="static", path="held.py"))


def _log_lines(code: str) -> list[str]:
    """The log_model lines, without the skops trust list (tested on its own in test_register_serialization)."""
    lines = [line.strip() for line in code.splitlines() if ".log_model(" in line]
    return [re.sub(r", skops_trusted_types=.*\)$", ")", line) for line in lines]


def test_a_model_built_and_fitted_in_one_expression_is_registered_after_it():
    _, result = _register("""
        for seed in (0, 1):
            scout = LogisticRegression(max_iter=300, random_state=seed).fit(X, y)
            print(scout.score(X, y))
        final = LogisticRegression(max_iter=300).fit(X[:100], y[:100])
        print(final.score(X, y))
    """)
    assert isinstance(result, Applied), result
    # The final fit after the loop, not the per-seed model the loop's block holds.
    assert _log_lines(result.code) == [
        'mlflow.sklearn.log_model(final, name="model", registered_model_name="held")']
    assert "    final = LogisticRegression(max_iter=300).fit(X[:100], y[:100])\n    mlflow.sklearn.log_model(final" \
        in result.code  # inside the run, right after the fit


def test_the_element_a_sweep_takes_out_of_its_dict_is_registered_once():
    _, result = _register("""
        models = {"lr": LogisticRegression(max_iter=300), "rf": RandomForestClassifier(n_estimators=5)}
        fitted, scores = {}, {}
        for name, model in models.items():
            model.fit(X, y)
            fitted[name] = model
            scores[name] = model.score(X, y)
        best_name = max(scores, key=scores.get)
        print(fitted[best_name])
    """)
    assert isinstance(result, Applied), result
    assert _log_lines(result.code) == [
        'mlflow.sklearn.log_model(fitted[best_name], name="model", registered_model_name="held")']
    assert result.code.index("print(fitted[best_name])") < result.code.index("log_model(")


def test_looking_at_one_element_by_a_fixed_key_is_not_choosing_it():
    _, result = _register("""
        fitted = []
        for k in (1, 3, 5):
            knn = KNeighborsClassifier(n_neighbors=k)
            knn.fit(X, y)
            fitted.append(knn)
        print(fitted[0].n_neighbors)
    """)
    assert isinstance(result, Failed), result  # no kept best: registering one of them would be arbitrary
    assert "keeps none as the best" in " ".join(result.reasons)


def test_the_best_of_a_list_of_fitted_models_is_registered():
    _, result = _register("""
        fitted = []
        for k in (1, 3, 5):
            knn = KNeighborsClassifier(n_neighbors=k)
            knn.fit(X, y)
            fitted.append(knn)
        best = max(fitted, key=lambda m: m.score(X, y))
    """)
    assert isinstance(result, Applied), result
    assert _log_lines(result.code) == [
        'mlflow.sklearn.log_model(best, name="model", registered_model_name="held")']


def test_a_model_in_an_attribute_of_a_namespace_is_registered():
    _, result = _register("""
        from types import SimpleNamespace

        state = SimpleNamespace()
        state.model = LogisticRegression(max_iter=300)
        state.model.fit(X, y)
    """)
    assert isinstance(result, Applied), result
    assert _log_lines(result.code) == [
        'mlflow.sklearn.log_model(state.model, name="model", registered_model_name="held")']


def test_a_trainer_function_called_in_a_sweep_registers_the_kept_result_not_each_call():
    _, result = _register("""
        def train(C):
            clf = LogisticRegression(C=C, max_iter=300)
            clf.fit(X, y)
            return clf


        best_model, best_acc = None, -1.0
        for C in (0.1, 1.0):
            model = train(C)
            acc = model.score(X, y)
            if acc > best_acc:
                best_model, best_acc = model, acc
        print(best_acc)
    """)
    assert isinstance(result, Applied), result
    assert _log_lines(result.code) == [
        'mlflow.sklearn.log_model(best_model, name="model", registered_model_name="held")']
    train = result.code[result.code.index("def train"):result.code.index("return clf")]
    assert "mlflow" not in train


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ("""
        import joblib

        joblib.dump(RandomForestClassifier(n_estimators=5).fit(X, y), "rf.joblib")
        """, "trained inline (`RandomForestClassifier(n_estimators=5).fit(X, y)`) and never kept in a name"),
        ("""
        models = {"lr": LogisticRegression(max_iter=300), "rf": RandomForestClassifier(n_estimators=5)}
        models["rf"].fit(X, y)
        """, 'an element of a collection (`models["rf"]`)'),
        ("""
        def run(seed):
            forest = RandomForestClassifier(n_estimators=5, random_state=seed)
            forest.fit(X, y)
            return forest.score(X, y)


        print([run(seed) for seed in (0, 1, 2)])
        """, "`run()` builds and trains a new `forest` on each call and is called in a loop"),
    ],
)
def test_a_model_the_recipe_cannot_name_is_refused_with_the_reason(body, reason):
    _, result = _register(body)
    assert isinstance(result, Failed), result
    assert reason in " ".join(result.reasons), result.reasons


@pytest.mark.slow
def test_the_kept_element_of_a_dict_sweep_is_the_one_registered_version(tmp_path):
    """Run for real against a sqlite MLflow store: one version, and it is the best model."""
    import mlflow
    from mlflow.tracking import MlflowClient

    _, result = _register("""
        models = {"lr": LogisticRegression(max_iter=300), "tiny_knn": KNeighborsClassifier(n_neighbors=60)}
        fitted, scores = {}, {}
        for name, model in models.items():
            model.fit(X, y)
            fitted[name] = model
            scores[name] = model.score(X, y)
        best_name = max(scores, key=scores.get)
        best_model = fitted[best_name]
        print("best", best_name)
    """)
    assert isinstance(result, Applied), result
    run = run_script(result.code, tmp_path)
    assert run.returncode == 0, run.stderr[-3000:]
    assert "best lr" in run.stdout
    client = MlflowClient(tracking_uri=run.tracking_uri, registry_uri=run.tracking_uri)
    versions = client.search_model_versions("name='held'")
    assert len(versions) == 1
    mlflow.set_tracking_uri(run.tracking_uri)
    mlflow.set_registry_uri(run.tracking_uri)
    loaded = mlflow.sklearn.load_model("models:/held/1")
    assert type(loaded).__name__ == "LogisticRegression"
