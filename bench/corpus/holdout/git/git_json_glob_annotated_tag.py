"""JSON event files added through a glob, an annotated tag made with the git command wrapper."""
import json
from pathlib import Path

from git import InvalidGitRepositoryError, Repo

try:
    repo = Repo(".", search_parent_directories=True)
except InvalidGitRepositoryError:
    repo = Repo.init(".")
raw = Path("raw")
raw.mkdir(exist_ok=True)
for i in range(3):
    (raw / f"event_{i}.json").write_text(json.dumps({"id": i, "value": i * 1.5}))
repo.index.add([str(p) for p in sorted(raw.glob("*.json"))])
repo.index.commit("raw events")
repo.git.tag("-a", "events-v1", "-m", "first events")
values = [json.loads(p.read_text())["value"] for p in sorted(raw.glob("*.json"))]
print("events:", len(values), "sum:", sum(values))
print("tags:", [t.name for t in repo.tags])
