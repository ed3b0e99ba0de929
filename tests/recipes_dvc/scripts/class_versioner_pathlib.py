"""A small dataset versioner class around GitPython."""
from pathlib import Path

import git

ROOT = Path.cwd()
DATA_DIR = ROOT / "data"


class DatasetVersioner:
    def __init__(self, root):
        self.repo = git.Repo.init(root)
        self.index = self.repo.index

    def save(self, files, message, tag=None):
        self.index.add([str(f) for f in files])
        self.index.commit(message)
        if tag:
            self.repo.create_tag(tag)

    def load(self, rev, path):
        return self.repo.git.show(f"{rev}:{path}")


def write_split(name, rows):
    DATA_DIR.mkdir(exist_ok=True)
    target = DATA_DIR / f"{name}.csv"
    target.write_text("\n".join(["x"] + [str(r) for r in rows]) + "\n")
    return target


versioner = DatasetVersioner(ROOT)
(ROOT / "params.yaml").write_text("epochs: 3\n")
train = write_split("train", range(5))
test = write_split("test", range(2))
versioner.save([train, test, ROOT / "params.yaml"], "first split", tag="split-1")
train = write_split("train", range(9))
print("files in data:", sorted(p.name for p in DATA_DIR.iterdir()))
print("dirty:", versioner.repo.is_dirty())
versioner.save([train], "bigger train", tag="split-2")
write_split("extra", [1])
print("untracked:", versioner.repo.untracked_files)
print("split-1 train:", versioner.load("split-1", "data/train.csv").split())
print("split-2 test:", versioner.load("split-2", "data/test.csv").split())
