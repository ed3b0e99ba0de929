"""Data repo with train/test/raw folders; a consumer clone checks out only data/train with sparse-checkout."""
import os
import shutil

import numpy as np
from git import Repo
from git.exc import InvalidGitRepositoryError

CONSUMER = "consumer_clone"

try:
    repo = Repo(".")
except InvalidGitRepositoryError:
    repo = Repo.init(".")
with repo.config_writer() as cw:
    cw.set_value("user", "name", "ingest")
    cw.set_value("user", "email", "ingest@example.com")

if not os.path.exists(".gitignore"):
    with open(".gitignore", "w") as fh:
        fh.write(f"/{CONSUMER}/\n")

for split in ("train", "test", "raw"):
    os.makedirs(os.path.join("data", split), exist_ok=True)
shard = len(os.listdir("data/train"))
rng = np.random.default_rng(shard)
np.savetxt(f"data/train/shard_{shard:02d}.csv", rng.normal(size=(50, 4)), delimiter=",", fmt="%.5f")
np.savetxt(f"data/test/shard_{shard:02d}.csv", rng.normal(size=(15, 4)), delimiter=",", fmt="%.5f")
np.savetxt(f"data/raw/dump_{shard:02d}.csv", rng.normal(size=(400, 4)), delimiter=",", fmt="%.5f")
repo.index.add([".gitignore", "data"])
repo.index.commit(f"shard {shard}: train 50, test 15, raw 400 rows")

# the training job only needs data/train: clone without checkout, then restrict the tree
if os.path.exists(CONSUMER):
    shutil.rmtree(CONSUMER)
clone = Repo.clone_from(os.path.abspath("."), CONSUMER, no_checkout=True)
clone.git.sparse_checkout("init", "--cone")
clone.git.sparse_checkout("set", "data/train")
clone.git.checkout(repo.active_branch.name)

present = sorted(os.listdir(os.path.join(CONSUMER, "data")))
train_files = sorted(os.listdir(os.path.join(CONSUMER, "data", "train")))
X = np.vstack([np.loadtxt(os.path.join(CONSUMER, "data", "train", f), delimiter=",") for f in train_files])
tracked = clone.git.ls_files().splitlines()
print(f"files tracked in the clone: {len(tracked)}")
print(f"folders checked out in the clone: {present}")
print(f"train shards: {len(train_files)}, train rows: {X.shape[0]}, column means: {np.round(X.mean(axis=0), 4).tolist()}")
print(f"raw dumps left out of the checkout: {not os.path.exists(os.path.join(CONSUMER, 'data', 'raw'))}")
