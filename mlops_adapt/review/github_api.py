"""GitHub REST calls of the bot: read earlier reviews, post one review; the token never leaks."""

from __future__ import annotations

import json
import os
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

from mlops_adapt.review.render_github import fingerprints_in

API_VERSION = "2022-11-28"
USER_AGENT = "mlops-adapt-review"
TIMEOUT = 30.0
MAX_PAGES = 50  # 5,000 comments; a guard against a server that keeps sending "next"

STATUS_HINTS = {
    401: "GitHub rejected the token (401 Unauthorized). Check that GITHUB_TOKEN is set to a "
         "valid, unexpired token.",
    403: "GitHub refused the request (403 Forbidden). The token needs `pull-requests: write` "
         "permission; tokens of workflows triggered from forks are read-only; or a rate limit "
         "was hit.",
    404: "GitHub found no such repository or pull request (404 Not Found). Check "
         "GITHUB_REPOSITORY and the pull request number, and that the token can see the "
         "repository.",
    422: "GitHub rejected the review (422 Unprocessable Entity), usually because a comment "
         "points at a line outside the pull request's diff or the head commit is not the pull "
         "request's.",
}


class GitHubError(Exception):
    """A GitHub API call failed; the message is safe to print (it never holds the token)."""

    def __init__(self, message: str, status: int | None = None):
        super().__init__(message)
        self.status = status


class GitHubSetupError(GitHubError):
    """The GITHUB_* environment or the event file cannot say where to post."""


@dataclass(frozen=True)
class PullRequest:
    """Where to post: API base URL, owner/name, pull request number, and the token."""

    api_url: str
    repository: str
    number: int
    token: str
    head_sha: str | None = None  # the event's head commit, when the payload names it

    def __repr__(self) -> str:  # keep the token out of tracebacks and logs
        return f"PullRequest({self.api_url!r}, {self.repository!r}, #{self.number})"

    def url(self, tail: str) -> str:
        return f"{self.api_url.rstrip('/')}/repos/{self.repository}/pulls/{self.number}/{tail}"


def pull_request_from_env(env: dict[str, str] | None = None) -> PullRequest:
    """Read GITHUB_API_URL, GITHUB_REPOSITORY, GITHUB_TOKEN and the event file, clearly failing."""
    env = dict(os.environ) if env is None else env
    missing = [k for k in ("GITHUB_REPOSITORY", "GITHUB_TOKEN", "GITHUB_EVENT_PATH") if not env.get(k)]
    if missing:
        raise GitHubSetupError(f"--post needs the environment variable(s) {', '.join(missing)} "
                          "(set by GitHub Actions; see docs/review.md)")
    api_url = env.get("GITHUB_API_URL") or "https://api.github.com"
    if not api_url.startswith(("https://", "http://")):
        raise GitHubSetupError(f"GITHUB_API_URL must be an http(s) URL, not {api_url!r}")
    repository = env["GITHUB_REPOSITORY"]
    if repository.count("/") != 1 or not all(repository.split("/")):
        raise GitHubSetupError(f"GITHUB_REPOSITORY must look like owner/name, not {repository!r}")
    number, head_sha = pull_from_event(env["GITHUB_EVENT_PATH"])
    return PullRequest(api_url, repository, number, env["GITHUB_TOKEN"], head_sha)


def pull_from_event(path: str) -> tuple[int, str | None]:
    """The pull request number (and head commit, if given) of a pull_request(_target) or
    issue_comment event payload."""
    try:
        with open(path, encoding="utf-8") as handle:
            event = json.load(handle)
    except (OSError, ValueError) as err:
        raise GitHubSetupError(f"cannot read the event file GITHUB_EVENT_PATH={path}: {err}") from None
    if not isinstance(event, dict):
        raise GitHubSetupError(f"{path}: the event payload is not a JSON object")
    pull = event.get("pull_request")
    if isinstance(pull, dict) and isinstance(pull.get("number"), int):
        head = pull.get("head")
        sha = head.get("sha") if isinstance(head, dict) else None
        return pull["number"], sha if isinstance(sha, str) else None
    issue = event.get("issue")
    if isinstance(issue, dict) and isinstance(issue.get("number"), int):
        if not issue.get("pull_request"):
            raise GitHubSetupError(f"{path}: the comment is on issue #{issue['number']}, "
                              "not on a pull request")
        return issue["number"], None
    if isinstance(event.get("number"), int):
        return event["number"], None
    raise GitHubSetupError(f"{path}: no pull request number in the event payload")


class GitHubClient:
    """Minimal REST client over urllib; every failure becomes a GitHubError with a hint."""

    def __init__(self, pull: PullRequest):
        self.pull = pull
        self.origin = _origin(pull.api_url)
        # urllib's default redirect handler copies the Authorization header to any host.
        self._opener = urllib.request.build_opener(_SameOriginRedirects(self.check_redirect))

    def check_redirect(self, url: str) -> None:
        """Refuse a redirect that would carry the token to another origin (host, port, scheme)."""
        if _origin(url) != self.origin:
            raise GitHubError(f"refusing to follow a redirect to another host: {_origin(url)} "
                              f"(the token is only sent to {self.origin})")

    def request(self, method: str, url: str, body: dict | None = None) -> tuple[object, dict]:
        """Send one request; return the decoded JSON and the response headers."""
        if _origin(url) != self.origin:  # never send the token to another host
            raise GitHubError(f"refusing to follow a link to another host: {_origin(url)}")
        data = None if body is None else json.dumps(body).encode("utf-8")
        req = urllib.request.Request(url, data=data, method=method, headers={
            "Accept": "application/vnd.github+json",
            "Authorization": f"Bearer {self.pull.token}",
            "X-GitHub-Api-Version": API_VERSION,
            "User-Agent": USER_AGENT,
            **({"Content-Type": "application/json"} if data is not None else {}),
        })
        try:
            with self._opener.open(req, timeout=TIMEOUT) as resp:
                raw = resp.read()
                headers = dict(resp.headers.items())
        except urllib.error.HTTPError as err:
            raise self._http_error(method, url, err) from None
        except (urllib.error.URLError, OSError) as err:
            reason = getattr(err, "reason", err)
            raise GitHubError(self._redact(f"cannot reach the GitHub API at {self.pull.api_url}: "
                                           f"{reason}")) from None
        try:
            return (json.loads(raw) if raw else None), headers
        except ValueError:
            raise GitHubError(f"{method} {self._path(url)}: the response is not JSON") from None

    def get_all(self, url: str) -> list:
        """Every item of a paginated list endpoint, following `Link: rel="next"`."""
        items: list = []
        next_url: str | None = _with_query(url, per_page="100")
        for _ in range(MAX_PAGES):
            if next_url is None:
                break
            page, headers = self.request("GET", next_url)
            if not isinstance(page, list):
                raise GitHubError(f"GET {self._path(next_url)}: expected a JSON list")
            items.extend(page)
            next_url = _next_link(headers.get("Link") or headers.get("link") or "")
        return items

    def _http_error(self, method: str, url: str, err: urllib.error.HTTPError) -> GitHubError:
        detail = ""
        try:
            payload = json.loads(err.read() or b"{}")
            detail = payload.get("message", "") if isinstance(payload, dict) else ""
            errors = payload.get("errors") if isinstance(payload, dict) else None
            if errors:
                detail += " " + json.dumps(errors)
        except (ValueError, OSError):
            pass
        hint = STATUS_HINTS.get(err.code, f"GitHub answered HTTP {err.code}.")
        message = f"{method} {self._path(url)}: {hint}"
        if detail.strip():
            message += f" GitHub said: {detail.strip()}"
        return GitHubError(self._redact(message), err.code)

    def _path(self, url: str) -> str:
        return urllib.parse.urlsplit(url).path

    def _redact(self, text: str) -> str:
        return text.replace(self.pull.token, "***") if self.pull.token else text


class _SameOriginRedirects(urllib.request.HTTPRedirectHandler):
    """Follows redirects within the API's origin (with the token) and refuses all others."""

    def __init__(self, check):
        self._check = check

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        try:
            self._check(newurl)
        except GitHubError:
            fp.close()
            raise
        if code in (307, 308):  # the method and body must be kept; urllib refuses for POST
            return urllib.request.Request(newurl, data=req.data, method=req.get_method(),
                                          headers=dict(req.header_items()),
                                          origin_req_host=req.origin_req_host, unverifiable=True)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


@dataclass(frozen=True)
class PostOutcome:
    """What --post did: the review id (None when there was nothing new) and counts."""

    review_id: int | None
    comments: int
    skipped_duplicates: int
    warnings: tuple[str, ...] = ()

    @property
    def posted(self) -> bool:
        return self.review_id is not None or self.comments > 0


def posted_fingerprints(client: GitHubClient, warnings: list[str]) -> set[str]:
    """Fingerprints of everything the bot posted on this pull request before.

    A 404 on a list is not fatal here: the POST that follows gets GitHub's authoritative
    answer for a missing repository or pull request, and reports it.
    """
    found: set[str] = set()
    for tail in ("reviews", "comments"):
        try:
            items = client.get_all(client.pull.url(tail))
        except GitHubError as err:
            if err.status != 404:
                raise
            warnings.append(f"could not list earlier {tail} (404); they were not checked for "
                            "duplicates")
            continue
        found |= {fp for item in items if isinstance(item, dict)
                  for fp in fingerprints_in(item.get("body"))}
    return found


def post_review(pull: PullRequest, build) -> PostOutcome:
    """Post one review with everything not posted before; `build(skip)` makes the payload.

    The review and all its comments go in a single request, so GitHub either creates all of
    it or none of it: a failure never leaves a partial review.
    """
    full = build(set())
    if full is None:
        return PostOutcome(None, 0, 0)  # nothing to say: no request at all
    client = GitHubClient(pull)
    warnings: list[str] = []
    payload = build(posted_fingerprints(client, warnings))
    total = len(full["comments"])
    if payload is None:
        return PostOutcome(None, 0, total, tuple(warnings))
    answer, _ = client.request("POST", pull.url("reviews"), payload)
    review_id = answer.get("id", 0) if isinstance(answer, dict) else 0
    return PostOutcome(review_id, len(payload["comments"]), total - len(payload["comments"]),
                       tuple(warnings))


def _origin(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def _with_query(url: str, **params: str) -> str:
    parts = urllib.parse.urlsplit(url)
    query = dict(urllib.parse.parse_qsl(parts.query))
    query.update(params)
    return urllib.parse.urlunsplit(parts._replace(query=urllib.parse.urlencode(query)))


def _next_link(header: str) -> str | None:
    for part in header.split(","):
        if 'rel="next"' in part:
            start, end = part.find("<"), part.find(">")
            if 0 <= start < end:
                return part[start + 1:end]
    return None
