"""A whole data folder passed to index.add."""
from dvc import Repo as DvcRepo

repo = DvcRepo.init(".")
os.makedirs("data/train", exist_ok=True)
for i in range(2):
    with open(f"data/train/part{i}.csv", "w") as fh:
        fh.write(f"id,v\n{i},{i * 10}\n")
dvc_repo.index.add(["data"])
dvc_repo.index.commit("training data")
print("parts:", sorted(os.listdir("data/train")))
print("dirty:", dvc_repo.is_dirty(untracked_files=True))
