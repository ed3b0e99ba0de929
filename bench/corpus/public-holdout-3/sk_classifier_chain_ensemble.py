"""Multi-label classification: independent models vs an ensemble of classifier chains.

Like the scikit-learn yeast example, on a synthetic multi-label problem: a OneVsRest logistic
regression, ten ClassifierChain models with random label orders, and the ensemble that averages
the chains' probabilities; each is scored with the samples-averaged Jaccard index.
"""
import numpy as np
from sklearn.datasets import make_multilabel_classification
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import jaccard_score
from sklearn.model_selection import train_test_split
from sklearn.multiclass import OneVsRestClassifier
from sklearn.multioutput import ClassifierChain

N_CHAINS = 10
C = 1.0

X, Y = make_multilabel_classification(n_samples=800, n_features=20, n_classes=6, n_labels=2,
                                      allow_unlabeled=False, random_state=0)
X_train, X_test, Y_train, Y_test = train_test_split(X, Y, test_size=0.25, random_state=0)
print(f"label cardinality (train): {Y_train.sum(axis=1).mean():.3f}")

base_lr = LogisticRegression(C=C, max_iter=2000)
ovr = OneVsRestClassifier(base_lr)
ovr.fit(X_train, Y_train)
Y_pred_ovr = ovr.predict(X_test)
ovr_jaccard_score = jaccard_score(Y_test, Y_pred_ovr, average="samples")
print(f"Independent: {ovr_jaccard_score:.4f}")

chains = [ClassifierChain(base_lr, order="random", random_state=i) for i in range(N_CHAINS)]
for chain in chains:
    chain.fit(X_train, Y_train)

Y_pred_chains = np.array([chain.predict_proba(X_test) for chain in chains])
chain_jaccard_scores = [jaccard_score(Y_test, Y_pred_chain >= 0.5, average="samples")
                        for Y_pred_chain in Y_pred_chains]
for i, score in enumerate(chain_jaccard_scores):
    print(f"Chain {i + 1}: {score:.4f}")

Y_pred_ensemble = Y_pred_chains.mean(axis=0)
ensemble_jaccard_score = jaccard_score(Y_test, Y_pred_ensemble >= 0.5, average="samples")
print(f"Ensemble: {ensemble_jaccard_score:.4f}")
