"""KMeans over a range of n_clusters on blobs; silhouette scores per k and the best k kept."""
from sklearn.cluster import KMeans
from sklearn.datasets import make_blobs
from sklearn.metrics import silhouette_score

X, y = make_blobs(n_samples=500, n_features=2, centers=4, cluster_std=1, center_box=(-10.0, 10.0),
                  shuffle=True, random_state=1)

range_n_clusters = [2, 3, 4, 5, 6]
best_k, best_score, best_model = None, -1.0, None
for n_clusters in range_n_clusters:
    clusterer = KMeans(n_clusters=n_clusters, n_init=10, random_state=10)
    cluster_labels = clusterer.fit_predict(X)
    silhouette_avg = silhouette_score(X, cluster_labels)
    print("For n_clusters =", n_clusters, "The average silhouette_score is :",
          round(silhouette_avg, 4), "inertia:", round(clusterer.inertia_, 1))
    if silhouette_avg > best_score:
        best_k, best_score, best_model = n_clusters, silhouette_avg, clusterer

print("best n_clusters:", best_k)
print("best silhouette:", round(best_score, 4))
