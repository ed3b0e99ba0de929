"""Train a tiny model, pickle it next to a metrics file, commit both with GitPython and tag the release."""
import json
import pickle

from git import Repo
from sklearn.datasets import load_iris
from sklearn.tree import DecisionTreeClassifier

repo = Repo.init(".")
X, y = load_iris(return_X_y=True)
clf = DecisionTreeClassifier(max_depth=2, random_state=0).fit(X, y)
with open("model.pkl", "wb") as fh:
    pickle.dump(clf, fh)
with open("metrics.json", "w") as fh:
    json.dump({"train_accuracy": round(clf.score(X, y), 4)}, fh)
repo.index.add(["model.pkl", "metrics.json"])
repo.index.commit("model release")
repo.create_tag("model-v1")
print("dirty after commit:", repo.is_dirty())
with open("model.pkl", "rb") as fh:
    restored = pickle.load(fh)
print("restored depth:", restored.get_depth())
print("metrics:", json.load(open("metrics.json")))
print("tags:", [t.name for t in repo.tags])
