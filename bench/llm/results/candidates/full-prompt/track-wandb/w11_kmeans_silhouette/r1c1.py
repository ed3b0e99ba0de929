"""KMeans clustering scored by silhouette."""
import wandb

from sklearn.cluster import KMeans
from sklearn.datasets import make_blobs
from sklearn.metrics import silhouette_score

N_CLUSTERS = 4

X, _ = make_blobs(n_samples=400, centers=N_CLUSTERS, random_state=3)
km = KMeans(n_clusters=N_CLUSTERS, n_init=5, random_state=3)

with wandb.init(config={"n_clusters": N_CLUSTERS, "random_state": 3}) as run:
    labels = km.fit_predict(X)
    sil = silhouette_score(X, labels)
    wandb.log({"silhouette": sil})

wandb.finish()
