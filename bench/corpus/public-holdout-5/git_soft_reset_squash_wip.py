"""Three WIP cleaning commits squashed into one with a soft `repo.head.reset("HEAD~3")`, then a single round commit."""
import os

import pandas as pd
from git import Repo
from git.exc import InvalidGitRepositoryError

RAW = "data/raw.csv"
CLEAN = "data/clean.csv"

try:
    repo = Repo(".")
except InvalidGitRepositoryError:
    repo = Repo.init(".")
with repo.config_writer() as cw:
    cw.set_value("user", "name", "cleaner")
    cw.set_value("user", "email", "cleaner@example.com")

os.makedirs("data", exist_ok=True)
if not os.path.exists(RAW):
    rows = []
    for i in range(120):
        rows.append({"id": i, "temp_c": (i * 37) % 50 - 10 if i % 13 else None,
                     "city": [" Oslo", "bergen ", "TROMSO", "oslo"][i % 4]})
    pd.DataFrame(rows).to_csv(RAW, index=False)
    repo.index.add([RAW])
    repo.index.commit("raw weather export")

round_no = sum(1 for c in repo.iter_commits(paths=CLEAN)) + 1
df = pd.read_csv(RAW)
base = repo.head.commit

# step 1: normalise city names
df["city"] = df["city"].str.strip().str.lower()
df.to_csv(CLEAN, index=False)
repo.index.add([CLEAN])
repo.index.commit("wip: strip city names")
# step 2: drop missing readings
df = df.dropna(subset=["temp_c"])
df.to_csv(CLEAN, index=False)
repo.index.add([CLEAN])
repo.index.commit("wip: drop nan")
# step 3: remove physically implausible values (stricter every round)
limit = 40 - 5 * (round_no - 1)
df = df[df["temp_c"].between(-30, limit)]
df.to_csv(CLEAN, index=False)
repo.index.add([CLEAN])
repo.index.commit("wip: clip outliers")

# squash: move HEAD back three commits, keep index and working tree as they are
repo.head.reset("HEAD~3", index=False, working_tree=False)
assert repo.head.commit == base
repo.index.commit(f"clean round {round_no}: normalised cities, dropped missing, max temp {limit}")

subjects = [c.summary for c in repo.iter_commits(max_count=4)]
wip_left = [s for s in subjects if s.startswith("wip")]
print(f"round {round_no}: clean rows {len(df)}, cities {sorted(df['city'].unique())}, mean temp {df['temp_c'].mean():.3f}")
print(f"commits on the branch: {len(list(repo.iter_commits()))}, wip commits left in history: {len(wip_left)}")
print("latest subjects:", subjects)
