# %% [markdown]
# SVC pipeline evaluated with cross-validation

# %%
from sklearn.datasets import load_iris
from sklearn.model_selection import cross_val_score
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC

# %%
KERNEL = "rbf"
GAMMA = 0.2
CV = 5

# %%
X, y = load_iris(return_X_y=True)
pipe = Pipeline([("scale", StandardScaler()), ("svc", SVC(kernel=KERNEL, gamma=GAMMA))])
cv_scores = cross_val_score(pipe, X, y, cv=CV)
print("cv accuracy: %.3f" % cv_scores.mean())

# %%
pipe.fit(X, y)
print("train accuracy: %.3f" % pipe.score(X, y))
