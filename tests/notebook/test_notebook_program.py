"""The notebook program: magics masked and restored, cell boundaries mapped back, layouts kept."""

from __future__ import annotations

import json

import pytest

from mlops_adapt.notebook import (
    MappingError,
    NotebookError,
    build_program,
    map_back,
    parse_notebook,
    program_of,
)
from mlops_adapt.notebook.document import detect_layout
from mlops_adapt.notebook.magics import mask_cell

from .support import NOTEBOOKS


def masked_lines(source: str) -> list[str]:
    return mask_cell(source, 0, 0)[0].splitlines()


def test_magics_and_shell_escapes_are_masked_and_python_is_not():
    source = (
        "%matplotlib inline\n"
        "!pip install --quiet x \\\n"
        "    y\n"
        "files = !ls\n"
        "model?\n"
        "total = (a\n"
        "         % b)\n"  # a modulo that continues an expression, not a magic
        'doc = """\n'
        "!not a shell escape inside a string\n"
        '"""\n'
        'print("why?")  # a question?\n'
        "if ready:\n"
        "    %time run()\n"
    )
    lines = masked_lines(source)
    magic = [n for n, line in enumerate(lines) if "<mlops-adapt magic" in line]
    assert magic == [0, 1, 2, 3, 4, 12]
    assert lines[12] == "    # <mlops-adapt magic 5>"  # keeps its indentation
    assert lines[6] == "         % b)" and lines[8] == "!not a shell escape inside a string"


def test_a_non_python_cell_magic_masks_its_whole_cell_a_python_one_only_its_first_line():
    assert all("magic" in line for line in masked_lines("%%bash\necho hi\nls"))
    assert masked_lines("%%time\nx = 1") == ["# <mlops-adapt magic 0>", "x = 1"]


@pytest.mark.parametrize("name", ["sk_wine.ipynb", "torch_mlp.ipynb"])
def test_an_unchanged_program_maps_back_to_no_change_and_the_file_round_trips(name):
    raw = (NOTEBOOKS / name).read_bytes()
    notebook = parse_notebook(raw, name)
    assert notebook.round_trips
    program = build_program(notebook)
    assert not map_back(program, program.text).changed
    assert notebook.encode(notebook.with_sources({}, {})) == raw


def test_inserted_lines_land_in_the_cell_they_are_in_and_keep_the_final_line_end_rule():
    program = program_of([(0, "import numpy as np"), (2, "x = np.ones(3)\ny = x * 2"),
                          (3, "print(y)")])
    edited = program.text.replace("import numpy as np\n", "import numpy as np\nimport mlflow\n")
    edited = edited.replace("y = x * 2\n", "y = x * 2\nmlflow.log_metric('y', y.sum())\n")
    edited += "mlflow.end_run()\n"
    edit = map_back(program, edited)
    assert edit.sources == {0: "import numpy as np\nimport mlflow",
                            2: "x = np.ones(3)\ny = x * 2\nmlflow.log_metric('y', y.sum())",
                            3: "print(y)\nmlflow.end_run()"}
    assert not edit.joined and not edit.new_cells


def test_code_after_a_shown_value_moves_to_the_next_cell_or_a_new_last_cell():
    program = program_of([(0, "model.fit(X, y)"), (1, "%%time\nscore = model.score(X, y)"),
                          (2, "score")])
    edited = program.text.replace("model.fit(X, y)\n", "model.fit(X, y)\nlog(model)\n")
    edited += "end()\n"
    edit = map_back(program, edited)
    assert edit.sources == {1: "%%time\nlog(model)\nscore = model.score(X, y)"}
    assert edit.new_cells == {2: "end()"}


def test_a_block_across_cells_joins_them_and_code_above_it_keeps_its_cell():
    program = program_of([(0, "import os"), (1, "a = 1"), (3, "b = a + 1"), (4, "print(b)")])
    edited = ("# %% [mlops-adapt cell 0]\nimport os\n# %% [mlops-adapt cell 1]\na = 1\n"
              "def run():\n    global b\n    # %% [mlops-adapt cell 3]\n    b = a + 1\n"
              "    # %% [mlops-adapt cell 4]\n    print(b)\nrun()\n")
    edit = map_back(program, edited)
    assert edit.joined == {3: [4]}
    assert edit.sources[3] == "def run():\n    global b\n    b = a + 1\n    print(b)\nrun()"
    assert 1 not in edit.sources  # `a = 1` stays alone in its cell


def test_code_moved_above_an_earlier_cell_joins_the_cells_it_crossed():
    program = program_of([(0, "import os"), (1, "a = 1"), (2, "class B:\n    pass"),
                          (3, "print(a)")])
    # the edit hoists cell 2's class above cell 1's code (as hpo-optuna does with definitions)
    edited = ("# %% [mlops-adapt cell 0]\nimport os\n# %% [mlops-adapt cell 2]\n"
              "class B:\n    pass\n# %% [mlops-adapt cell 1]\na = 1\n"
              "# %% [mlops-adapt cell 3]\nprint(a)\n")
    edit = map_back(program, edited)
    assert edit.joined == {1: [2]}
    assert edit.sources == {1: "class B:\n    pass\na = 1"}


@pytest.mark.parametrize(
    "change, reason",
    [
        (lambda t: t.replace("# %% [mlops-adapt cell 2]\n", ""), "cell boundaries"),
        (lambda t: t.replace("# <mlops-adapt magic 0>\n", ""), "moved or removed an IPython magic"),
        (lambda t: t.replace("# <mlops-adapt magic 0>\nimport os\n", "import os\n")
         + "# <mlops-adapt magic 0>\n", "moved or removed an IPython magic"),
        (lambda t: t.replace("# <mlops-adapt magic 1>\nx = 1",
                             "with timer():\n    # <mlops-adapt magic 1>\n    x = 1"),
         "cell magic"),
    ],
    ids=["boundary-removed", "magic-removed", "magic-moved-to-another-cell", "cell-magic-indented"],
)
def test_edits_the_cells_cannot_hold_are_refused(change, reason):
    program = program_of([(0, "%matplotlib inline\nimport os"), (2, "%%time\nx = 1")])
    with pytest.raises(MappingError, match=reason):
        map_back(program, change(program.text))


def test_code_put_into_a_shell_cell_is_refused():
    program = program_of([(0, "import os"), (1, "%%bash\necho hi")])
    with pytest.raises(MappingError, match="cell 1"):
        map_back(program, program.text + "os.getcwd()\n")


@pytest.mark.parametrize("indent, ensure_ascii", [(1, False), (2, False), ("\t", False),
                                                  (None, False), (1, True)])
def test_other_json_layouts_are_detected_and_kept(indent, ensure_ascii):
    data = {"cells": [{"cell_type": "code", "execution_count": 1, "metadata": {},
                       "outputs": [], "source": ["x = 'é'\n", "print(x)"]}],
            "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    raw = json.dumps(data, indent=indent, ensure_ascii=ensure_ascii).encode()
    layout = detect_layout(raw.decode())
    assert (layout.indent, layout.ensure_ascii, layout.trailing_newline) == (
        indent, ensure_ascii, False)
    assert parse_notebook(raw, "x.ipynb").round_trips


def test_a_cell_holding_our_own_marker_is_an_input_error():
    raw = json.dumps({"cells": [{"cell_type": "code", "metadata": {}, "outputs": [],
                                 "source": ["# %% [mlops-adapt cell 9]\n", "x = 1"]}],
                      "metadata": {}, "nbformat": 4, "nbformat_minor": 5}).encode()
    from mlops_adapt.notebook import prepare

    with pytest.raises(NotebookError, match="x.ipynb: cell 0 contains mlops-adapt's own"):
        prepare(parse_notebook(raw, "x.ipynb"))


def test_windows_line_ends_and_a_bom_are_kept():
    raw = (NOTEBOOKS / "sk_wine.ipynb").read_bytes()
    windows = b"\xef\xbb\xbf" + raw.replace(b"\n", b"\r\n")
    notebook = parse_notebook(windows, "w.ipynb")
    assert notebook.round_trips
    program = build_program(notebook)
    edited = program.text.replace("SEED = 0\n", "SEED = 0\nDEBUG = False\n")
    edit = map_back(program, edited)
    out = notebook.encode(notebook.with_sources(edit.sources, edit.joined, edit.new_cells))
    assert out.startswith(b"\xef\xbb\xbf") and b"\r\n" in out and b"\n" not in out.replace(b"\r\n", b"")
    assert json.loads(out.decode("utf-8-sig"))["cells"][2]["source"][-1] == "DEBUG = False"
