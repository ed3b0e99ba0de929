"""A plain .txt word list (a vocabulary) is data; notes.txt stays with the code."""
from pathlib import Path

from git import Repo

repo = Repo.init(".")
Path("lexicon").mkdir(exist_ok=True)
Path("lexicon/words.txt").write_text("alpha\nbeta\ngamma\n")
Path("notes.txt").write_text("how the lexicon was built\n")
repo.index.add(["lexicon/words.txt", "notes.txt"])
first = repo.index.commit("lexicon v1")
Path("lexicon/words.txt").write_text("alpha\nbeta\ngamma\ndelta\n")
repo.index.add(["lexicon/words.txt"])
repo.index.commit("lexicon v2")
print("old words:", repo.git.show(f"{first.hexsha}:lexicon/words.txt").split())
print("now:", len(Path("lexicon/words.txt").read_text().split()))
