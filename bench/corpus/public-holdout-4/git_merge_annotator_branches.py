"""Two annotators work on their own branches; their annotation files are merged back into the base
branch with --no-ff merges, and the merged annotation set is summarised."""
import csv
from pathlib import Path

import numpy as np
from git import Repo
from git.exc import InvalidGitRepositoryError

ANN_DIR = Path("annotations")


def open_repo():
    try:
        repo = Repo(".")
    except InvalidGitRepositoryError:
        repo = Repo.init(".")
    with repo.config_writer() as cw:
        cw.set_value("user", "name", "annotation-merger")
        cw.set_value("user", "email", "merger@example.org")
    if not repo.head.is_valid():
        Path("README.md").write_text("annotation repository\n")
        repo.index.add(["README.md"])
        repo.index.commit("init annotation repository")
    return repo


def write_annotations(path, rng, n, annotator):
    path.parent.mkdir(exist_ok=True)
    with path.open("w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["image_id", "box_count", "annotator"])
        for i in range(n):
            w.writerow([f"{annotator}-{i:03d}", int(rng.poisson(2.0)), annotator])


def main():
    repo = open_repo()
    base = repo.active_branch.name
    run = sum(1 for _ in repo.iter_commits(base))  # number of commits so far names this round
    rng = np.random.RandomState(7)
    for annotator, n in (("alice", 40), ("bob", 25)):
        branch = repo.create_head(f"annotate-{annotator}-{run}", repo.heads[base].commit)
        branch.checkout()
        path = ANN_DIR / f"{annotator}_round{run}.csv"
        write_annotations(path, rng, n, annotator)
        repo.index.add([str(path)])
        repo.index.commit(f"{annotator}: {n} images annotated")
        repo.heads[base].checkout()

    for annotator in ("alice", "bob"):
        repo.git.merge(f"annotate-{annotator}-{run}", "--no-ff", "-m", f"merge annotations of {annotator}")

    files = sorted(ANN_DIR.glob("*_round*.csv"))
    counts, boxes = {}, 0
    for f in files:
        with f.open() as fh:
            rows = list(csv.DictReader(fh))
        counts[f.name] = len(rows)
        boxes += sum(int(r["box_count"]) for r in rows)
    print(f"on_base_branch={repo.active_branch.name == base}")
    print(f"merge_commits={sum(1 for c in repo.iter_commits(base) if len(c.parents) == 2)}")
    print(f"annotation_files={len(files)}")
    print(f"annotated_images={sum(counts.values())}")
    print(f"total_boxes={boxes}")
    print(f"dirty={repo.is_dirty(untracked_files=True)}")


if __name__ == "__main__":
    main()
