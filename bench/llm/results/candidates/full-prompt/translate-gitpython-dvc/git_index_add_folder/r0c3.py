"""A whole data folder passed to index.add."""
import os

from dvc import Repo

repo = Repo.init('.')
os.makedirs('data/train', exist_ok=True)
for i in range(2):
    with open(f'data/train/part{i}.csv', 'w') as fh:
        fh.write(f'id,v\n{i},{i * 10}\n')
repo.add(['data'])
repo.commit("training data")
print("parts:", sorted(os.listdir('data/train')))
print("dirty:", repo.is_dirty(untracked_files=True))
