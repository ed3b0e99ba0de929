"""`review --post` against a loopback GitHub: one review, exact requests, de-duplication, errors."""

from __future__ import annotations

import difflib
import json
import re

import pytest

from mlops_adapt.options import AdaptOptions
from mlops_adapt.verify.pipeline import verify_candidate

from .conftest import (
    NOT_TRAINING,
    PR_NUMBER,
    REPOSITORY,
    TOKEN,
    TRAIN_LONG,
    TRAIN_RF,
    github_env,
    run_review_cli,
    write_event,
)

DIFF_BLOCK = re.compile(r"(`{3,})diff\n(.*?)\1\n", re.DOTALL)
REVIEWS = f"/repos/{REPOSITORY}/pulls/{PR_NUMBER}/reviews"
COMMENTS = f"/repos/{REPOSITORY}/pulls/{PR_NUMBER}/comments"


def apply_github_suggestions(text: str, comments: list[dict]) -> str:
    """Commit every suggestion as GitHub does: replace lines start_line..line with the block."""
    lines = text.splitlines(keepends=True)
    for comment in sorted(comments, key=lambda c: c["line"], reverse=True):
        first = comment.get("start_line", comment["line"])
        lines[first - 1: comment["line"]] = suggestion_lines(comment["body"])
    return "".join(lines)


def suggestion_lines(body: str) -> list[str]:
    """The lines of the suggestion block in a comment body; an empty block deletes the lines."""
    fence = re.search(r"(`{3,})suggestion\n", body)
    rest = body[fence.end():]
    if rest.startswith(fence.group(1)):
        return []
    content = rest[: rest.index("\n" + fence.group(1))]
    return [f"{line}\n" for line in content.split("\n")]


def test_post_creates_exactly_one_review_whose_suggestions_apply_and_verify(
        new_script_pr, make_fake_github, tmp_path):
    repo, base, head = new_script_pr
    server = make_fake_github(head, repo.commentable(base, head))
    env = github_env(server, write_event(tmp_path, head_sha=head))

    done = run_review_cli(repo, "--base", "main", "--head", "feature", "--post", env_extra=env)
    assert done.returncode == 0, done.stderr
    assert TOKEN not in done.stdout + done.stderr
    assert "warning" not in done.stderr
    assert "posted review 1000 with 1 suggestion(s)" in done.stderr

    # The exact requests: read earlier reviews and comments, then one POST with everything.
    assert [(r["method"], r["path"], r["query"]) for r in server.requests] == [
        ("GET", REVIEWS, {"per_page": "100"}),
        ("GET", COMMENTS, {"per_page": "100"}),
        ("POST", REVIEWS, {}),
    ]
    for request in server.requests:
        assert request["headers"]["authorization"] == f"Bearer {TOKEN}"
        assert request["headers"]["accept"] == "application/vnd.github+json"
        assert request["headers"]["x-github-api-version"] == "2022-11-28"
    posted = server.requests[-1]["body"]
    assert set(posted) == {"commit_id", "body", "event", "comments"}
    assert posted["commit_id"] == head and posted["event"] == "COMMENT"
    assert "<!-- mlops-adapt:review -->" in posted["body"]
    assert len(server.reviews) == 1
    assert {c["path"] for c in posted["comments"]} == {"src/train.py"}
    for comment in posted["comments"]:
        assert comment["side"] == "RIGHT"
        assert re.search(r"<!-- mlops-adapt:fp=[0-9a-f]{20} -->", comment["body"])

    # Committing the suggestions gives a file that verifies, and equals what the engine made.
    head_text = repo.read("src/train.py")
    result = apply_github_suggestions(head_text, posted["comments"])
    report = verify_candidate(head_text, result, "track-mlflow", AdaptOptions())
    assert report.ok, report.failures
    assert "with mlflow.start_run(" in result and 'mlflow.log_metric("accuracy", accuracy)' in result

    # The same change as a patch applies cleanly with `git apply` on the head checkout.
    patch = "".join(difflib.unified_diff(head_text.splitlines(True), result.splitlines(True),
                                         "a/src/train.py", "b/src/train.py"))
    (tmp_path / "s.patch").write_text(patch, encoding="utf-8")
    repo.git("apply", "--check", str(tmp_path / "s.patch"))

    # A second run posts nothing new: only the two reads happen.
    before = len(server.requests)
    again = run_review_cli(repo, "--base", "main", "--head", "feature", "--post", env_extra=env)
    assert again.returncode == 0, again.stderr
    assert "nothing new to post (1 suggestion(s) already posted)" in again.stderr
    assert [r["method"] for r in server.requests[before:]] == ["GET", "GET"]
    assert len(server.reviews) == 1


def test_pr_touching_no_training_script_posts_nothing(repo, make_fake_github, tmp_path):
    repo.write("README.md", "# project\n")
    repo.write("train.py", TRAIN_RF.replace("import accuracy_score", "import accuracy_score\nimport mlflow")
               .replace("X, y =", "mlflow.autolog()\nX, y ="))
    base = repo.commit("base")
    repo.branch("docs")
    repo.write("README.md", "# project\n\nMore words.\n")
    repo.write("src/utils.py", NOT_TRAINING)
    repo.write("assets/logo.png", b"\x89PNG\r\n\x1a\n\x00\x00binary")
    head = repo.commit("docs only")
    server = make_fake_github(head, repo.commentable(base, head))

    done = run_review_cli(repo, "--base", "main", "--head", "docs", "--post",
                          env_extra=github_env(server, write_event(tmp_path)))
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {}
    assert server.requests == []  # nothing to say, so not even a read
    assert "nothing new to post" in done.stderr


def test_out_of_diff_edit_goes_whole_into_one_summary_patch(repo, make_fake_github, tmp_path):
    """A one-line change in an old script: the needed edit reaches lines outside the diff."""
    repo.write("train.py", TRAIN_LONG)
    base = repo.commit("base")
    repo.branch("tune")
    repo.write("train.py", TRAIN_LONG.replace("max_depth = 4", "max_depth = 6"))
    head = repo.commit("deeper trees")
    server = make_fake_github(head, repo.commentable(base, head))
    env = github_env(server, write_event(tmp_path, "issue_comment"))

    done = run_review_cli(repo, "--base", "main", "--head", "tune", "--post", env_extra=env)
    assert done.returncode == 0, done.stderr
    posted = server.posts()[0]["body"]
    assert posted["comments"] == []  # nothing could be an inline suggestion
    assert posted["body"].count("<details>") == 1
    patch = DIFF_BLOCK.search(posted["body"]).group(2)
    (tmp_path / "edit.patch").write_text(patch, encoding="utf-8")
    repo.git("apply", str(tmp_path / "edit.patch"))  # real git apply on the head checkout
    report = verify_candidate(TRAIN_LONG.replace("max_depth = 4", "max_depth = 6"),
                              repo.read("train.py"), "track-mlflow", AdaptOptions())
    assert report.ok, report.failures

    repo.git("checkout", "-q", "--", "train.py")
    again = run_review_cli(repo, "--base", "main", "--head", "tune", "--post", env_extra=env)
    assert again.returncode == 0 and len(server.posts()) == 1


def test_rerun_after_a_new_commit_posts_only_the_new_suggestion(repo, make_fake_github, tmp_path):
    repo.write("README.md", "# project\n")
    base = repo.commit("base")
    repo.branch("two")
    repo.write("a/train.py", TRAIN_RF)
    first_head = repo.commit("first script")
    server = make_fake_github(first_head, repo.commentable(base, first_head), page_cap=1)
    event = write_event(tmp_path)
    done = run_review_cli(repo, "--base", "main", "--head", "two", "--post",
                          env_extra=github_env(server, event))
    assert done.returncode == 0, done.stderr

    repo.write("b/train.py", TRAIN_RF.replace("20", "40"))
    second_head = repo.commit("second script")
    server.head_sha = second_head
    server.commentable = repo.commentable(base, second_head)
    reads_before = len(server.requests)
    done = run_review_cli(repo, "--base", "main", "--head", "two", "--post",
                          env_extra=github_env(server, event))
    assert done.returncode == 0, done.stderr
    new = server.requests[reads_before:]
    posted = new[-1]["body"]
    assert new[-1]["method"] == "POST"
    assert [c["path"] for c in posted["comments"]] == ["b/train.py"]
    assert len(server.reviews) == 2

    # page_cap=1 makes the server paginate: the earlier marks are spread over two pages each,
    # and the client must follow Link rel="next" to see them all and post nothing.
    reads_before = len(server.requests)
    done = run_review_cli(repo, "--base", "main", "--head", "two", "--post",
                          env_extra=github_env(server, event))
    assert done.returncode == 0, done.stderr
    new = server.requests[reads_before:]
    assert [(r["path"], r["query"].get("page", "1")) for r in new] == [
        (REVIEWS, "1"), (REVIEWS, "2"), (COMMENTS, "1"), (COMMENTS, "2")]
    assert len(server.reviews) == 2


@pytest.mark.parametrize("status, words", [
    (401, "rejected the token (401"),
    (403, "403 Forbidden"),
    (404, "404 Not Found"),
    (422, "422 Unprocessable Entity"),
])
def test_api_errors_are_clear_and_leave_no_partial_review(
        new_script_pr, make_fake_github, tmp_path, status, words):
    repo, base, head = new_script_pr
    server = make_fake_github(head, repo.commentable(base, head))
    server.fail_next[("POST", "reviews")] = (status, {"message": f"forced {status} for {TOKEN}"})
    done = run_review_cli(repo, "--base", "main", "--head", "feature", "--post",
                          env_extra=github_env(server, write_event(tmp_path)))
    assert done.returncode == 4
    assert words in done.stderr and "Nothing was posted." in done.stderr
    assert TOKEN not in done.stdout + done.stderr  # even when the server echoes it
    assert server.reviews == [] and server.comments == []


def test_real_auth_and_routing_failures(new_script_pr, make_fake_github, tmp_path):
    repo, base, head = new_script_pr
    server = make_fake_github(head, repo.commentable(base, head))
    event = write_event(tmp_path)
    bad_token = run_review_cli(repo, "--base", "main", "--head", "feature", "--post",
                               env_extra=github_env(server, event, token="ghs_wrong_token_value"))
    assert bad_token.returncode == 4 and "401" in bad_token.stderr
    assert "ghs_wrong_token_value" not in bad_token.stdout + bad_token.stderr

    wrong_repo = {**github_env(server, event), "GITHUB_REPOSITORY": "octo-org/other"}
    done = run_review_cli(repo, "--base", "main", "--head", "feature", "--post", env_extra=wrong_repo)
    assert done.returncode == 4 and "404" in done.stderr

    # A stale head (the PR moved on) makes GitHub refuse every line: 422, nothing posted.
    server.head_sha = "0" * 40
    done = run_review_cli(repo, "--base", "main", "--head", "feature", "--post",
                          env_extra=github_env(server, write_event(tmp_path, head_sha="0" * 40)))
    assert "warning: the event's head commit 000000000000 is not --head" in done.stderr
    assert done.returncode == 4 and "422" in done.stderr and "commit_id" in done.stderr
    assert server.reviews == []


def test_missing_environment_and_bad_events_are_input_errors(new_script_pr, tmp_path):
    repo, _, _ = new_script_pr
    done = run_review_cli(repo, "--base", "main", "--head", "feature", "--post")
    assert done.returncode == 2
    assert "GITHUB_REPOSITORY, GITHUB_TOKEN, GITHUB_EVENT_PATH" in done.stderr

    issue_event = tmp_path / "issue.json"
    issue_event.write_text(json.dumps({"issue": {"number": 3}, "comment": {"body": "/mlops-adapt"}}))
    env = {"GITHUB_API_URL": "http://127.0.0.1:9", "GITHUB_REPOSITORY": REPOSITORY,
           "GITHUB_TOKEN": TOKEN, "GITHUB_EVENT_PATH": str(issue_event)}
    done = run_review_cli(repo, "--base", "main", "--head", "feature", "--post", env_extra=env)
    assert done.returncode == 2 and "not on a pull request" in done.stderr
    assert TOKEN not in done.stdout + done.stderr


def test_executing_pr_code_is_refused_while_a_token_is_present(new_script_pr):
    repo, _, _ = new_script_pr
    done = run_review_cli(repo, "--base", "main", "--head", "feature", "--verify", "run",
                          env_extra={"GITHUB_TOKEN": TOKEN})
    assert done.returncode == 2 and "--verify run executes the pull request's code" in done.stderr
    assert done.stdout == ""


def test_pagination_links_to_another_host_are_refused(new_script_pr, make_fake_github, tmp_path):
    """The token goes only to GITHUB_API_URL's host, even if a response links elsewhere."""
    repo, base, head = new_script_pr
    server = make_fake_github(head, repo.commentable(base, head), page_cap=1)
    server.reviews.extend([{"id": 1, "body": "hi"}, {"id": 2, "body": "there"}])
    port = server.url.rsplit(":", 1)[1]
    server.link_base = f"http://localhost:{port}"  # same server, but a different origin
    done = run_review_cli(repo, "--base", "main", "--head", "feature", "--post",
                          env_extra=github_env(server, write_event(tmp_path)))
    assert done.returncode == 4
    assert f"refusing to follow a link to another host: http://localhost:{port}" in done.stderr
    assert [r["headers"]["host"] for r in server.requests] == [f"127.0.0.1:{port}"]
    assert server.posts() == []


def test_unreachable_api_is_a_clear_error(new_script_pr, tmp_path):
    repo, _, _ = new_script_pr
    env = {"GITHUB_API_URL": "http://127.0.0.1:9", "GITHUB_REPOSITORY": REPOSITORY,
           "GITHUB_TOKEN": TOKEN, "GITHUB_EVENT_PATH": str(write_event(tmp_path))}
    done = run_review_cli(repo, "--base", "main", "--head", "feature", "--post", env_extra=env)
    assert done.returncode == 4
    assert "cannot reach the GitHub API at http://127.0.0.1:9" in done.stderr
    assert TOKEN not in done.stdout + done.stderr


@pytest.mark.slow
def test_committed_suggestions_pass_executed_verification(new_script_pr, tmp_path):
    """The file a reviewer gets by committing the suggestions runs and logs to MLflow (V5)."""
    repo, _, _ = new_script_pr
    done = run_review_cli(repo, "--base", "main", "--head", "feature")
    assert done.returncode == 0, done.stderr
    comments = json.loads(done.stdout)["comments"]
    head_text = repo.read("src/train.py")
    result = apply_github_suggestions(head_text, comments)
    report = verify_candidate(head_text, result, "track-mlflow",
                              AdaptOptions(verify="run", timeout=240))
    assert report.ok, report.failures
    assert report.executed


def test_a_stand_in_without_list_endpoints_still_gets_one_review(new_script_pr, make_fake_github,
                                                                 tmp_path):
    """Reads that 404 are not fatal: the POST gets the authoritative answer."""
    repo, base, head = new_script_pr
    server = make_fake_github(head, repo.commentable(base, head))
    server.fail_next[("GET", "reviews")] = (404, {"message": "Not Found"})
    server.fail_next[("GET", "comments")] = (404, {"message": "Not Found"})
    done = run_review_cli(repo, "--base", "main", "--head", "feature", "--post",
                          env_extra=github_env(server, write_event(tmp_path)))
    assert done.returncode == 0, done.stderr
    assert "warning: could not list earlier reviews (404)" in done.stderr
    assert len(server.reviews) == 1 and len(server.posts()) == 1
