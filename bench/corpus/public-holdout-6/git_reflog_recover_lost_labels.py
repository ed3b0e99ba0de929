"""A relabelling commit is lost by an accidental hard reset and recovered from the reflog: labels are committed each
round, then `repo.head.reset("HEAD~1", index=True, working_tree=True)` throws the new commit away; the loss is noticed
(label count check), the commit is found in `repo.head.log()` (RefLogEntry `.newhexsha` / `.message`) and HEAD is
reset back to it. Each run is a relabelling round."""
import os

import numpy as np
import pandas as pd
from git import Repo
from git.exc import InvalidGitRepositoryError

LABELS = "labels/labels.csv"

try:
    repo = Repo(".")
except InvalidGitRepositoryError:
    repo = Repo.init(".")
with repo.config_writer() as cw:
    cw.set_value("user", "name", "annotator")
    cw.set_value("user", "email", "annotator@example.com")

os.makedirs("labels", exist_ok=True)
if not os.path.exists(LABELS):
    rng0 = np.random.default_rng(0)
    pd.DataFrame({"item": np.arange(200), "label": rng0.choice(["cat", "dog", "other"], 200),
                  "reviewed": False}).to_csv(LABELS, index=False)
    repo.index.add([LABELS])
    repo.index.commit("initial weak labels")

round_no = sum(1 for c in repo.iter_commits(paths=LABELS) if c.summary.startswith("relabel round")) + 1
rng = np.random.default_rng(round_no)
df = pd.read_csv(LABELS)
todo = df.index[~df["reviewed"]]
picked = rng.choice(todo, size=min(40, len(todo)), replace=False)
df.loc[picked, "label"] = rng.choice(["cat", "dog"], size=len(picked))
df.loc[picked, "reviewed"] = True
df.to_csv(LABELS, index=False)
repo.index.add([LABELS])
subject = f"relabel round {round_no}: {len(picked)} items reviewed"
relabel_commit = repo.index.commit(subject)
expected_reviewed = int(df["reviewed"].sum())
print(f"round {round_no}: committed '{subject}', reviewed total {expected_reviewed}")

# the accident: someone wanted to drop a scratch commit and reset one commit too far
repo.head.reset("HEAD~1", index=True, working_tree=True)
after = int(pd.read_csv(LABELS)["reviewed"].sum())
print(f"after the hard reset: reviewed {after} (lost {expected_reviewed - after}), HEAD is '{repo.head.commit.summary}'")

# recovery from the reflog: newest entries last
entries = list(repo.head.log())
# GitPython writes the commit subject as the reflog message; `git reset` writes "reset: moving to ..."
lost = next(e for e in reversed(entries) if subject in e.message and e.newhexsha != repo.head.commit.hexsha)
print(f"reflog entries: {len(entries)}; found the lost commit in entry '{lost.message}'")
repo.head.reset(lost.newhexsha, index=True, working_tree=True)
recovered = pd.read_csv(LABELS)
assert repo.head.commit == relabel_commit
print(f"recovered: reviewed {int(recovered['reviewed'].sum())}, label counts {recovered['label'].value_counts().sort_index().to_dict()}")
print(f"history: {[c.summary for c in repo.iter_commits(max_count=3)]}")
