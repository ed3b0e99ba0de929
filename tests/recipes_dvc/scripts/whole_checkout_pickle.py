import pickle

import git

MODEL = "model.pkl"

repo = git.Repo.init(".")
with open("train.py", "w") as f:
    f.write("# trainer\n")
repo.index.add(["train.py"])
repo.index.commit("code")
branch = repo.active_branch.name
for version in (1, 2):
    with open(MODEL, "wb") as f:
        pickle.dump({"weights": [version] * 3}, f)
    repo.index.add([MODEL])
    repo.index.commit(f"model v{version}")
    repo.create_tag(f"model-v{version}")

repo.git.checkout("model-v1")
with open(MODEL, "rb") as f:
    print("checked out v1:", pickle.load(f))
repo.git.checkout(branch)
with open(MODEL, "rb") as f:
    print("back on branch:", pickle.load(f))
print("dirty:", repo.is_dirty())
