import os

import git

LABELS = os.path.join("data", "labels.csv")

repo = git.Repo.init(".")
os.makedirs("data", exist_ok=True)
for version in range(1, 4):
    with open(LABELS, "w") as f:
        f.write("label\n" + "\n".join(str(i % 2) for i in range(version * 2)) + "\n")
    repo.index.add([LABELS])
    repo.index.commit(f"labels v{version}")
    repo.create_tag(f"v{version}")

repo.git.checkout("v1", "--", LABELS)
with open(LABELS) as f:
    print("v1 rows:", len(f.read().splitlines()) - 1)
print("dirty after restoring v1:", repo.is_dirty())
repo.git.checkout("HEAD", "--", LABELS)
with open(LABELS) as f:
    print("head rows:", len(f.read().splitlines()) - 1)
print("dirty after restoring head:", repo.is_dirty())
