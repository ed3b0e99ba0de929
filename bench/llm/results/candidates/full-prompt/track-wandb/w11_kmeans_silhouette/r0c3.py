"""KMeans clustering scored by silhouette."""
from sklearn.cluster import KMeans
from sklearn.datasets import make_blobs
from sklearn.metrics import silhouette_score

N_CLUSTERS = 4

X, _ = make_blobs(n_samples=400, centers=N_CLUSTERS, random_state=3)
km = KMeans(n_clusters=N_CLUSTERS, n_init=5, random_state=3)

# Start a run with Weights & Biases
with wandb.init(project="my-project", config={"N_CLUSTERS": N_CLUSTERS}) as run:
    labels = km.fit_predict(X)
    sil = silhouette_score(X, labels)

    # Log every evaluation result under these names
    wandb.log({"silhouette": sil}, step=run.step)
    wandb.log({"inertia": km.inertia_}, step=run.step)

# Finish the run with Weights & Biases
wandb.finish()
