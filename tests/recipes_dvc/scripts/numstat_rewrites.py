import git

repo = git.Repo.init(".")
with open("scores.tsv", "w") as f:
    f.write("".join(f"{i}\t{i * i}\n" for i in range(10)))
with open("vocab.txt", "w") as f:
    f.write("a\nb\nc\n")
repo.index.add(["scores.tsv", "vocab.txt"])
repo.index.commit("first")

with open("scores.tsv", "w") as f:  # three rows rewritten, two dropped
    f.write("".join(f"{i}\t{i * i if i > 2 else -1}\n" for i in range(8)))
repo.index.add(["scores.tsv"])
repo.index.commit("rescored")

for commit in repo.iter_commits(reverse=True):
    total = commit.stats.total
    print(commit.summary, total["insertions"], total["deletions"], total["files"])
    for path, counts in sorted(commit.stats.files.items()):
        print("  ", path, counts["insertions"], counts["deletions"], counts["lines"])
