"""A level reading that spikes in one commit; found by hand-driven `git bisect` and by `git bisect run`."""
import re
import sys

from git import Repo

repo = Repo.init(".")
open("spike_check.py", "w").write(
    "import sys\nlevels = [float(x) for x in open('levels.csv').read().split()[1:]]\nsys.exit(int(max(levels) > 50))\n"
)
open("levels.csv", "w").write("level\n")
repo.index.add(["spike_check.py", "levels.csv"])
start = repo.index.commit("no levels yet")
for level in (12, 18, 25, 31, 77, 80, 84):
    with open("levels.csv", "a") as f:
        f.write(f"{level}\n")
    repo.index.add(["levels.csv"])
    repo.index.commit(f"level {level}")


def spiked():
    return max(float(x) for x in open("levels.csv").read().split()[1:]) > 50


repo.git.bisect("start", "HEAD", start.hexsha)
found = None
while found is None:
    out = repo.git.bisect("bad" if spiked() else "good")
    m = re.search(r"^([0-9a-f]{40}) is the first bad commit", out, flags=re.M)
    found = m and repo.commit(m.group(1)).summary
repo.git.bisect("reset")
print("by hand:", found, "now", open("levels.csv").read().split()[-1])

repo.git.bisect("start", "HEAD", start.hexsha)
out = repo.git.bisect("run", sys.executable, "spike_check.py")
print("by run:", repo.commit(re.search(r"^([0-9a-f]{40}) is the first bad commit", out, flags=re.M).group(1)).summary)
repo.git.bisect("reset")
print("after reset:", open("levels.csv").read().split()[-1])
