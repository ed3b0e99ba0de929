"""Commit raw and processed data with GitPython; the code file is committed too."""
import os

from git import Repo

repo = Repo.init(".")
os.makedirs("data/raw", exist_ok=True)
os.makedirs("data/processed", exist_ok=True)
with open("data/raw/events.log", "w") as fh:
    fh.write("a,1\nb,2\na,3\n")
with open("data/processed/counts.csv", "w") as fh:
    fh.write("key,count\na,2\nb,1\n")
with open("process.py", "w") as fh:
    fh.write("print('processing')\n")
repo.index.add(["data/raw/events.log", "data/processed/counts.csv"])
repo.index.add(["process.py"])
repo.index.commit("raw and processed data")
print("processed in HEAD:", repo.git.show("HEAD:data/processed/counts.csv").splitlines()[1:])
print("last message:", repo.head.commit.message)
