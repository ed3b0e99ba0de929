"""`# %%` cells: random forest regressor on diabetes, feature importances and a saved Agg plot."""
# %%
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from sklearn.datasets import load_diabetes  # noqa: E402
from sklearn.ensemble import RandomForestRegressor  # noqa: E402
from sklearn.metrics import mean_squared_error, r2_score  # noqa: E402
from sklearn.model_selection import train_test_split  # noqa: E402

# %% [markdown]
# ## Data

# %%
data = load_diabetes()
X_train, X_test, y_train, y_test = train_test_split(data.data, data.target, test_size=0.2,
                                                    random_state=3)

# %% [markdown]
# ## Model

# %%
n_estimators = 80
max_depth = 6
min_samples_leaf = 2
forest = RandomForestRegressor(n_estimators=n_estimators, max_depth=max_depth,
                               min_samples_leaf=min_samples_leaf, random_state=3)
forest.fit(X_train, y_train)
pred = forest.predict(X_test)
rmse = np.sqrt(mean_squared_error(y_test, pred))
print(f"RMSE: {rmse:.3f}")
print(f"R2: {r2_score(y_test, pred):.4f}")

# %%
order = np.argsort(forest.feature_importances_)
fig, ax = plt.subplots(figsize=(5, 4))
ax.barh(np.array(data.feature_names)[order], forest.feature_importances_[order])
ax.set_title("Feature importances (MDI)")
fig.tight_layout()
fig.savefig("importances.png")
print("most important:", data.feature_names[order[-1]])
