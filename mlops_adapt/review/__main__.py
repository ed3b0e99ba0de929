"""Entry point for `python -m mlops_adapt.review`, the same options as `mlops-adapt review`."""

import argparse

from mlops_adapt.review.cli import add_review_arguments, run_review

parser = argparse.ArgumentParser(prog="python -m mlops_adapt.review",
                                 description="Suggest verified edits for a pull request.")
add_review_arguments(parser)
raise SystemExit(run_review(parser.parse_args()))
