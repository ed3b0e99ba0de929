"""Jupyter notebooks (.ipynb, nbformat 4): their code cells adapted as one program, then put back."""

from mlops_adapt.notebook.adapt import (
    NotebookFile,
    adapt_notebook,
    cell_diff,
    engine_path,
    is_notebook,
    open_notebook,
    prepare,
)
from mlops_adapt.notebook.document import Notebook, NotebookError, load_notebook, parse_notebook
from mlops_adapt.notebook.program import (
    CellEdit,
    MappingError,
    Program,
    build_program,
    map_back,
    program_of,
)

__all__ = [
    "CellEdit", "MappingError", "Notebook", "NotebookError", "NotebookFile", "Program",
    "adapt_notebook", "build_program", "cell_diff", "engine_path", "is_notebook", "load_notebook",
    "map_back", "open_notebook", "parse_notebook", "prepare", "program_of",
]
