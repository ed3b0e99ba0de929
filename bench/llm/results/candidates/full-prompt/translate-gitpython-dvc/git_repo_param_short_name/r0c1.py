"""A helper takes the repository as a parameter with a short name."""
import dvc

def snapshot(r: DvcRepo, files, message):
    r.add(files)
    r.commit(message)


g = DvcRepo.init(".").open()
with open("scores.csv", "w") as fh:
    fh.write("run,score\n1,0.5\n")
snapshot(g, ["scores.csv"], "scores")
with open("scores.csv", "a") as fh:
    fh.write("2,0.7\n")
snapshot(g, ["scores.csv"], "more scores")
print("rows:", len(open("scores.csv").read().splitlines()) - 1)
