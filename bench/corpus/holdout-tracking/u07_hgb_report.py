"""Histogram gradient boosting with early stopping and a classification report."""
from sklearn.datasets import load_digits
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.metrics import classification_report, f1_score
from sklearn.model_selection import train_test_split

X, y = load_digits(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, random_state=42)
model = HistGradientBoostingClassifier(max_iter=50, learning_rate=0.2, early_stopping=True, random_state=42)
model.fit(X_train, y_train)
y_pred = model.predict(X_test)
print(classification_report(y_test, y_pred, digits=3))
macro_f1 = f1_score(y_test, y_pred, average="macro")
print("macro f1:", round(macro_f1, 4))
