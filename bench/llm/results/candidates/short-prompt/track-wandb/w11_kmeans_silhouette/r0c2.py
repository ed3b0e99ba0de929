"""KMeans clustering scored by silhouette."""
from sklearn.cluster import KMeans
from sklearn.datasets import make_blobs
from sklearn.metrics import silhouette_score

N_CLUSTERS = 4

X, _ = make_blobs(n_samples=400, centers=N_CLUSTERS, random_state=3)
km = KMeans(n_clusters=N_CLUSTERS, n_init=5, random_state=3)
labels = km.fit_predict(X)

with wandb.init(project="holdout-tracking", config={"N_CLUSTERS": N_CLUSTERS}) as run:
    sil = silhouette_score(X, labels)
    wandb.log({"silhouette": sil}, step=0)
    print(f"silhouette: {sil:.3f}")
    inertia = km.inertia_
    wandb.log({"inertia": inertia}, step=0)
    print(f"inertia: {km.inertia_:.1f}")

wandb.finish()
