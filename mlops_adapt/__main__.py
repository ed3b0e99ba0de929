"""Entry point for `python -m mlops_adapt`."""

from mlops_adapt.cli import main

raise SystemExit(main())
