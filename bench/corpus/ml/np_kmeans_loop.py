"""numpy-only: k-means with a per-iteration inertia print."""
import numpy as np

K = 3
ITERATIONS = 8
SEED = 2

rng = np.random.default_rng(SEED)
centers_true = np.array([[0, 0], [5, 5], [0, 5]])
X = np.concatenate([c + rng.normal(size=(60, 2)) for c in centers_true])
centers = X[rng.choice(len(X), K, replace=False)]
for step in range(ITERATIONS):
    labels = np.argmin(((X[:, None, :] - centers[None]) ** 2).sum(-1), axis=1)
    centers = np.array([X[labels == k].mean(0) if np.any(labels == k) else centers[k] for k in range(K)])
    inertia = float(((X - centers[labels]) ** 2).sum())
    print(f"step {step} inertia {inertia:.2f}")
