"""Redirects from the GitHub API: the token follows same-host redirects only (issue 14)."""

from __future__ import annotations

import pytest

from .conftest import PR_NUMBER, REPOSITORY, TOKEN, github_env, run_review_cli, write_event
from .fake_github import RecordingServer

REVIEWS = f"/repos/{REPOSITORY}/pulls/{PR_NUMBER}/reviews"


@pytest.fixture
def other_host():
    server = RecordingServer().start()
    yield server
    server.stop()


@pytest.mark.parametrize("method, status", [("GET", 302), ("GET", 301), ("GET", 307),
                                            ("POST", 302), ("POST", 303)])
def test_a_redirect_to_another_host_never_carries_the_token(
        new_script_pr, make_fake_github, other_host, tmp_path, method, status):
    repo, base, head = new_script_pr
    server = make_fake_github(head, repo.commentable(base, head))
    server.redirect_next[(method, "reviews")] = (status, f"{other_host.url}/steal{REVIEWS}")
    done = run_review_cli(repo, "--base", "main", "--head", "feature", "--post",
                          env_extra=github_env(server, write_event(tmp_path)))
    leaked = [r for r in other_host.requests if TOKEN in str(r["headers"])]
    assert leaked == []
    assert all("authorization" not in r["headers"] for r in other_host.requests)
    assert done.returncode == 4, done.stderr
    assert f"refusing to follow a redirect to another host: {other_host.url}" in done.stderr
    assert "Traceback" not in done.stderr
    assert TOKEN not in done.stdout + done.stderr
    assert server.reviews == []


def test_a_same_host_redirect_is_followed_with_the_token(new_script_pr, make_fake_github,
                                                         tmp_path):
    """GitHub answers 301/307 for a renamed repository on the same host: follow it."""
    repo, base, head = new_script_pr
    server = make_fake_github(head, repo.commentable(base, head))
    server.redirect_next[("GET", "reviews")] = (301, f"{server.url}{REVIEWS}?per_page=100&moved=1")
    done = run_review_cli(repo, "--base", "main", "--head", "feature", "--post",
                          env_extra=github_env(server, write_event(tmp_path)))
    assert done.returncode == 0, done.stderr
    followed = [r for r in server.requests if r["query"].get("moved") == "1"]
    assert len(followed) == 1 and followed[0]["headers"]["authorization"] == f"Bearer {TOKEN}"
    assert len(server.reviews) == 1


def test_a_redirect_from_https_to_http_on_the_same_host_is_refused():
    """A scheme downgrade is another origin: the token would travel in clear text."""
    from mlops_adapt.review.github_api import GitHubClient, GitHubError, PullRequest

    client = GitHubClient(PullRequest("https://api.example.invalid", REPOSITORY, PR_NUMBER, TOKEN))
    with pytest.raises(GitHubError, match="another host: http://api.example.invalid"):
        client.check_redirect("http://api.example.invalid/repos/x/y")


def test_a_same_host_307_keeps_the_post_and_its_body(new_script_pr, make_fake_github,
                                                     tmp_path):
    repo, base, head = new_script_pr
    server = make_fake_github(head, repo.commentable(base, head))
    server.redirect_next[("POST", "reviews")] = (307, f"{server.url}{REVIEWS}?moved=1")
    done = run_review_cli(repo, "--base", "main", "--head", "feature", "--post",
                          env_extra=github_env(server, write_event(tmp_path)))
    assert done.returncode == 0, done.stderr
    posts = server.posts()
    assert [p["query"] for p in posts] == [{}, {"moved": "1"}]
    assert posts[1]["body"] == posts[0]["body"] and posts[1]["body"]["comments"]
    assert posts[1]["headers"]["authorization"] == f"Bearer {TOKEN}"
    assert len(server.reviews) == 1
