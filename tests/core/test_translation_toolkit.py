"""The translation toolkit: helper libraries from real modules, statement expansion, injection."""

from __future__ import annotations

import ast
import textwrap
from pathlib import Path

import libcst as cst
import pytest

from mlops_adapt.transforms.base import Unsupported
from mlops_adapt.transforms.translation import (
    HelperLibrary,
    NeededImport,
    StatementExpander,
    all_names,
    defined_functions,
    helper_block,
    insert_after_imports,
    renamed,
)

RUNTIME = '''
"""A runtime module for the tests."""

from __future__ import annotations

import os.path
import xml.etree.ElementTree
from json import dumps

LIMIT = 3


def first(path):
    return os.path.basename(path)[:LIMIT]  # noqa: XYZ123


def second(path):
    """Calls `first`, defined above it."""
    return dumps(first(path))


def third(node):
    return xml.etree.ElementTree.tostring(node), second("a"), first("b")  # keep  # noqa: E501
'''


def _library(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, text: str, **options):
    package = tmp_path / f"toolkit_{name}"  # a package of its own: sys.modules keeps packages
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "runtime.py").write_text(textwrap.dedent(text))
    monkeypatch.syspath_prepend(str(tmp_path))
    library = HelperLibrary(f"toolkit_{name}.runtime", **options)
    assert library.names is not None  # reads the module now, while sys.path holds tmp_path
    return library


def test_library_reads_functions_their_calls_imports_and_constants(tmp_path, monkeypatch) -> None:
    library = _library(tmp_path, monkeypatch, "runtime_ok", RUNTIME)
    assert library.names == {"first", "second", "third"}
    # Callees first; the ones a helper calls in the order the module defines them.
    assert library.closure({"third"}) == ["first", "second", "third"]
    assert library.closure({"second", "first"}) == ["first", "second"]
    assert library.imports({"first"}) == {NeededImport("os.path")}
    assert library.imports({"third"}) == {
        NeededImport("os.path"),
        NeededImport("json", "dumps"),
        NeededImport("xml.etree.ElementTree"),
    }
    assert library.constants({"second"}) == {"LIMIT"}
    assert library.constants({"third"}) == {"LIMIT"}


def test_library_source_is_the_module_text_without_noqa_markers(tmp_path, monkeypatch) -> None:
    library = _library(tmp_path, monkeypatch, "runtime_text", RUNTIME)
    source = library.source({"second"})
    assert source == (
        "def first(path):\n"
        "    return os.path.basename(path)[:LIMIT]\n"
        "\n\n"
        "def second(path):\n"
        '    """Calls `first`, defined above it."""\n'
        "    return dumps(first(path))\n"
    )
    third = library.source({"third"}).splitlines()[-1]
    assert third.endswith('first("b")  # keep')  # the comment stays, the marker goes
    ast.parse(library.source(library.names))


def test_library_refuses_helpers_it_cannot_copy(tmp_path, monkeypatch) -> None:
    missing = "import os.path\n\n\ndef f():\n    return os.environ\n"
    with pytest.raises(ValueError, match="uses os.environ, which no import of its module provides"):
        _library(tmp_path, monkeypatch, "runtime_missing", missing)
    ours = "from mlops_adapt import vocabulary\n\n\ndef f():\n    return vocabulary\n"
    with pytest.raises(ValueError, match="cannot need mlops_adapt"):
        _library(tmp_path, monkeypatch, "runtime_ours", ours)
    aliased = "import numpy as np\n\n\ndef f():\n    return np\n"
    with pytest.raises(ValueError, match="cannot be copied"):
        _library(tmp_path, monkeypatch, "runtime_alias", aliased)


def test_summaries_only_copies_keep_the_docstring_summary_line(tmp_path, monkeypatch) -> None:
    text = '''
        def long_doc(x):
            """Double x.

            Details for the maintainers of the runtime module.
            """
            return 2 * x


        def no_summary(x):
            """Triple x, a first sentence that
            runs over two lines."""
            return 3 * x
        '''
    library = _library(tmp_path, monkeypatch, "summaries", text, summaries_only=True)
    assert library.helpers["long_doc"].source == 'def long_doc(x):\n    """Double x."""\n    return 2 * x\n'
    assert "runs over two lines" in library.helpers["no_summary"].source  # no PEP 257 summary: kept whole
    full = _library(tmp_path, monkeypatch, "summaries_full", text)
    assert "Details for the maintainers" in full.helpers["long_doc"].source


def test_dvc_runtime_helpers_are_copied_verbatim_and_need_nothing_from_mlops_adapt() -> None:
    from mlops_adapt.tasks.translate_gitpython_dvc import runtime
    from mlops_adapt.tasks.translate_gitpython_dvc.recipe import HELPERS

    text = Path(runtime.__file__).read_text()
    for name in HELPERS.names:
        source = HELPERS.source({name}).split("\n\n\n")[-1]  # the helper itself comes last
        undecorated = "\n".join(line for line in source.splitlines() if not line.startswith("@"))
        assert undecorated.startswith(f"def {name}(")
        # Verbatim, but for the docstring's details (the copy keeps its summary line).
        lines = [line for line in source.splitlines() if '"""' not in line]
        assert all(line.replace("  # noqa: FURB188", "") in text.replace("  # noqa: FURB188", "") for line in lines)
        summary = next(line for line in source.splitlines() if '"""' in line).rstrip('"')
        assert summary in text
        assert "noqa" not in source
    modules = {imp.module.split(".")[0] for imp in HELPERS.imports(HELPERS.names)}
    assert modules == {
        "copy", "dvc", "fnmatch", "functools", "git", "glob", "io", "os", "re", "shutil", "sys", "tempfile", "types",
    }


class _AroundLog(StatementExpander):
    """A toy translation: `log(x)` gets `setup()` before its statement and `flush()` after it."""

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        if isinstance(original_node.func, cst.Name) and original_node.func.value == "log":
            self.need_statement("a log call")
            self.add_before(cst.Expr(cst.Call(self.use("setup"))))
            self.add_after(cst.Expr(cst.Call(self.use("flush"))))
            return updated_node.with_changes(func=self.use("record"))
        return updated_node


def _expand(source: str) -> tuple[str, set[str]]:
    expander = _AroundLog()
    code = cst.parse_module(textwrap.dedent(source)).visit(expander).code
    return code, expander.used


def test_statement_expansion_keeps_comments_and_indentation() -> None:
    code, used = _expand(
        """
        def run():
            x = 1
            # log the value
            log(x)  # once
            y = 2
        """
    )
    assert code == textwrap.dedent(
        """
        def run():
            x = 1
            # log the value
            setup()
            record(x)  # once
            flush()
            y = 2
        """
    )
    assert used == {"setup", "record", "flush"}


def test_statement_expansion_splits_semicolon_lines_and_keeps_one_line_suites() -> None:
    code, _ = _expand("a = 1; log(a)\nif a: log(a); b = 2\n")
    assert code == "a = 1\nsetup()\nrecord(a)\nflush()\nif a: setup(); record(a); flush(); b = 2\n"


def test_statement_expansion_refuses_a_condition() -> None:
    with pytest.raises(Unsupported, match="a log call inside a condition"):
        _expand("if log(1):\n    pass\n")
    code, used = _expand("x = 1\n")
    assert code == "x = 1\n" and used == set()


def test_helpers_go_after_the_docstring_and_imports() -> None:
    tree = cst.parse_module(
        '"""Doc."""\nimport os\ntry:\n    import yaml\nexcept ImportError:\n    yaml = None\n'
        "# the main part\nprint(os.sep)\n"
    )
    block = helper_block("# helpers\nLIMIT = 1\n\n\ndef helper():\n    return LIMIT\n")
    assert insert_after_imports(tree, block).code == (
        '"""Doc."""\nimport os\ntry:\n    import yaml\nexcept ImportError:\n    yaml = None\n'
        "\n\n# helpers\nLIMIT = 1\n\n\ndef helper():\n    return LIMIT\n"
        "\n\n# the main part\nprint(os.sep)\n"
    )


def test_helpers_open_a_module_without_imports() -> None:
    tree = cst.parse_module("print(1)\n")
    block = helper_block("def helper():\n    return 1\n")
    assert insert_after_imports(tree, block).code == "def helper():\n    return 1\n\n\nprint(1)\n"


def test_names_for_skips_and_clashes() -> None:
    tree = cst.parse_module("import os\n\n\ndef helper():\n    return os.sep\n\n\nx = helper()\n")
    assert defined_functions(tree) == {"helper"}
    assert all_names(tree) == {"os", "helper", "sep", "x"}


def test_renamed_renames_a_copied_helper_and_its_uses() -> None:
    function = cst.parse_statement("def size(model):\n    return size(model.child)\n")
    assert cst.Module([renamed(function, {"size": "size_2"})]).code == (
        "def size_2(model):\n    return size_2(model.child)\n"
    )
