"""The `review` subcommand: diff -> engine -> suggestions, printed as github/rdjson/sarif or posted."""

from __future__ import annotations

import argparse
import json
import os
import sys

from mlops_adapt import __version__
from mlops_adapt.options import AdaptOptions
from mlops_adapt.tasks import TASKS

EXIT_OK, EXIT_INPUT, EXIT_GITHUB = 0, 2, 4
FORMATS = ("github", "rdjson", "sarif")
# Credentials whose presence forbids executing pull-request code (V5) in the same process.
SECRET_VARIABLES = ("GITHUB_TOKEN", "GH_TOKEN", "ACTIONS_RUNTIME_TOKEN", "ACTIONS_ID_TOKEN_REQUEST_TOKEN")


def add_review_arguments(parser: argparse.ArgumentParser) -> None:
    """The review options, shared by `mlops-adapt review` and `python -m mlops_adapt.review`."""
    parser.add_argument("--base", required=True, metavar="REF", help="the pull request's base ref")
    parser.add_argument("--head", default="HEAD", metavar="REF", help="the head ref (default HEAD)")
    parser.add_argument("--task", action="append", default=[], metavar="T", choices=list(TASKS),
                        help="required task; repeatable (default: [tool.mlops-adapt.review] tasks)")
    parser.add_argument("--format", choices=FORMATS, default="github", help="output format")
    parser.add_argument("--post", action="store_true",
                        help="post one review through the GitHub REST API (GITHUB_* variables)")
    parser.add_argument("--unsafe", action="store_true", help="also suggest edits labelled unsafe")
    parser.add_argument("--repo", default=".", metavar="DIR", help="the git repository (default .)")
    parser.add_argument("--backend", choices=["auto", "recipe", "llm"], default=None,
                        help="engine backend (default: the review table's, else auto)")
    parser.add_argument("--verify", choices=["static", "run"], default="static",
                        help="'run' executes pull-request code (V5); refused when secrets are set")


def add_review_command(subparsers) -> argparse.ArgumentParser:
    """Register `review` on an argparse subparsers object (called by mlops_adapt.cli)."""
    parser = subparsers.add_parser(
        "review", help="suggest verified edits for a pull request's training scripts",
        description="Find the training scripts a pull request changed, and suggest verified "
                    "edits for the capabilities they lack (see docs/review.md).")
    add_review_arguments(parser)
    parser.set_defaults(handler=run_review)
    return parser


def run_review(args: argparse.Namespace) -> int:
    """Run the review; exit 0 when done (with or without suggestions), 2 on bad input, 4 on GitHub errors."""
    from mlops_adapt.review.config import ConfigError
    from mlops_adapt.review.gitdiff import GitError
    from mlops_adapt.review.github_api import GitHubError, GitHubSetupError

    try:
        return _run(args)
    except (GitError, ConfigError) as err:
        print(f"mlops-adapt review: {err}", file=sys.stderr)
        return EXIT_INPUT
    except GitHubError as err:
        print(f"mlops-adapt review: {err} Nothing was posted.", file=sys.stderr)
        return EXIT_INPUT if isinstance(err, GitHubSetupError) else EXIT_GITHUB


def _run(args: argparse.Namespace) -> int:
    from mlops_adapt.review.config import load_config
    from mlops_adapt.review.findings import collect_edits
    from mlops_adapt.review.gitdiff import changed_files, merge_base, resolve_commit
    from mlops_adapt.review.github_api import post_review, pull_request_from_env
    from mlops_adapt.review.render_github import build_review
    from mlops_adapt.review.suggestions import plan_file

    if args.verify == "run" and (args.post or any(os.environ.get(v) for v in SECRET_VARIABLES)):
        print("mlops-adapt review: --verify run executes the pull request's code and is refused "
              "while a token is present (--post or GITHUB_TOKEN/GH_TOKEN/ACTIONS_* set); "
              "run it in a separate job without secrets (docs/review.md).", file=sys.stderr)
        return EXIT_INPUT
    repo = args.repo
    base = resolve_commit(repo, args.base)
    head = resolve_commit(repo, args.head)
    config = load_config(repo, base)
    tasks = tuple(dict.fromkeys(args.task)) or config.tasks
    pull = pull_request_from_env() if args.post else None
    if pull is not None and pull.head_sha and pull.head_sha != head:
        print(f"mlops-adapt review: warning: the event's head commit {pull.head_sha[:12]} is not "
              f"--head ({head[:12]}); comments are anchored to --head, and GitHub rejects them "
              "if it is not a commit of the pull request (check out the head, not the merge "
              "commit)", file=sys.stderr)

    changed = changed_files(repo, merge_base(repo, base, head), head)
    options = AdaptOptions(backend=args.backend or config.backend, verify=args.verify)
    edits, notes = collect_edits(repo, head, changed, config, tasks, args.unsafe, options)
    for note in notes:
        print(f"mlops-adapt review: {note.path} [{note.task}]: {note.reason}", file=sys.stderr)
    plans = [plan_file(e) for e in edits]

    print(json.dumps(_render(args.format, edits, plans, head), indent=2))
    if pull is not None:
        outcome = post_review(pull, lambda skip: build_review(plans, head, skip))
        for warning in outcome.warnings:
            print(f"mlops-adapt review: warning: {warning}", file=sys.stderr)
        if not outcome.posted:
            print(f"mlops-adapt review: nothing new to post "
                  f"({outcome.skipped_duplicates} suggestion(s) already posted)", file=sys.stderr)
        else:
            print(f"mlops-adapt review: posted review {outcome.review_id} with "
                  f"{outcome.comments} suggestion(s)", file=sys.stderr)
    return EXIT_OK


def _render(fmt: str, edits, plans, head: str) -> dict:
    if fmt == "rdjson":
        from mlops_adapt.review.render_rdjson import render_rdjson

        return render_rdjson(edits)
    if fmt == "sarif":
        from mlops_adapt.review.render_sarif import render_sarif

        return render_sarif(edits, __version__)
    from mlops_adapt.review.render_github import build_review

    return build_review(plans, head) or {}
