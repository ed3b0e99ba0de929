"""Hostile scripts against the real sandbox: each tries one escape and must fail at it."""

import json
import os
import shutil
import subprocess
import sys
import threading
import time
import urllib.request
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from mlops_adapt.verify import sandbox
from mlops_adapt.verify.sandbox import DEFAULT_MEMORY_MB, NOBODY, run_script

from ._support import REPO, SECRETS, host_processes_mentioning, leaked

pytestmark = pytest.mark.usefixtures("isolated")

DUMP_ENV = "import json, os\nprint(json.dumps(dict(os.environ)))\n"


def test_environment_dump_shows_no_planted_secret(planted_secrets, tmp_path):
    assert len(planted_secrets) >= 20
    run = run_script(DUMP_ENV, timeout=60, root=tmp_path / "sandbox")
    assert run.ok, run.stderr
    env = json.loads(run.stdout)
    assert leaked(run.stdout) == []
    assert (set(planted_secrets) - {"MLFLOW_TRACKING_URI"}) & set(env) == set()
    assert env["MLFLOW_TRACKING_URI"] == f"sqlite:///{run.root / 'mlflow.db'}"


# Reads every environ and command line the script can see in /proc, and who its parent is.
READ_PROC = r"""
import json, os
seen = {}
for pid in sorted(p for p in os.listdir("/proc") if p.isdigit()):
    entry = {}
    for part in ("environ", "cmdline"):
        try:
            entry[part] = open(f"/proc/{pid}/{part}", "rb").read().decode("utf-8", "replace")
        except OSError as err:
            entry[part] = "unreadable: " + type(err).__name__
    seen[pid] = entry
print(json.dumps({"ppid": os.getppid(), "pid": os.getpid(), "seen": seen}))
"""

# The parent that runs the sandbox carries the secrets in its environment from its start, so they
# sit in its /proc/PID/environ (what the old sandbox leaked through).
RUNNER = """
import json, shutil, sys
from mlops_adapt.verify.sandbox import run_script
run = run_script(sys.stdin.read(), timeout=60)
shutil.rmtree(run.root)
print(json.dumps({"ok": run.ok, "stdout": run.stdout, "stderr": run.stderr}))
"""


def test_parent_processes_are_invisible_and_hold_no_secret():
    env = {**os.environ, **SECRETS, "PYTHONPATH": str(REPO)}
    runner = subprocess.Popen(
        [sys.executable, "-c", RUNNER],
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    # From the host, the runner's environ does hold the secrets (once it has exec'd): the
    # sandbox must hide it.
    deadline = time.monotonic() + 10
    environ = b""
    while SECRETS["CI_JOB_JWT"].encode() not in environ and time.monotonic() < deadline:
        time.sleep(0.01)
        environ = Path(f"/proc/{runner.pid}/environ").read_bytes()
    assert SECRETS["CI_JOB_JWT"].encode() in environ
    out, err = runner.communicate(READ_PROC, timeout=120)
    assert runner.returncode == 0, err
    result = json.loads(out)
    assert result["ok"], result["stderr"]
    assert leaked(result["stdout"]) == []
    seen = json.loads(result["stdout"])
    # Only its own PID namespace: bubblewrap's init as pid 1, the script, nothing of the host.
    assert seen["ppid"] == 1 and seen["pid"] <= 3
    assert set(seen["seen"]) <= {"1", "2", "3"}
    assert "pytest" not in result["stdout"] and str(runner.pid) not in seen["seen"]


@pytest.mark.parametrize("where", ["tmp", "repo"])
def test_the_callers_home_and_its_netrc_are_unreadable(monkeypatch, tmp_path, where):
    base = tmp_path if where == "tmp" else REPO / "tests" / "sandbox" / f".home-{uuid.uuid4().hex}"
    home = base / "home"
    (home / ".ssh").mkdir(parents=True)
    netrc = home / ".netrc"
    netrc.write_text("machine api.example.com login me password s3cret-netrc-0451\n")
    (home / ".ssh" / "id_rsa").write_text("s3cret-ssh-key-0451\n")
    monkeypatch.setenv("HOME", str(home))
    files = [str(netrc), str(home / ".ssh" / "id_rsa"), "/root/.netrc", "/root/.ssh/id_rsa"]
    script = f"""
import json, os
report = {{}}
for path in {files!r} + [os.path.expanduser("~/.netrc")]:
    try:
        report[path] = "READ " + open(path).read()
    except OSError as err:
        report[path] = "unreadable"
for folder in [{str(home)!r}, "/root", "/home"]:
    try:
        report[folder] = os.listdir(folder)
    except OSError as err:
        report[folder] = "unlistable"
print(json.dumps(report))
"""
    try:
        run = run_script(script, timeout=60, root=tmp_path / "sandbox")
    finally:
        if where == "repo":
            netrc.unlink()
            (home / ".ssh" / "id_rsa").unlink()
            (home / ".ssh").rmdir()
            home.rmdir()
            base.rmdir()
    assert run.ok, run.stderr
    report = json.loads(run.stdout)
    assert "s3cret" not in run.stdout
    assert {report[f] for f in files} == {"unreadable"}
    assert report[str(home)] in ("unlistable", [])
    assert not {".netrc", ".ssh"} & set(report["/root"]) and report["/home"] in ("unlistable", [])


def test_the_scripts_folder_is_mounted_back_but_never_a_whole_home(monkeypatch, tmp_path):
    home = REPO / "tests" / "sandbox" / f".home-{uuid.uuid4().hex}"
    project = home / "project"
    project.mkdir(parents=True)
    (project / "helpers.py").write_text("VALUE = 42\n")
    netrc = home / ".netrc"
    netrc.write_text("machine api.example.com login me password s3cret-netrc-0451\n")
    monkeypatch.setenv("HOME", str(home))
    script = (
        "import sys\n"
        "if sys.argv[1] == 'import':\n"
        "    import helpers\n"
        "    print(helpers.VALUE)\n"
        "try:\n"
        f"    print(open({str(netrc)!r}).read())\n"
        "except OSError:\n"
        "    print('unreadable')\n"
    )
    try:
        # A script in a project folder of the home imports its sibling module...
        in_project = run_script(
            script, timeout=60, root=tmp_path / "a", import_paths=[str(project)], args=["import"]
        )
        # ...and one kept right in the home does not get the home back.
        in_home = run_script(
            script, timeout=60, root=tmp_path / "b", import_paths=[str(home)], args=["-"]
        )
    finally:
        shutil.rmtree(home)
    assert in_project.ok and in_home.ok, in_project.stderr + in_home.stderr
    assert in_project.stdout.split() == ["42", "unreadable"]
    assert in_home.stdout.split() == ["unreadable"]


class _Recorder(BaseHTTPRequestHandler):
    """Records every POST body in the server's `received` list."""

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.server.received.append(body)
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"got it")

    def log_message(self, *args):
        pass


@pytest.fixture
def loopback_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    server.received = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/collect", server.received
    server.shutdown()
    server.server_close()


def test_network_is_cut_off_even_on_loopback(loopback_server, tmp_path):
    url, received = loopback_server
    # The server works: a POST from the host gets through.
    with urllib.request.urlopen(urllib.request.Request(url, data=b"host"), timeout=5) as reply:
        assert reply.read() == b"got it"
    assert received == [b"host"]
    script = f"""
import socket, urllib.request
try:
    urllib.request.urlopen(urllib.request.Request({url!r}, data=b"exfiltrated"), timeout=5)
    print("POST sent")
except OSError as err:
    print("POST blocked:", err)
for host, port in [("1.1.1.1", 443), ("example.com", 443)]:
    try:
        socket.create_connection((host, port), timeout=5)
        print(host, "connected")
    except OSError as err:
        print(host, "blocked:", err)
"""
    run = run_script(script, timeout=60, root=tmp_path / "sandbox")
    assert run.ok, run.stderr
    assert "POST blocked" in run.stdout and "connected" not in run.stdout
    assert received == [b"host"]


def test_writes_outside_the_sandbox_do_not_reach_the_host(tmp_path):
    token = uuid.uuid4().hex
    targets = [
        Path("/tmp") / f"escape-{token}",
        Path("/var/tmp") / f"escape-{token}",
        REPO / f"escape-{token}",
        tmp_path / f"escape-{token}",
        Path("/etc") / f"escape-{token}",
        Path(sys.prefix) / f"escape-{token}",
    ]
    script = f"""
for path in {[str(t) for t in targets]!r} + ["inside.txt"]:
    try:
        with open(path, "w") as fh:
            fh.write("x")
        print(path, "written")
    except OSError as err:
        print(path, "refused:", type(err).__name__)
"""
    run = run_script(script, timeout=60, root=tmp_path / "sandbox")
    assert run.ok, run.stderr
    assert [t for t in targets if t.exists()] == []
    assert (run.workdir / "inside.txt").read_text() == "x"
    for read_only in (REPO, Path("/etc"), Path(sys.prefix)):
        assert f"{read_only / f'escape-{token}'} refused" in run.stdout


# Every process keeps forking for two seconds; the main one reports how many it saw.
FORK_BOMB = r"""
import os, time
main = os.getpid()
start = time.monotonic()
refused = 0
peak = 0
while time.monotonic() - start < 2:
    try:
        os.fork()
    except OSError:
        refused += 1
        time.sleep(0.02)
    if os.getpid() == main:
        peak = max(peak, sum(1 for p in os.listdir("/proc") if p.isdigit()))
if os.getpid() == main:
    print("peak", peak, "refused", refused, flush=True)
"""


def test_a_fork_bomb_is_bounded_and_cleaned_up(tmp_path):
    limit = 48
    # The user's other tasks count against RLIMIT_NPROC too; the sandbox adds the limit on top.
    already = sandbox._task_count(NOBODY if os.geteuid() == 0 else os.getuid())
    started = time.monotonic()
    run = run_script(
        FORK_BOMB, timeout=90, root=tmp_path / "sandbox", limits={"RLIMIT_NPROC": limit}
    )
    elapsed = time.monotonic() - started
    assert not run.timed_out, run.stderr
    words = run.stdout.split()
    peak, refused = int(words[1]), int(words[3])
    assert refused > 0 and peak <= limit + already + 2  # + bwrap's init, + the count's slack
    assert elapsed < 60
    assert host_processes_mentioning(str(run.root)) == []


def test_default_limits_are_in_force(tmp_path):
    script = (
        "import resource\n"
        "for name in ('RLIMIT_AS', 'RLIMIT_NPROC', 'RLIMIT_FSIZE', 'RLIMIT_CPU', 'RLIMIT_CORE'):\n"
        "    print(name, *resource.getrlimit(getattr(resource, name)))\n"
    )
    run = run_script(script, timeout=60, root=tmp_path / "sandbox")
    assert run.ok, run.stderr
    limits = {
        line.split()[0]: [int(v) for v in line.split()[1:]] for line in run.stdout.splitlines()
    }
    assert limits["RLIMIT_AS"] == [DEFAULT_MEMORY_MB << 20] * 2
    assert limits["RLIMIT_FSIZE"] == [1 << 30] * 2
    assert 256 <= limits["RLIMIT_NPROC"][0] == limits["RLIMIT_NPROC"][1] < 4096
    assert 0 < limits["RLIMIT_CPU"][0] <= 60 * (os.cpu_count() or 1) + 10
    assert limits["RLIMIT_CORE"] == [0, 0]


def test_a_3_gib_allocation_fails_cleanly(tmp_path):
    script = "data = bytearray(3 * 1024 ** 3)\nprint('allocated', len(data))\n"
    started = time.monotonic()
    run = run_script(script, timeout=60, root=tmp_path / "sandbox")
    assert run.returncode == 1 and "allocated" not in run.stdout
    assert run.error_summary() == "MemoryError"
    assert time.monotonic() - started < 30


def test_a_file_beyond_the_size_limit_is_refused(tmp_path):
    script = (
        "try:\n"
        "    open('big.bin', 'wb').write(b'x' * (2 << 20))\n"
        "    print('written')\n"
        "except OSError as err:\n"
        "    print('refused', err.errno)\n"
    )
    run = run_script(
        script, timeout=60, root=tmp_path / "sandbox", limits={"RLIMIT_FSIZE": 1 << 20}
    )
    assert run.ok, run.stderr
    assert run.stdout.split() == ["refused", "27"]  # EFBIG
    assert (run.workdir / "big.bin").stat().st_size <= 1 << 20


# A classic daemon: fork, setsid, fork again, let go of the output pipes, wake up later.
DAEMON = r"""
import os, sys, time
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        null = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 1, 2):
            os.dup2(null, fd)
        open("daemon-started", "w").write(str(os.getpid()))
        time.sleep(float(sys.argv[2]))
        open("daemon-survived", "w").write("still here")
        os._exit(0)
    os._exit(0)
while not os.path.exists("daemon-started"):
    time.sleep(0.02)
print("parent leaves", flush=True)
if sys.argv[1] == "hang":
    time.sleep(120)
"""


@pytest.mark.parametrize("ending", ["exit", "timeout"])
def test_daemons_do_not_outlive_the_run(tmp_path, ending):
    timeout, delay = 5.0, 7.0  # the daemon writes its marker after the run has ended either way
    started = time.monotonic()
    args = ["hang" if ending == "timeout" else "leave", str(delay)]
    run = run_script(DAEMON, timeout=timeout, root=tmp_path / "sandbox", args=args)
    assert "parent leaves" in run.stdout, run.stderr
    assert run.timed_out == (ending == "timeout")
    assert (run.workdir / "daemon-started").exists()
    assert host_processes_mentioning(str(run.root)) == []
    time.sleep(max(0.0, started + delay + 1.0 - time.monotonic()))
    assert not (run.workdir / "daemon-survived").exists()


def test_the_sandbox_runs_as_nobody_when_the_caller_is_root(tmp_path):
    if os.geteuid() != 0:
        pytest.skip("only a root caller is switched to nobody")
    run = run_script(
        "import os\nprint(os.getuid(), os.getgid(), os.getgroups())\n",
        timeout=60,
        root=tmp_path / "sandbox",
    )
    assert run.ok, run.stderr
    assert run.stdout.split() == [str(NOBODY), str(NOBODY), "[]"]
    # Handed back afterwards: the caller owns everything again (git refuses foreign repositories).
    owners = {p.stat().st_uid for p in run.root.rglob("*")}
    assert owners == {0}
