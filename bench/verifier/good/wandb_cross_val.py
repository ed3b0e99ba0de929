"""Cross-validation of a ridge regression."""
import numpy as np
import wandb
from sklearn.datasets import load_diabetes
from sklearn.linear_model import Ridge
from sklearn.model_selection import cross_val_score

ALPHA = 0.5
FOLDS = 5

wandb.init(project="ridge-cv", config={"alpha": ALPHA, "folds": FOLDS})
X, y = load_diabetes(return_X_y=True)
model = Ridge(alpha=ALPHA)
scores = cross_val_score(model, X, y, cv=FOLDS, scoring="r2")
for fold, score in enumerate(scores):
    wandb.log({"fold_r2": score}, step=fold)
mean_r2 = float(np.mean(scores))
wandb.summary["mean_r2"] = mean_r2
print(f"cv r2 mean: {mean_r2:.4f}")
model.fit(X, y)
print("fitted on all data")
wandb.finish()
