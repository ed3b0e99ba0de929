"""Runs a notebook's code cells in order in one IPython shell, as a kernel would (magics included).

Usage: python run_notebook.py NOTEBOOK; exits 1 with the failing cell's index when one fails.
"""

import json
import sys

from IPython.core.interactiveshell import InteractiveShell


class Shell(InteractiveShell):
    """A terminal-less shell; `%matplotlib inline` asks for a GUI hook, which a kernel provides."""

    def enable_gui(self, gui=None):
        return None


def main(path: str) -> int:
    with open(path, encoding="utf-8") as handle:
        notebook = json.load(handle)
    shell = Shell.instance()
    for index, cell in enumerate(notebook["cells"]):
        if cell["cell_type"] != "code":
            continue
        source = cell["source"]
        result = shell.run_cell("".join(source) if isinstance(source, list) else source)
        if not result.success:
            print(f"cell {index} failed: {result.error_in_exec or result.error_before_exec!r}",
                  file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
