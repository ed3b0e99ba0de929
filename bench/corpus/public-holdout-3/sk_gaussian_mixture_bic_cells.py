# %% [markdown]
# # Gaussian mixture model selection with the BIC
# A grid over the number of components and the covariance type; the lowest BIC wins,
# as in the scikit-learn "GMM model selection" example. The best model is pickled.

# %%
import pickle

import numpy as np
import pandas as pd
from sklearn.datasets import make_blobs
from sklearn.metrics import adjusted_rand_score
from sklearn.mixture import GaussianMixture

n_samples = 600
rng_seed = 0

# %%
X, y_true = make_blobs(n_samples=n_samples, centers=[[0, 0], [4, 4], [-3, 5]],
                       cluster_std=[0.7, 1.2, 0.9], random_state=rng_seed)
stretch = np.array([[0.6, -0.6], [-0.4, 0.8]])
X = X @ stretch
print(f"{X.shape[0]} points, {X.shape[1]} features")

# %%
rows = []
lowest_bic = np.inf
best_gmm = None
for covariance_type in ["spherical", "tied", "diag", "full"]:
    for n_components in range(1, 7):
        gmm = GaussianMixture(n_components=n_components, covariance_type=covariance_type,
                              random_state=rng_seed, n_init=2)
        gmm.fit(X)
        bic = gmm.bic(X)
        rows.append({"covariance_type": covariance_type, "n_components": n_components, "BIC": bic})
        if bic < lowest_bic:
            lowest_bic = bic
            best_gmm = gmm

df = pd.DataFrame(rows)
print(df.sort_values("BIC").head(5).to_string(index=False, float_format="%.2f"))

# %%
labels = best_gmm.predict(X)
print(f"best: {best_gmm.n_components} components, {best_gmm.covariance_type} covariance, BIC {lowest_bic:.2f}")
print(f"adjusted Rand index vs true blobs: {adjusted_rand_score(y_true, labels):.4f}")
print(f"mean log-likelihood per sample: {best_gmm.score(X):.4f}")

with open("best_gmm.pkl", "wb") as fh:
    pickle.dump(best_gmm, fh)
