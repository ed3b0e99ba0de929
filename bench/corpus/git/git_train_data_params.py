"""Commit training data and a params file with GitPython, then show the log."""
import json

from git import Repo

repo = Repo.init(".")
with open("train.jsonl", "w") as fh:
    for i in range(4):
        fh.write(json.dumps({"x": i, "label": i % 2}) + "\n")
with open("params.json", "w") as fh:
    json.dump({"lr": 0.1}, fh)
repo.index.add(["train.jsonl", "params.json"])
commit = repo.index.commit("training data and params")
print("committed:", commit.message)
rows = repo.git.show("HEAD:train.jsonl").splitlines()
print("training rows in HEAD:", len(rows))
