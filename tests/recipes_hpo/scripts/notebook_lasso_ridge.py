# %% [markdown]
# # Diabetes progression: Lasso, then a ridge sweep
# An exported notebook: cells, results written to CSV and a plot, and the results committed.

# %%
import subprocess

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import pandas as pd
from sklearn.datasets import load_diabetes
from sklearn.linear_model import Lasso, Ridge
from sklearn.metrics import r2_score
from sklearn.model_selection import train_test_split

# %%
X, y = load_diabetes(return_X_y=True)
X_train, X_val, y_train, y_val = train_test_split(X, y, test_size=0.25, random_state=0)

# %% Lasso
lasso = Lasso(alpha=0.1, max_iter=5000)
lasso.fit(X_train, y_train)
lasso_r2 = r2_score(y_val, lasso.predict(X_val))
print(f"lasso r2: {lasso_r2:.4f}")

# %% Ridge for a few alphas
rows = []
for alpha in [0.01, 0.1, 1.0]:
    ridge = Ridge(alpha=alpha)
    ridge.fit(X_train, y_train)
    r2 = r2_score(y_val, ridge.predict(X_val))
    rows.append({"alpha": alpha, "r2": r2})
    print(f"ridge alpha={alpha}: r2 {r2:.4f}")

# %% Save the results
results = pd.DataFrame(rows)
results.to_csv("ridge_results.csv", index=False)
plt.plot(results["alpha"], results["r2"])
plt.savefig("ridge_r2.png")
with open("runs.log", "a") as log:
    log.write(f"lasso {lasso_r2:.4f}\n")
subprocess.run(["git", "add", "ridge_results.csv"], check=False, capture_output=True)
subprocess.run(["git", "commit", "-m", "ridge results"], check=False, capture_output=True)
