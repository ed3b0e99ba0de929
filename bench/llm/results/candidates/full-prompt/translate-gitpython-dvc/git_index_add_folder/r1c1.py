"""A whole data folder passed to index.add."""
from dvc import Repo

# Initialize DVC in the current (git) repository
repo = Repo.init('.')
os.makedirs('data/train', exist_ok=True)
for i in range(2):
    with open(f"data/train/part{i}.csv", "w") as fh:
        fh.write(f"id,v\n{i},{i * 10}\n")
# Add the data to DVC and commit it
repo.index.add(["data"])
repo.index.commit("training data")

print("parts:", sorted(os.listdir("data/train")))
print("dirty:", repo.is_dirty(untracked_files=True))
