"""Runs first inside the sandbox (python -I -S -c): drop root, enter the work folder, set limits, exec.

Drops root to the sandbox user, enters the working folder (as that user: root without
capabilities may not enter nobody's private folder), sets the resource limits (every process the
script starts inherits them), then becomes the interpreter. Stdlib only: it runs before site.
"""

import json
import os
import resource
import sys


def main() -> None:
    spec = json.loads(sys.argv[1])
    if spec["uid"] is not None:
        os.setgroups([])
        os.setresgid(spec["gid"], spec["gid"], spec["gid"])
        os.setresuid(spec["uid"], spec["uid"], spec["uid"])
    os.chdir(spec["cwd"])
    for name, value in spec["limits"].items():
        kind = getattr(resource, name)
        hard = resource.getrlimit(kind)[1]
        value = value if hard == resource.RLIM_INFINITY else min(value, hard)
        resource.setrlimit(kind, (value, value))
    os.execv(sys.argv[2], sys.argv[2:])


if __name__ == "__main__":
    main()
