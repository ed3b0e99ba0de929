"""Neighbors example layout: KNN with and without NeighborhoodComponentsAnalysis in a Pipeline,
a manual sweep over n_neighbors collecting scores in lists, the best k picked by validation
accuracy and the winning pipeline refit and scored on the test split."""
from sklearn.datasets import load_wine
from sklearn.model_selection import train_test_split
from sklearn.neighbors import KNeighborsClassifier, NeighborhoodComponentsAnalysis
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler

random_state = 0
n_components = 2
neighbor_values = [1, 3, 5, 9, 15]

X, y = load_wine(return_X_y=True)
X_trval, X_test, y_trval, y_test = train_test_split(X, y, test_size=0.25, stratify=y,
                                                    random_state=random_state)
X_train, X_val, y_train, y_val = train_test_split(X_trval, y_trval, test_size=0.3, stratify=y_trval,
                                                  random_state=random_state)


def make_pipeline(use_nca, k):
    steps = [("scaler", StandardScaler())]
    if use_nca:
        steps.append(("nca", NeighborhoodComponentsAnalysis(n_components=n_components,
                                                            random_state=random_state)))
    steps.append(("knn", KNeighborsClassifier(n_neighbors=k)))
    return Pipeline(steps)


results = {"knn": [], "nca+knn": []}
for k in neighbor_values:
    for name, use_nca in (("knn", False), ("nca+knn", True)):
        model = make_pipeline(use_nca, k).fit(X_train, y_train)
        acc = model.score(X_val, y_val)
        results[name].append(acc)
        print(f"{name:8s} k={k:2d} val_acc={acc:.4f}")

best_name, best_k, best_acc = None, None, -1.0
for name, scores in results.items():
    for k, acc in zip(neighbor_values, scores):
        if acc > best_acc:
            best_name, best_k, best_acc = name, k, acc
print(f"best: {best_name} with k={best_k} (val_acc={best_acc:.4f})")

final = make_pipeline(best_name == "nca+knn", best_k).fit(X_trval, y_trval)
print(f"test accuracy: {final.score(X_test, y_test):.4f}")
