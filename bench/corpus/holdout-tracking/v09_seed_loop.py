"""Repeat an experiment over seeds and average."""
import statistics

from sklearn.datasets import load_wine
from sklearn.ensemble import RandomForestClassifier
from sklearn.model_selection import train_test_split

N_ESTIMATORS = 25


def run_experiment(seed):
    X, y = load_wine(return_X_y=True)
    X_tr, X_te, y_tr, y_te = train_test_split(X, y, random_state=seed)
    forest = RandomForestClassifier(n_estimators=N_ESTIMATORS, random_state=seed)
    forest.fit(X_tr, y_tr)
    return forest.score(X_te, y_te)


accuracies = []
for seed in [0, 1, 2]:
    acc = run_experiment(seed)
    accuracies.append(acc)
    print(f"seed {seed}: accuracy {acc:.3f}")
print(f"mean accuracy {statistics.mean(accuracies):.3f}")
