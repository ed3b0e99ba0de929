"""Entry point for `python -m mlops_adapt.review`, the same options as `mlops-adapt review`."""

from mlops_adapt.safe_path import drop_working_directory

drop_working_directory()  # before any other import: the cwd is the pull request's checkout

import argparse

from mlops_adapt.review.cli import add_review_arguments, run_review

parser = argparse.ArgumentParser(prog="python -m mlops_adapt.review",
                                 description="Suggest verified edits for a pull request.")
add_review_arguments(parser)
raise SystemExit(run_review(parser.parse_args()))
