"""Entry point for `python -m mlops_adapt`."""

from mlops_adapt.safe_path import drop_working_directory

drop_working_directory()  # before any other import: the cwd may be a checkout under review

from mlops_adapt.cli import main

raise SystemExit(main())
