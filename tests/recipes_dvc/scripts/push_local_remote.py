import os

import git

remote_dir = os.path.abspath("remote.git")
git.Repo.init(remote_dir, bare=True)

repo = git.Repo.init("work")
os.makedirs("work/data", exist_ok=True)
with open("work/data/points.csv", "w") as f:
    f.write("x\n1\n2\n")
with open("work/train.py", "w") as f:
    f.write("print('train')\n")
repo.index.add(["data/points.csv", "train.py"])
repo.index.commit("data and code")
origin = repo.create_remote("origin", remote_dir)
branch = repo.active_branch.name
origin.push(refspec=f"{branch}:{branch}")
remote = git.Repo(remote_dir)
print("remote commits:", len(list(remote.iter_commits(branch))))
print("message:", remote.commit(branch).message)
print("old:", repo.git.show("HEAD:data/points.csv").splitlines())
