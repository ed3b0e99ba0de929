"""A bare 'server' repository and a mirror clone: the data travels through push, clone and pull."""
import os
import pickle

import git

os.makedirs("work", exist_ok=True)
server = git.Repo.init(os.path.abspath("server.git"), bare=True)
repo = git.Repo.init("work")
with open("work/vocab.pkl", "wb") as fh:
    pickle.dump(["a", "b"], fh)
repo.index.add(["vocab.pkl"])
repo.index.commit("vocab 1")
remote = repo.create_remote("origin", server.git_dir)
branch = repo.active_branch.name
remote.push(refspec=f"{branch}:{branch}")

mirror = git.Repo.clone_from(server.git_dir, "mirror")
with open("mirror/vocab.pkl", "rb") as fh:
    print("mirror after clone:", pickle.load(fh))

with open("work/vocab.pkl", "wb") as fh:
    pickle.dump(["a", "b", "c"], fh)
repo.index.add(["vocab.pkl"])
repo.index.commit("vocab 2")
repo.remotes.origin.push(refspec=f"{branch}:{branch}")
mirror.remotes.origin.pull(branch)
with open("mirror/vocab.pkl", "rb") as fh:
    print("mirror after pull:", pickle.load(fh))
print("server commits:", len(list(server.iter_commits(branch))))
