"""KMeans clustering scored by silhouette."""
import wandb

from sklearn.cluster import KMeans
from sklearn.datasets import make_blobs
from sklearn.metrics import silhouette_score

N_CLUSTERS = 4

X, _ = make_blobs(n_samples=400, centers=N_CLUSTERS, random_state=3)
km = KMeans(n_clusters=N_CLUSTERS, n_init=5, random_state=3)
labels = km.fit_predict(X)
silhouette = silhouette_score(X, labels)
print(f"silhouette: {sil:.3f}")
print(f"inertia: {km.inertia_:.1f}")

with wandb.init(project="llmbench", config={"N_CLUSTERS": N_CLUSTERS, "n_init": 5, "random_state": 3}) as run:
    run.log({"silhouette": silhouette})
    run.log({"inertia": km.inertia_})

run.finish()
