"""A classification report as a dict; a few of its entries are printed."""
from sklearn.datasets import load_wine
from sklearn.ensemble import GradientBoostingClassifier
from sklearn.metrics import classification_report
from sklearn.model_selection import train_test_split

X, y = load_wine(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, random_state=8)
gb = GradientBoostingClassifier(n_estimators=40, max_depth=2, random_state=8)
gb.fit(X_train, y_train)
report = classification_report(y_test, gb.predict(X_test), output_dict=True)
print("accuracy", round(report["accuracy"], 3))
print("macro f1", round(report["macro avg"]["f1-score"], 3))
