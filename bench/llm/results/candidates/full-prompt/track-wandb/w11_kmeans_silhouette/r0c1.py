"""KMeans clustering scored by silhouette."""
from sklearn.cluster import KMeans
from sklearn.datasets import make_blobs
from sklearn.metrics import silhouette_score

import wandb

N_CLUSTERS = 4

X, _ = make_blobs(n_samples=400, centers=N_CLUSTERS, random_state=3)
km = KMeans(n_clusters=N_CLUSTERS, n_init=5, random_state=3)
labels = km.fit_predict(X)

wandb.init(project="kmeans_silhouette", config={"N_CLUSTERS": N_CLUSTERS})
sil = silhouette_score(X, labels)
print(f"silhouette: {sil:.3f}")
wandb.log({"inertia": km.inertia_})

with wandb.init(project="kmeans_silhouette") as run:
    sil = silhouette_score(X, labels)
    wandb.log({"inertia": km.inertia_})

wandb.finish()
