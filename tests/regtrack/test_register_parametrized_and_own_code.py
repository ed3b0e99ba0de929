"""register-mlflow on a torch net with parametrized (weight-normed) layers, which torch pickles only through
its state_dict, and on a scikit-learn model holding the script's own function: refused unless the user
trusts that code (`--option own_code=cloudpickle`)."""

from __future__ import annotations

import textwrap

import pytest

from mlops_adapt.engine import adapt
from mlops_adapt.options import AdaptOptions
from mlops_adapt.results import Applied

WEIGHT_NORMED = """
    import torch
    from torch import nn
    from torch.nn.utils.parametrizations import weight_norm

    torch.manual_seed(2)
    xs = torch.randn(256, 3, 10)
    ys = xs.mean(dim=(1, 2)).unsqueeze(1)
    net = nn.Sequential(weight_norm(nn.Conv1d(3, 6, 3)), nn.ReLU(), nn.Flatten(), weight_norm(nn.Linear(48, 1)))
    opt = torch.optim.Adam(net.parameters(), lr=0.01)
    for step in range(30):
        opt.zero_grad()
        loss = nn.functional.mse_loss(net(xs), ys)
        loss.backward()
        opt.step()
    torch.save(net.state_dict(), "wn.pt")
    with torch.no_grad():
        print("first prediction", round(net(xs[:1]).item(), 4))
"""

OWN_SCORER = """
    import joblib
    from sklearn.datasets import make_classification
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import make_scorer
    from sklearn.model_selection import GridSearchCV


    def missed_positives(y, y_pred):
        return -int(((y == 1) & (y_pred == 0)).sum())


    X, y = make_classification(n_samples=240, n_features=6, random_state=4)
    scorer = make_scorer(missed_positives)
    search = GridSearchCV(LogisticRegression(max_iter=500), {"C": [0.1, 1.0]}, scoring=scorer, cv=3)
    search.fit(X, y)
    print("best C", search.best_params_["C"])
    joblib.dump(search, "search.joblib")
"""

# The script's own function inside the model itself (the scorer above stays with the search).
OWN_TRANSFORM = """
    import numpy as np
    from sklearn.datasets import make_regression
    from sklearn.linear_model import Ridge
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import FunctionTransformer


    def signed_sqrt(a):
        return np.sign(a) * np.sqrt(np.abs(a))


    X, y = make_regression(n_samples=200, n_features=4, noise=2.0, random_state=6)
    model = make_pipeline(FunctionTransformer(signed_sqrt), Ridge(alpha=0.5))
    model.fit(X, y)
    print("r2", round(model.score(X, y), 4))
"""


def _adapt(source: str, verify: str = "static", **task_options: str):
    options = AdaptOptions(backend="recipe", verify=verify, path="shape.py", timeout=400, task_options=task_options)
    return adapt(textwrap.dedent(source), "register-mlflow", options)


def test_a_parametrized_net_is_registered_as_a_folded_copy():
    result = _adapt(WEIGHT_NORMED)
    assert isinstance(result, Applied), result
    code = result.code
    assert "net_plain = copy.deepcopy(net).eval()\n" in code
    assert "torch.nn.utils.parametrize.remove_parametrizations(plain_layer, plain_tensor, leave_parametrized=True)" in code
    # The copy's layer gets its own class: removing a parametrization deletes a property of the class.
    assert code.index("plain_layer.__class__ = type(") < code.index("remove_parametrizations(")
    assert 'mlflow.pytorch.log_model(net_plain, name="model"' in code
    assert "log_model(net," not in code


def test_a_plain_torch_net_is_logged_itself():
    plain = WEIGHT_NORMED.replace("from torch.nn.utils.parametrizations import weight_norm\n", "").replace(
        "weight_norm(nn.Conv1d(3, 6, 3))", "nn.Conv1d(3, 6, 3)").replace("weight_norm(nn.Linear(48, 1))", "nn.Linear(48, 1)")
    result = _adapt(plain)
    assert isinstance(result, Applied), result
    assert "log_model(net," in result.code and "_plain" not in result.code


def test_a_searchs_own_scorer_does_not_stop_its_best_estimator_from_being_registered():
    """The search's `scoring=` stays with the search: its best_estimator_ (a LogisticRegression) holds
    no code of the script, so it is saved with skops, no pickle."""
    result = _adapt(OWN_SCORER)
    assert isinstance(result, Applied), result
    assert "log_model(search.best_estimator_," in result.code and "cloudpickle" not in result.code


def test_a_model_holding_the_scripts_own_function_is_refused_with_the_way_to_trust_it():
    result = _adapt(OWN_TRANSFORM)
    assert not isinstance(result, Applied)
    reason = " ".join(result.reasons)
    assert "signed_sqrt" in reason and "--option own_code=cloudpickle" in reason


def test_trusted_own_code_is_registered_with_cloudpickle():
    result = _adapt(OWN_TRANSFORM, own_code="cloudpickle")
    assert isinstance(result, Applied), result
    assert ('mlflow.sklearn.log_model(model, name="model", registered_model_name="shape", '
            'serialization_format="cloudpickle")') in result.code


def test_an_unknown_own_code_choice_is_refused():
    result = _adapt(OWN_TRANSFORM, own_code="pickle")
    assert not isinstance(result, Applied)
    assert "own_code must be refuse or cloudpickle" in " ".join(result.reasons)


@pytest.mark.slow
def test_the_folded_net_registers_loads_and_the_trained_net_still_predicts():
    """V5: the script exits cleanly (it predicts with the trained net after the registration, which the
    shared parametrized class would have broken) and the registered version loads with mlflow.pytorch."""
    result = _adapt(WEIGHT_NORMED.replace('    torch.save(net.state_dict(), "wn.pt")\n', ""), verify="run")
    assert isinstance(result, Applied), result
    assert result.report.ok, result.report.failures
