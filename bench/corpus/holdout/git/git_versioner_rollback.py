"""A DataVersioner class: commit a vocabulary file, roll it back to an earlier commit, report both."""
from pathlib import Path

from git import Repo


class DataVersioner:
    def __init__(self, workdir):
        self.workdir = Path(workdir)
        self.repo = Repo.init(self.workdir)

    def commit(self, relpath, text, message):
        target = self.workdir / relpath
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text)
        self.repo.index.add([relpath])
        return self.repo.index.commit(message).hexsha

    def rollback(self, relpath, sha):
        self.repo.git.checkout(sha, "--", relpath)
        return (self.workdir / relpath).read_text()


versioner = DataVersioner(".")
first = versioner.commit("vocab/words.txt", "apple\nbanana\n", "vocab v1")
versioner.commit("vocab/words.txt", "apple\nbanana\ncherry\ndate\n", "vocab v2")
print("latest size:", len(Path("vocab/words.txt").read_text().split()))
restored = versioner.rollback("vocab/words.txt", first)
print("rolled back words:", restored.split())
