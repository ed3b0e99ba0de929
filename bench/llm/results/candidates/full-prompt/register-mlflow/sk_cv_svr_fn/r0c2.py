import mlflow
from sklearn.datasets import load_diabetes
from sklearn.model_selection import KFold, cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVR

def evaluate_svr(C=10.0, epsilon=0.5, kernel="rbf"):
    with mlflow.start_run():
        X, y = load_diabetes(return_X_y=True)
        model = make_pipeline(StandardScaler(), SVR(C=C, epsilon=epsilon, kernel=kernel))
        folds = KFold(n_splits=5, shuffle=True, random_state=0)
        scores = cross_val_score(model, X, y, cv=folds, scoring="neg_mean_absolute_error")
        mlflow.log_metric("cv_mae", -np.mean(scores))

if __name__ == "__main__":
    cv_mae = evaluate_svr()
    print(f"cross-validated MAE: {cv_mae:.2f}")
