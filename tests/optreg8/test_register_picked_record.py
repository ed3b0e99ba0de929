"""register-mlflow on a sweep that keeps each model in a record beside its score (`records[k] = (model, score)`)
and then takes the winner's model out (`records[best][0]`): that model is registered once, where it is taken."""

from __future__ import annotations

import textwrap

from mlops_adapt.engine import adapt
from mlops_adapt.options import AdaptOptions
from mlops_adapt.results import Applied

RECORDS = """
    from sklearn.datasets import make_regression
    from sklearn.linear_model import Ridge

    X, y = make_regression(n_samples=200, n_features=6, noise=4.0, random_state=3)
    X_tr, X_va, y_tr, y_va = X[:150], X[150:], y[:150], y[150:]
    records = {}
    for alpha in (0.1, 1.0, 10.0):
        reg = Ridge(alpha=alpha).fit(X_tr, y_tr)
        records[alpha] = (reg, reg.score(X_va, y_va))
        print(f"alpha {alpha}: R2 {records[alpha][1]:.3f}")
    best_alpha = max(records, key=lambda a: records[a][1])
    reg = records[best_alpha][0]
    print("kept", best_alpha, round(reg.score(X_va, y_va), 3))
"""


def _code(source: str) -> str:
    result = adapt(textwrap.dedent(source), "register-mlflow",
                   AdaptOptions(backend="recipe", verify="static", path="sweep.py"))
    assert isinstance(result, Applied), result
    return result.code


def _next_line(code: str, line: str) -> str:
    lines = [x.strip() for x in code.splitlines() if x.strip()]
    return lines[lines.index(line) + 1]


def test_the_model_taken_out_of_the_winning_record_is_registered_once():
    code = _code(RECORDS)
    assert code.count("log_model(") == 1
    assert _next_line(code, "reg = records[best_alpha][0]").startswith("mlflow.sklearn.log_model(reg, ")


def test_a_record_used_inline_is_logged_by_its_model_place():
    source = RECORDS.replace("    reg = records[best_alpha][0]\n    print(\"kept\", best_alpha, round(reg.score(X_va, y_va), 3))\n",
                             "    print(\"kept\", best_alpha, round(records[best_alpha][0].score(X_va, y_va), 3))\n")
    code = _code(source)
    assert "log_model(records[best_alpha][0], " in code
    assert "log_model(records[best_alpha][1]" not in code and "log_model(records[best_alpha]," not in code
