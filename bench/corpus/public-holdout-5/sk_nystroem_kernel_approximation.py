"""Exact RBF SVC against Nystroem / RBFSampler feature maps + LinearSVC at several sample sizes (digits)."""

import joblib
import numpy as np
from sklearn import datasets, pipeline, svm
from sklearn.kernel_approximation import Nystroem, RBFSampler
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import MinMaxScaler

digits = datasets.load_digits(n_class=9)
n_samples = len(digits.data)
data = digits.data / 16.0
data -= data.mean(axis=0)

X_train, X_test, y_train, y_test = train_test_split(data, digits.target, test_size=0.3, random_state=1,
                                                    stratify=digits.target)
X_train, X_val, y_train, y_val = train_test_split(X_train, y_train, test_size=0.2, random_state=1, stratify=y_train)

gamma = 0.2
C = 1.0
kernel_svm = svm.SVC(gamma=gamma, C=C)
linear_svm = svm.LinearSVC(random_state=1, C=C)

kernel_svm.fit(X_train, y_train)
kernel_svm_score = kernel_svm.score(X_val, y_val)
linear_svm.fit(X_train, y_train)
linear_svm_score = linear_svm.score(X_val, y_val)
print(f"exact rbf SVC val accuracy: {kernel_svm_score:.4f}")
print(f"linear SVC val accuracy:    {linear_svm_score:.4f}")

fourier_approx_svm = pipeline.Pipeline([("feature_map", RBFSampler(gamma=gamma, random_state=1)),
                                        ("svm", svm.LinearSVC(random_state=1, C=C))])
nystroem_approx_svm = pipeline.Pipeline([("feature_map", Nystroem(gamma=gamma, random_state=1)),
                                         ("svm", svm.LinearSVC(random_state=1, C=C))])

sample_sizes = 30 * np.arange(1, 10)
fourier_scores, nystroem_scores = [], []
for D in sample_sizes:
    fourier_approx_svm.set_params(feature_map__n_components=D)
    nystroem_approx_svm.set_params(feature_map__n_components=D)
    nystroem_approx_svm.fit(X_train, y_train)
    fourier_approx_svm.fit(X_train, y_train)
    fourier_scores.append(fourier_approx_svm.score(X_val, y_val))
    nystroem_scores.append(nystroem_approx_svm.score(X_val, y_val))
    print(f"n_components={D:3d}  fourier={fourier_scores[-1]:.4f}  nystroem={nystroem_scores[-1]:.4f}")

best = int(np.argmax(nystroem_scores))
best_components = int(sample_sizes[best])
print(f"best Nystroem n_components: {best_components} (val accuracy {nystroem_scores[best]:.4f})")

final = pipeline.make_pipeline(MinMaxScaler(feature_range=(-1, 1)),
                               Nystroem(gamma=gamma, n_components=best_components, random_state=1),
                               svm.LinearSVC(random_state=1, C=C))
final.fit(np.vstack([X_train, X_val]), np.concatenate([y_train, y_val]))
print(f"final Nystroem test accuracy: {final.score(X_test, y_test):.4f}")
print(f"exact SVC test accuracy:      {kernel_svm.score(X_test, y_test):.4f}")
joblib.dump(final, "nystroem_linear_svc.joblib")
