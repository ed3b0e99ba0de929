"""Version a raw/ and processed/ data split with the git CLI wrappers: `git add --all`, `git commit -m`."""
import os

import pandas as pd
from git import Repo


def process(raw):
    out = raw.dropna().copy()
    out["amount_z"] = ((out["amount"] - out["amount"].mean()) / out["amount"].std()).round(4)
    return out


def main():
    repo = Repo.init(os.getcwd())
    os.makedirs("raw", exist_ok=True)
    os.makedirs("processed", exist_ok=True)
    raw = pd.DataFrame({"id": range(10), "amount": [5.0, 7.5, None, 3.0, 9.1, 4.4, None, 6.6, 2.2, 8.0]})
    raw.to_csv("raw/transactions.csv", index=False)
    process(raw).to_csv("processed/transactions.csv", index=False)
    repo.git.add("--all")
    repo.git.commit("-m", "raw and processed transactions")

    more = pd.DataFrame({"id": range(10, 14), "amount": [1.5, None, 12.0, 6.1]})
    raw = pd.concat([raw, more], ignore_index=True)
    raw.to_csv("raw/transactions.csv", index=False)
    processed = process(raw)
    processed.to_csv("processed/transactions.csv", index=False)
    print(repo.git.status("--short"))
    repo.git.add("--all")
    repo.git.commit("-m", "append four transactions")
    print("raw rows:", len(raw), "processed rows:", len(processed))
    print("missing amounts dropped:", int(raw["amount"].isna().sum()))


if __name__ == "__main__":
    main()
