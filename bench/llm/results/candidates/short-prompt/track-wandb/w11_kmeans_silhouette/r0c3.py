import wandb

# Start a run with Weights & Biases experiment tracking
with wandb.init(project="w11_kmeans_silhouette", config={
    "N_CLUSTERS": N_CLUSTERS,
    "n_init": 5,
    "random_state": 3
}) as run:
    
    # Train the KMeans model with the given hyperparameters
    km = KMeans(n_clusters=N_CLUSTERS, n_init=5, random_state=3)
    labels = km.fit_predict(X)
    
    # Log every evaluation result listed in the facts
    silhouette = silhouette_score(X, labels)
    wandb.log({"silhouette": silhouette}, step=run.step)  # Use run.step as step
    
    # Log inertia
    wandb.log({"inertia": km.inertia_}, step=run.step)  # Use run.step as step
    
    # Finish the run with Weights & Biases experiment tracking
    wandb.finish()
