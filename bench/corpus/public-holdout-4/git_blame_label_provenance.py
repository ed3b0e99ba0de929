"""Which labelling pass produced each row of labels.csv? Three passes are committed (first labels,
a relabel by a second annotator, appended rows), then repo.blame() attributes every line to a commit."""
from collections import Counter
from pathlib import Path

import numpy as np
from git import Actor, Repo
from git.exc import InvalidGitRepositoryError

LABELS = Path("labels.csv")
ANNOTATOR_A = Actor("Annotator A", "a@example.org")
ANNOTATOR_B = Actor("Annotator B", "b@example.org")


def open_repo():
    try:
        repo = Repo(".")
    except InvalidGitRepositoryError:
        repo = Repo.init(".")
    with repo.config_writer() as cw:
        cw.set_value("user", "name", "label-bot")
        cw.set_value("user", "email", "label-bot@example.org")
    return repo


def write_rows(rows):
    LABELS.write_text("sample_id,label\n" + "".join(f"{i},{lab}\n" for i, lab in rows))


def commit(repo, message, author):
    repo.index.add([str(LABELS)])
    repo.index.commit(message, author=author, committer=author)


def main():
    repo = open_repo()
    rng = np.random.RandomState(0)
    rows = [(i, int(rng.rand() < 0.3)) for i in range(80)]
    write_rows(rows)
    commit(repo, "labels: first pass", ANNOTATOR_A)

    # the second annotator re-checks samples 20-34 and flips the ones she disagrees with
    rows = [(i, 1 - lab if 20 <= i < 35 and i % 2 == 0 else lab) for i, lab in rows]
    write_rows(rows)
    commit(repo, "labels: review pass", ANNOTATOR_B)

    rows += [(i, int(rng.rand() < 0.3)) for i in range(80, 110)]
    write_rows(rows)
    commit(repo, "labels: new batch", ANNOTATOR_A)

    per_pass = Counter()
    per_author = Counter()
    for blamed_commit, lines in repo.blame("HEAD", str(LABELS)):
        data_lines = [ln for ln in lines if not str(ln).startswith("sample_id")]
        per_pass[blamed_commit.summary] += len(data_lines)
        per_author[blamed_commit.author.name] += len(data_lines)
    print(f"rows={len(rows)} positives={sum(lab for _, lab in rows)}")
    for summary, n in sorted(per_pass.items()):
        print(f"{summary}: {n} rows")
    for name, n in sorted(per_author.items()):
        print(f"last touched by {name}: {n} rows")


if __name__ == "__main__":
    main()
