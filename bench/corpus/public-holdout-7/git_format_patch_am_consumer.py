"""Moving data fixes between two repositories with patches instead of a remote: the producer repository (the current
directory) commits a cleaning fix to `data/measurements.csv` each run, exports it with `repo.git.format_patch("-1",
"HEAD", "-o", "patches")`, and a separate consumer repository (`consumer/`, ignored by the producer, started from the
same first commit content) applies it with `consumer.git.am(patch)`. Both sides' data are compared after the patch;
`git am` keeps the producer's subject and author."""
import glob
import os
import shutil

import numpy as np
import pandas as pd
from git import Repo
from git.exc import InvalidGitRepositoryError

DATA = "data/measurements.csv"


def configured(repo, name):
    with repo.config_writer() as cw:
        cw.set_value("user", "name", name)
        cw.set_value("user", "email", f"{name}@example.com")
    return repo


def main():
    try:
        repo = Repo(".")
    except InvalidGitRepositoryError:
        repo = Repo.init(".")
    configured(repo, "producer")

    if not os.path.exists(DATA):
        with open(".gitignore", "a") as fh:
            fh.write("consumer/\npatches/\n")
        os.makedirs("data", exist_ok=True)
        rng0 = np.random.default_rng(0)
        df0 = pd.DataFrame({"id": np.arange(60), "temp_c": rng0.normal(20, 5, 60).round(2),
                            "humidity": rng0.uniform(20, 90, 60).round(1)})
        df0.loc[rng0.choice(60, 12, replace=False), "temp_c"] = -999.0  # sentinel values from the logger
        df0.to_csv(DATA, index=False)
        repo.index.add([".gitignore", DATA])
        repo.index.commit("raw measurements export")
        # the consumer starts from the same content (e.g. a copy received by mail)
        consumer = configured(Repo.init("consumer"), "consumer")
        os.makedirs("consumer/data", exist_ok=True)
        shutil.copy(DATA, os.path.join("consumer", DATA))
        consumer.index.add([DATA])
        consumer.index.commit("import measurements from producer")
    consumer = configured(Repo("consumer"), "consumer")

    fix_no = sum(1 for c in repo.iter_commits(paths=DATA) if c.summary.startswith("fix:")) + 1
    df = pd.read_csv(DATA)
    sentinel = df.index[df["temp_c"] == -999.0]
    if len(sentinel):
        # fix two sentinel rows per run with the median of the valid values
        fixed = sentinel[:2]
        df.loc[fixed, "temp_c"] = round(float(df.loc[df["temp_c"] != -999.0, "temp_c"].median()), 2)
        subject = f"fix: impute {len(fixed)} sentinel temperatures (pass {fix_no})"
    else:
        df["humidity"] = df["humidity"].clip(upper=85.0)
        subject = f"fix: clip humidity above 85 (pass {fix_no})"
    df.to_csv(DATA, index=False)
    repo.index.add([DATA])
    repo.index.commit(subject)

    os.makedirs("patches", exist_ok=True)
    for old in glob.glob("patches/*.patch"):
        os.remove(old)
    patch_file = repo.git.format_patch("-1", "HEAD", "-o", "patches").strip()
    print(f"producer: '{subject}' -> patch {os.path.basename(patch_file)}")

    consumer.git.am(os.path.abspath(patch_file))
    last = consumer.head.commit
    print(f"consumer applied: '{last.summary}' by {last.author.name}, committed by {last.committer.name}")
    prod = pd.read_csv(DATA)
    cons = pd.read_csv(os.path.join("consumer", DATA))
    print(f"identical data: {prod.equals(cons)}; sentinel rows left {int((cons['temp_c'] == -999.0).sum())}; "
          f"mean temp (valid) {cons.loc[cons['temp_c'] != -999.0, 'temp_c'].mean():.3f}")
    print(f"consumer history: {[c.summary for c in consumer.iter_commits()]}")


if __name__ == "__main__":
    main()
