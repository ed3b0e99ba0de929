"""Keep the working directory off sys.path, so a checkout being reviewed cannot shadow modules."""

# Imported first by every `python -m mlops_adapt...` entry point, before any other import:
# `-m` puts the working directory (for the PR bot, the pull request's checkout; for the
# language server, the editor's workspace) ahead of the standard library on sys.path, so a
# planted json.py or libcst.py would run inside the tool. Only sys and os are used here:
# both are loaded at interpreter start-up, so importing them cannot reach the checkout.
import os
import sys


def drop_working_directory() -> None:
    """Remove every sys.path entry that names the working directory ('' included).

    The interpreter's own `-m` entry and an empty PYTHONPATH segment both look the same (the
    absolute working directory), so all entries resolving to it go. Modules already imported,
    such as this package itself, keep working: their submodules load through `__path__`.

    One exception: when this package was itself imported from the working directory (a
    developer's source checkout), the entry stays. The tool's code already comes from there,
    and child processes (the language server's engine workers) must import the same copy.
    """
    try:
        cwd = os.path.realpath(os.getcwd())
    except OSError:  # a deleted working directory: nothing can be imported from it anyway
        sys.path[:] = [entry for entry in sys.path if entry]
        return
    own_root = os.path.dirname(os.path.dirname(os.path.realpath(__file__)))
    if own_root == cwd:
        return
    sys.path[:] = [entry for entry in sys.path
                   if entry and os.path.realpath(entry) != cwd]
