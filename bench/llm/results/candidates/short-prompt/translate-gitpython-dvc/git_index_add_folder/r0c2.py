"""A whole data folder passed to index.add."""
import os

from dvc import Repo

repo = Repo.init(".")  # Initialize DVC in the current directory
os.makedirs("data/train", exist_ok=True)
for i in range(2):
    with open(f"data/train/part{i}.csv", "w") as fh:
        fh.write(f"id,v\n{i},{i * 10}\n")
repo.add(["data"])  # Add the data folder to DVC
repo.commit("training data")  # Commit the changes to DVC
print("parts:", sorted(os.listdir("data/train")))  # List files in the 'train' directory
print("dirty:", repo.is_dirty(untracked_files=True))  # Check if there are untracked files
