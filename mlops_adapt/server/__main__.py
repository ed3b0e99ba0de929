"""Entry point for `python -m mlops_adapt.server`."""

import sys

from mlops_adapt.server import main

raise SystemExit(main(sys.argv[1:]))
