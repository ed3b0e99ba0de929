"""A pipeline with PCA and logistic regression, evaluated with several metrics."""
from sklearn.datasets import load_digits
from sklearn.decomposition import PCA
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, f1_score
from sklearn.model_selection import train_test_split
from sklearn.pipeline import Pipeline

N_COMPONENTS = 20
C = 0.8

X, y = load_digits(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=4)
pipe = Pipeline([("pca", PCA(n_components=N_COMPONENTS, random_state=0)), ("clf", LogisticRegression(C=C, max_iter=500))])
pipe.fit(X_train, y_train)
pred = pipe.predict(X_test)
accuracy = accuracy_score(y_test, pred)
macro_f1 = f1_score(y_test, pred, average="macro")
print(f"accuracy: {accuracy:.3f}")
print(f"macro_f1: {macro_f1:.3f}")
