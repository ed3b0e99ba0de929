"""Several models compared in a loop."""
from sklearn.datasets import load_iris
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score
from sklearn.model_selection import train_test_split
from sklearn.naive_bayes import GaussianNB
from sklearn.tree import DecisionTreeClassifier

TEST_SIZE = 0.3

X, y = load_iris(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=TEST_SIZE, random_state=0)
models = {
    "logreg": LogisticRegression(max_iter=300),
    "tree": DecisionTreeClassifier(max_depth=3, random_state=0),
    "nb": GaussianNB(),
}
for name, model in models.items():
    model.fit(X_train, y_train)
    acc = accuracy_score(y_test, model.predict(X_test))
    print(f"{name}: accuracy={acc:.3f}")
