"""Deep nesting and long expressions: analysis stays linear, and what it cannot take is a clear input error."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import libcst as cst
import pytest

from mlops_adapt.analysis.exprs import all_statements, nested_blocks
from mlops_adapt.analysis.hyperparams import statement_targets

REPO = Path(__file__).resolve().parents[2]

HEAD = (
    "import numpy as np\n"
    "from sklearn.linear_model import LogisticRegression\n"
    "X = np.zeros((8, 2))\n"
    "y = np.array([0, 1] * 4)\n"
)


def nested_ifs(depth: int) -> str:
    lines, indent = [HEAD.rstrip("\n")], ""
    for level in range(depth):
        lines.append(f"{indent}if X.shape[0] > {level}:")
        indent += "    "
    lines += [
        f"{indent}model = LogisticRegression(C=1.0)",
        f"{indent}model.fit(X, y)",
        f"{indent}accuracy = model.score(X, y)",
        f'{indent}print(f"accuracy: {{accuracy:.3f}}")',
    ]
    return "\n".join(lines) + "\n"


def long_sum(terms: int) -> str:
    total = " + ".join(f"a{i % 5}" for i in range(terms))
    constants = "".join(f"a{i} = {i}\n" for i in range(5))
    return HEAD + constants + f"total = {total}\n" + (
        "model = LogisticRegression(C=1.0)\nmodel.fit(X, y)\n"
        'accuracy = model.score(X, y)\nprint(f"accuracy: {accuracy:.3f}")\n'
    )


def cli(tmp_path: Path, task: str, source: str) -> subprocess.CompletedProcess:
    script = tmp_path / "train.py"
    script.write_text(source)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")])}
    return subprocess.run(
        [sys.executable, "-m", "mlops_adapt", "apply", task, str(script), "--backend", "recipe", "--verify", "static"],
        capture_output=True, text=True, env=env, cwd=tmp_path, timeout=600,
    )


@pytest.mark.timeout(600)
@pytest.mark.parametrize("task", ["track-mlflow", "hpo-optuna", "register-mlflow"])
def test_depth_40_nesting_is_adapted(tmp_path, task):
    run = cli(tmp_path, task, nested_ifs(40))
    assert run.returncode == 0, run.stderr
    assert "Traceback" not in run.stderr
    assert "+import " in run.stdout  # a real edit, not a skip


@pytest.mark.timeout(600)
@pytest.mark.parametrize("terms", [2_000, 20_000])
def test_long_sum_is_a_clear_input_error(tmp_path, terms):
    run = cli(tmp_path, "track-mlflow", long_sum(terms))
    assert run.returncode == 2, run.stderr
    assert "expression too deeply nested" in run.stderr
    assert "Traceback" not in run.stderr and "RecursionError" not in run.stderr
    assert (tmp_path / "train.py").read_text() == long_sum(terms)  # nothing written


@pytest.mark.timeout(600)
def test_a_sum_within_the_limit_is_adapted(tmp_path):
    run = cli(tmp_path, "track-mlflow", long_sum(150))
    assert run.returncode == 0, run.stderr
    assert any(line.startswith("+") and "mlflow.log_metric(" in line
               for line in run.stdout.splitlines())


def test_statement_walks_visit_each_statement_once():
    module = cst.parse_module(nested_ifs(60))
    statements = list(all_statements(module))
    # 4 head lines, 60 ifs, 4 statements in the innermost block: each listed once
    assert len(statements) == 4 + 60 + 4
    assert len({id(s) for s in statements}) == len(statements)
    assert len(list(nested_blocks(list(module.body)))) == 61
    outer_if = module.body[4]
    assert statement_targets(outer_if) == ["model", "accuracy"]


def test_all_statements_follow_source_order_through_every_branch():
    module = cst.parse_module(
        "try:\n    a = 1\nexcept E:\n    b = 2\nelse:\n    c = 3\nfinally:\n    d = 4\n"
        "if x:\n    e = 5\nelif y:\n    f = 6\nelse:\n    g = 7\n"
    )
    names = [
        stmt.body[0].targets[0].target.value
        for stmt in all_statements(module) if isinstance(stmt, cst.SimpleStatementLine)
    ]
    assert names == ["a", "b", "c", "d", "e", "f", "g"]  # the else after an elif included
