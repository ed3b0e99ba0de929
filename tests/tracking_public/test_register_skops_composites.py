"""register-mlflow on scikit-learn composites that MLflow's skops format must be told to trust:
the trust list covers the library types the fitted model holds (Gaussian-process kernels, a
column selector by dtype, `object` among them), and a model that holds the script's own code is
refused with the reason instead of being written into the allow-list."""

from __future__ import annotations

import re
import textwrap

import pytest

from mlops_adapt.engine import adapt
from mlops_adapt.options import AdaptOptions
from mlops_adapt.results import Applied, Failed
from tests.core.runner import run_script


def _register(source: str):
    return adapt(textwrap.dedent(source), "register-mlflow",
                 AdaptOptions(backend="recipe", verify="static", path="comp.py"))


SELECTOR = """
    import numpy as np
    import pandas as pd
    from sklearn.compose import make_column_selector, make_column_transformer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import OneHotEncoder, StandardScaler

    rng = np.random.RandomState(0)
    frame = pd.DataFrame({"size": rng.rand(120), "colour": rng.choice(["red", "blue"], 120)})
    target = (frame["size"] > 0.5).astype(int)
    prep = make_column_transformer(
        (StandardScaler(), make_column_selector(dtype_include=np.number)),
        (OneHotEncoder(handle_unknown="ignore"), make_column_selector(dtype_include=object)),
    )
    pipe = make_pipeline(prep, LogisticRegression())
    pipe.fit(frame, target)
    print("probe: %.6f" % pipe.predict_proba(frame.iloc[:1])[0, 1])
"""

GP = """
    import numpy as np
    from sklearn.gaussian_process import GaussianProcessRegressor
    from sklearn.gaussian_process.kernels import RBF, ConstantKernel, WhiteKernel

    X = np.linspace(0, 5, 30).reshape(-1, 1)
    y = np.sin(X).ravel()
    kernel = ConstantKernel(1.0) * RBF(length_scale=1.0) + WhiteKernel(noise_level=0.1)
    gp = GaussianProcessRegressor(kernel=kernel, random_state=0)
    gp.fit(X, y)
    print("probe: %.6f" % gp.predict(np.array([[2.5]]))[0])
"""


def _trust_filter(code: str) -> str:
    line = next(x for x in code.splitlines() if "log_model(" in x)
    return line[line.index("skops_trusted_types="):]


def test_a_dtype_the_script_gives_a_column_selector_is_trusted_and_nothing_else_of_builtins():
    result = _register(SELECTOR)
    assert isinstance(result, Applied), result
    assert _trust_filter(result.code).endswith(
        'if t.split(".")[0] in installed or t in ("collections.OrderedDict", "functools.partial", "builtins.object")])')
    numeric_only = _register(SELECTOR.replace("dtype_include=object", 'dtype_include="category"'))
    assert "builtins." not in _trust_filter(numeric_only.code)


def test_a_gaussian_process_trusts_the_kernels_it_holds():
    result = _register(GP)
    assert isinstance(result, Applied), result
    assert _trust_filter(result.code).startswith(
        "skops_trusted_types=[t for installed in [importlib.metadata.packages_distributions()] "
        "for t in skops.io.get_untrusted_types(data=skops.io.dumps(gp))")


@pytest.mark.parametrize(
    "body, held",
    [
        ("""
        def shrink(X):
            return X / 10

        clf = make_pipeline(FunctionTransformer(shrink), LogisticRegression())
        """, "function `shrink`"),
        ("""
        clf = make_pipeline(FunctionTransformer(lambda X: X / 10), LogisticRegression())
        """, "a lambda"),
        ("""
        class Shrink(TransformerMixin, BaseEstimator):
            def fit(self, X, y=None):
                return self

            def transform(self, X):
                return X / 10

        steps = [Shrink(), LogisticRegression()]
        clf = make_pipeline(*steps)
        """, "class `Shrink`"),
    ],
)
def test_a_model_holding_the_scripts_own_code_is_refused_with_the_reason(body, held):
    source = """
        import numpy as np
        from sklearn.base import BaseEstimator, TransformerMixin
        from sklearn.datasets import load_iris
        from sklearn.linear_model import LogisticRegression
        from sklearn.pipeline import make_pipeline
        from sklearn.preprocessing import FunctionTransformer

        X, y = load_iris(return_X_y=True)
    """ + textwrap.indent(textwrap.dedent(body), "        ") + """
        clf.fit(X, y)
        print(clf.score(X, y))
    """
    result = _register(source)
    assert isinstance(result, Failed), result
    reasons = " ".join(result.reasons)
    assert f"holds the script's own code ({held})" in reasons and "cloudpickle" in reasons


def test_a_library_function_in_the_model_is_not_the_scripts_own_code():
    result = _register("""
        import numpy as np
        from sklearn.datasets import load_iris
        from sklearn.linear_model import LogisticRegression
        from sklearn.pipeline import make_pipeline
        from sklearn.preprocessing import FunctionTransformer

        X, y = load_iris(return_X_y=True)
        clf = make_pipeline(FunctionTransformer(np.log1p), LogisticRegression(max_iter=300))
        clf.fit(X, y)
    """)
    assert isinstance(result, Applied), result


@pytest.mark.slow
@pytest.mark.parametrize("source", [SELECTOR, GP], ids=["column-selector", "gaussian-process"])
def test_the_registered_composite_loads_and_predicts(tmp_path, source):
    import mlflow
    import numpy as np
    from mlflow.tracking import MlflowClient

    result = _register(source)
    assert isinstance(result, Applied), result
    run = run_script(result.code, tmp_path, timeout=600)
    assert run.returncode == 0, run.stderr[-3000:]
    client = MlflowClient(tracking_uri=run.tracking_uri, registry_uri=run.tracking_uri)
    [version] = client.search_model_versions("name='comp'")
    mlflow.set_tracking_uri(run.tracking_uri)
    mlflow.set_registry_uri(run.tracking_uri)
    # Loading through skops with the trust list the edit wrote: no pickle is allowed here.
    model = mlflow.sklearn.load_model(f"models:/comp/{version.version}")
    probe = float(re.search(r"^probe: (\S+)$", run.stdout, re.M).group(1))
    if source is GP:
        assert model.predict(np.array([[2.5]]))[0] == pytest.approx(probe, abs=1e-6)
    else:
        import pandas as pd

        rng = np.random.RandomState(0)
        frame = pd.DataFrame({"size": rng.rand(120), "colour": rng.choice(["red", "blue"], 120)})
        assert model.predict_proba(frame.iloc[:1])[0, 1] == pytest.approx(probe, abs=1e-6)
