"""The observation hooks are a real module; generated tests carry its text, since they ship alone."""

import ast
import subprocess
import sys

import pytest

from mlops_adapt.options import AdaptOptions
from mlops_adapt.verify import sandbox, sandbox_hooks
from mlops_adapt.verify.testgen import generate_test

from ._support import REPO

HOOKS_FILE = REPO / "mlops_adapt" / "verify" / "sandbox_hooks.py"
EXPECTED = {"ok": True, "stdout": "accuracy 0.9\n", "error": "", "git_files": []}


def _assigned(source: str, name: str):
    for node in ast.parse(source).body:
        if isinstance(node, ast.Assign) and [t.id for t in node.targets] == [name]:
            return ast.literal_eval(node.value)
    raise AssertionError(f"{name} is not assigned")


def test_importing_the_hooks_module_installs_nothing():
    before = list(sys.meta_path)
    assert sandbox_hooks.__name__ == "mlops_adapt.verify.sandbox_hooks"
    assert sys.meta_path == before
    assert "'''" not in HOOKS_FILE.read_text()  # testgen wraps the text in r'''...'''


def test_the_sandbox_writes_the_hooks_module_as_sitecustomize(tmp_path):
    root, _script, _env = sandbox.make_sandbox("print(1)\n", root=tmp_path / "sandbox")
    assert (root / "hooks" / "sitecustomize.py").read_text() == HOOKS_FILE.read_text()


@pytest.mark.parametrize("task", ["track-mlflow", "track-wandb", "translate-gitpython-dvc"])
def test_a_generated_test_carries_the_hooks_text_after_the_runner(task):
    source = generate_test(
        "print('accuracy', 0.9)\n",
        "print('accuracy', 0.9)\n",
        task,
        AdaptOptions(path="train.py"),
        expected=EXPECTED,
    )
    assert _assigned(source, "HOOKS_SOURCE") == HOOKS_FILE.read_text()
    # The runner's own `HOOKS_SOURCE = None` comes first, so the text wins at run time.
    assert source.index("HOOKS_SOURCE: str | None = None") < source.index("HOOKS_SOURCE = r'''")
    imported = [
        alias.name if isinstance(node, ast.Import) else node.module
        for node in ast.walk(ast.parse(source))
        if isinstance(node, (ast.Import, ast.ImportFrom))
        for alias in node.names
    ]
    assert not [name for name in imported if name and name.startswith("mlops_adapt")]


def test_the_inlined_runner_writes_the_inlined_hooks(tmp_path):
    source = generate_test(
        "print('accuracy', 0.9)\n",
        "print('accuracy', 0.9)\n",
        "track-mlflow",
        AdaptOptions(path="train.py"),
        expected=EXPECTED,
    )
    test_file = tmp_path / "generated.py"
    test_file.write_text(source)
    probe = (
        "import importlib.util, sys\n"
        f"spec = importlib.util.spec_from_file_location('generated', {str(test_file)!r})\n"
        "module = importlib.util.module_from_spec(spec)\n"
        "sys.modules['generated'] = module\n"
        "spec.loader.exec_module(module)\n"
        f"root, _, _ = module.make_sandbox('print(1)', root=module.Path({str(tmp_path / 'sb')!r}))\n"
        "print((root / 'hooks' / 'sitecustomize.py').read_text() == module.HOOKS_SOURCE)\n"
    )
    # A separate interpreter that loads only the generated file, as the user's CI does.
    done = subprocess.run(
        [sys.executable, "-I", "-c", probe],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.stdout.strip() == "True", done.stderr
