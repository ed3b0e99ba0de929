"""Provenance of individual label rows with the pickaxe: labels are appended to `labels/annotations.csv` in one commit
per annotation batch (some batches also correct earlier rows), then `repo.git.log("-S", needle, "--format=%s",
"--", path)` finds the batch that introduced a given sample, and `-G` with a regex finds every commit touching rows
labelled `unsure`. Each run is one batch; the printout is commit subjects and row facts."""
import os

import numpy as np
import pandas as pd
from git import Repo
from git.exc import InvalidGitRepositoryError

PATH = "labels/annotations.csv"
CLASSES = ["bird", "cat", "dog", "unsure"]

try:
    repo = Repo(".")
except InvalidGitRepositoryError:
    repo = Repo.init(".")
with repo.config_writer() as cw:
    cw.set_value("user", "name", "labeler")
    cw.set_value("user", "email", "labeler@example.com")

os.makedirs("labels", exist_ok=True)
batch = sum(1 for c in repo.iter_commits(paths=PATH)) + 1 if repo.head.is_valid() else 1
rng = np.random.default_rng(100 + batch)
if os.path.exists(PATH):
    df = pd.read_csv(PATH)
else:
    df = pd.DataFrame(columns=["sample_id", "label", "batch"])
start = len(df)
new = pd.DataFrame({
    "sample_id": [f"s{start + i:05d}" for i in range(30)],
    "label": rng.choice(CLASSES, size=30, p=[0.3, 0.3, 0.3, 0.1]),
    "batch": batch,
})
df = pd.concat([df, new], ignore_index=True)
corrected = 0
if batch > 1:
    # review pass: some earlier 'unsure' rows get a real label
    unsure = df.index[(df["label"] == "unsure") & (df["batch"] < batch)]
    for idx in unsure[:3]:
        df.loc[idx, "label"] = rng.choice(CLASSES[:3])
        df.loc[idx, "batch"] = batch
        corrected += 1
df.to_csv(PATH, index=False)
repo.index.add([PATH])
repo.index.commit(f"annotation batch {batch}: +{len(new)} rows, {corrected} corrections")
print(f"batch {batch}: {len(df)} rows, label counts {df['label'].value_counts().sort_index().to_dict()}")

for sample in ["s00000", f"s{start + 7:05d}", f"s{len(df) - 1:05d}"]:
    subjects = repo.git.log("-S", f"{sample},", "--format=%s", "--", PATH).splitlines()
    # the oldest commit that changed the number of occurrences is the one that added the row
    print(f"{sample}: introduced by '{subjects[-1]}', occurrence changes {len(subjects)}")

corrected_ids = df.loc[df["batch"] == batch, "sample_id"].head(corrected).tolist() if corrected else []
for sample in corrected_ids[:2]:
    # with the old label in the needle, -S lists the commit that wrote it and the one that removed it
    subjects = repo.git.log("-S", f"{sample},unsure", "--format=%s", "--", PATH).splitlines()
    print(f"{sample} was unsure in '{subjects[-1]}', corrected in '{subjects[0]}'")

touching_unsure = repo.git.log("-G", r",unsure,", "--format=%s", "--", PATH).splitlines()
print(f"commits touching 'unsure' rows: {len(touching_unsure)} -> {list(reversed(touching_unsure))}")
print(f"remaining unsure rows: {int((df['label'] == 'unsure').sum())}")
