"""A real HTTP server on loopback standing in for the GitHub pull-request review endpoints."""

from __future__ import annotations

import json
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit


class FakeGitHub:
    """Serves GET/POST .../pulls/N/reviews and GET .../pulls/N/comments like GitHub, and records them.

    - Every request must carry `Authorization: Bearer <token>` (else 401 "Bad credentials").
    - Unknown repositories or pull requests answer 404.
    - A posted review is rejected with 422 when its commit is not the head or a comment sits
      on a line outside the diff (`commentable[path]`, computed by the test from `git diff`).
    - Lists are paginated with `per_page` (capped at `page_cap`) and `Link: rel="next"`.
    - `fail_next[(method, kind)] = (status, body)` forces one error answer.
    - `redirect_next[(method, kind)] = (status, location)` answers one request with a redirect.
    """

    def __init__(self, repository: str, number: int, token: str, head_sha: str,
                 commentable: dict[str, set[int]], page_cap: int = 100):
        self.repository, self.number, self.token = repository, number, token
        self.head_sha, self.commentable, self.page_cap = head_sha, commentable, page_cap
        self.requests: list[dict] = []
        self.reviews: list[dict] = []
        self.comments: list[dict] = []
        self.fail_next: dict[tuple[str, str], tuple[int, dict]] = {}
        self.redirect_next: dict[tuple[str, str], tuple[int, str]] = {}
        self.link_base: str | None = None  # where "next" links point (default: this server)
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> FakeGitHub:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def posts(self) -> list[dict]:
        return [r for r in self.requests if r["method"] == "POST"]

    # ------------------------------------------------------------------ request handling
    def handle(self, method: str, raw_path: str, headers: dict, body: bytes) -> tuple[int, dict, object]:
        split = urlsplit(raw_path)
        query = {k: v[-1] for k, v in parse_qs(split.query).items()}
        record = {"method": method, "path": split.path, "query": query, "headers": headers,
                  "body": json.loads(body) if body else None}
        with self._lock:
            self.requests.append(record)
        if headers.get("authorization") != f"Bearer {self.token}":
            return 401, {}, {"message": "Bad credentials",
                             "documentation_url": "https://docs.github.com/rest"}
        match = re.fullmatch(r"/repos/([^/]+/[^/]+)/pulls/(\d+)/(reviews|comments)", split.path)
        if not match or match.group(1) != self.repository or int(match.group(2)) != self.number:
            return 404, {}, {"message": "Not Found"}
        kind = match.group(3)
        moved = self.redirect_next.pop((method, kind), None)
        if moved:
            return moved[0], {"Location": moved[1]}, {"message": "Moved"}
        forced = self.fail_next.pop((method, kind), None)
        if forced:
            return forced[0], {}, forced[1]
        if method == "GET":
            items = self.reviews if kind == "reviews" else self.comments
            return self._page(split.path, items, query)
        if method == "POST" and kind == "reviews":
            return self._create_review(record["body"])
        return 404, {}, {"message": "Not Found"}

    def _page(self, path: str, items: list[dict], query: dict) -> tuple[int, dict, object]:
        size = min(int(query.get("per_page", 30)), self.page_cap)
        page = int(query.get("page", 1))
        chunk = items[(page - 1) * size: page * size]
        headers = {}
        if page * size < len(items):
            headers["Link"] = f'<{self.link_base or self.url}{path}?per_page={size}&page={page + 1}>; rel="next"'
        return 200, headers, chunk

    def _create_review(self, payload: dict) -> tuple[int, dict, object]:
        if payload.get("commit_id") != self.head_sha:
            return 422, {}, {"message": "Unprocessable Entity",
                             "errors": ["commit_id is not part of the pull request"]}
        for comment in payload.get("comments", []):
            lines = self.commentable.get(comment.get("path"), set())
            first = comment.get("start_line", comment.get("line"))
            wanted = set(range(first, comment["line"] + 1))
            if comment.get("side", "RIGHT") != "RIGHT" or not wanted <= lines:
                return 422, {}, {"message": "Unprocessable Entity",
                                 "errors": ["Line could not be resolved"]}
        with self._lock:
            review_id = 1000 + len(self.reviews)
            review = {"id": review_id, "body": payload.get("body", ""), "state": "COMMENTED",
                      "commit_id": payload["commit_id"], "user": {"login": "github-actions[bot]"}}
            self.reviews.append(review)
            for comment in payload.get("comments", []):
                self.comments.append({"id": 5000 + len(self.comments),
                                      "pull_request_review_id": review_id, **comment})
        return 200, {}, review

    def _handler_class(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def _serve(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                headers = {k.lower(): v for k, v in self.headers.items()}
                status, extra, answer = fake.handle(self.command, self.path, headers, body)
                data = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                for key, value in extra.items():
                    self.send_header(key, value)
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = _serve

            def log_message(self, *args):  # keep pytest output clean
                pass

        return Handler


class RecordingServer:
    """Another host on loopback: answers every request with `[]` and records its headers."""

    def __init__(self):
        self.requests: list[dict] = []
        recorder = self

        class Handler(BaseHTTPRequestHandler):
            def _serve(self):
                length = int(self.headers.get("Content-Length") or 0)
                if length:
                    self.rfile.read(length)
                recorder.requests.append({"method": self.command, "path": self.path,
                                          "headers": {k.lower(): v for k, v in self.headers.items()}})
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"[]")

            do_GET = do_POST = _serve

            def log_message(self, *args):
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> RecordingServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()


def commentable_lines(diff_text: str) -> dict[str, set[int]]:
    """Head line numbers GitHub lets a review comment on: every '+' and ' ' line of each hunk.

    Deliberately counts the diff body lines rather than trusting the hunk headers, so it is an
    independent check of the bot's own reading of the diff.
    """
    result: dict[str, set[int]] = {}
    path = None
    line = 0
    in_hunk = False
    for text in diff_text.splitlines():
        if text.startswith("diff --git "):
            in_hunk, path = False, None
        elif text.startswith("+++ ") and not in_hunk:
            path = None if text == "+++ /dev/null" else text[len("+++ b/"):]
        elif text.startswith("@@"):
            in_hunk = True
            line = int(re.match(r"@@ -\S+ \+(\d+)", text).group(1))
        elif in_hunk and path is not None:
            if text.startswith(("+", " ")):
                result.setdefault(path, set()).add(line)
                line += 1
            elif text.startswith("\\"):
                continue
    return result
