# Post-pruning a decision tree with cost-complexity pruning: compute the pruning path on the training
# data, fit one tree per effective alpha, keep the alpha with the best validation accuracy.
import pickle

import numpy as np
from sklearn.datasets import load_breast_cancer
from sklearn.metrics import accuracy_score, balanced_accuracy_score
from sklearn.model_selection import train_test_split
from sklearn.tree import DecisionTreeClassifier

RANDOM_STATE = 0
MIN_SAMPLES_LEAF = 2

X, y = load_breast_cancer(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=RANDOM_STATE, stratify=y)
X_fit, X_val, y_fit, y_val = train_test_split(X_train, y_train, test_size=0.25, random_state=RANDOM_STATE, stratify=y_train)

clf = DecisionTreeClassifier(random_state=RANDOM_STATE, min_samples_leaf=MIN_SAMPLES_LEAF)
path = clf.cost_complexity_pruning_path(X_fit, y_fit)
ccp_alphas, impurities = path.ccp_alphas, path.impurities
print(f"{len(ccp_alphas)} effective alphas, max impurity {impurities[-1]:.4f}")

clfs = []
for ccp_alpha in ccp_alphas[:-1]:  # the last alpha prunes the tree down to its root
    clf = DecisionTreeClassifier(random_state=RANDOM_STATE, min_samples_leaf=MIN_SAMPLES_LEAF, ccp_alpha=ccp_alpha)
    clf.fit(X_fit, y_fit)
    clfs.append(clf)

node_counts = [c.tree_.node_count for c in clfs]
depth = [c.tree_.max_depth for c in clfs]
train_scores = [c.score(X_fit, y_fit) for c in clfs]
val_scores = [c.score(X_val, y_val) for c in clfs]
for a, n, d, tr, va in list(zip(ccp_alphas, node_counts, depth, train_scores, val_scores))[::3]:
    print(f"alpha={a:.5f} nodes={n:3d} depth={d:2d} train={tr:.4f} val={va:.4f}")

best = int(np.argmax(val_scores))
best_alpha = ccp_alphas[best]
final = DecisionTreeClassifier(random_state=RANDOM_STATE, min_samples_leaf=MIN_SAMPLES_LEAF, ccp_alpha=best_alpha)
final.fit(X_train, y_train)
y_pred = final.predict(X_test)
print(f"best_ccp_alpha={best_alpha:.6f}")
print(f"best_val_accuracy={val_scores[best]:.4f}")
print(f"final_nodes={final.tree_.node_count}")
print(f"test_accuracy={accuracy_score(y_test, y_pred):.4f}")
print(f"test_balanced_accuracy={balanced_accuracy_score(y_test, y_pred):.4f}")

with open("pruned_tree.pkl", "wb") as f:
    pickle.dump(final, f)
