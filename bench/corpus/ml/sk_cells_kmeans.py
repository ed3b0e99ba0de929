# %% [markdown]
# Notebook-style cells: k-means clustering scored by silhouette.

# %%
from sklearn.cluster import KMeans
from sklearn.datasets import make_blobs
from sklearn.metrics import silhouette_score

N_CLUSTERS = 3
SEED = 0

# %%
X, _ = make_blobs(n_samples=300, centers=N_CLUSTERS, random_state=SEED)

# %%
kmeans = KMeans(n_clusters=N_CLUSTERS, n_init=5, random_state=SEED)
kmeans.fit(X)
silhouette = silhouette_score(X, kmeans.labels_)
print(f"silhouette: {silhouette:.3f}")
