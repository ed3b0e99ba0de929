"""Entry point for `python -m mlops_adapt.server`."""

from mlops_adapt.safe_path import drop_working_directory

drop_working_directory()  # before any other import: the cwd is the editor's workspace

import sys

from mlops_adapt.server import main

raise SystemExit(main(sys.argv[1:]))
