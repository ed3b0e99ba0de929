"""A flat script: module constants drive a random forest on the wine data."""
from sklearn.datasets import load_wine
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import accuracy_score
from sklearn.model_selection import train_test_split

N_ESTIMATORS = 20
MAX_DEPTH = 4
CRITERION = "gini"
MIN_SAMPLES_LEAF = 2

X, y = load_wine(return_X_y=True)
X_train, X_val, y_train, y_val = train_test_split(X, y, test_size=0.3, random_state=0)
forest = RandomForestClassifier(n_estimators=N_ESTIMATORS, max_depth=MAX_DEPTH, criterion=CRITERION,
                                min_samples_leaf=MIN_SAMPLES_LEAF, random_state=0)
forest.fit(X_train, y_train)
val_accuracy = accuracy_score(y_val, forest.predict(X_val))
print(f"validation accuracy: {val_accuracy:.4f}")
