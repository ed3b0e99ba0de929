"""An Experiment class keeps its settings in self.cfg and unpacks them into the model."""
from sklearn.datasets import load_breast_cancer
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.metrics import f1_score
from sklearn.model_selection import train_test_split, cross_val_score

class Experiment:
    def __init__(self):
        self.cfg = {"learning_rate": 0.1, "max_iter": 60, "max_leaf_nodes": 15}

    def run(self):
        X, y = load_breast_cancer(return_X_y=True)
        X_tr, X_te, y_tr, y_te = train_test_split(X, y, random_state=5)
        model = HistGradientBoostingClassifier(random_state=5, **self.cfg)

        # Optuna hyperparameter tuning
        import optuna

        def objective(trial):
            learning_rate = trial.suggest_float("learning_rate", 1e-3, 0.1, log=True)
            max_iter = trial.suggest_int("max_iter", 20, 200, log=True)
            max_leaf_nodes = trial.suggest_categorical("max_leaf_nodes", [5, 10, 20])

            model = HistGradientBoostingClassifier(
                learning_rate=learning_rate,
                max_iter=max_iter,
                max_leaf_nodes=max_leaf_nodes,
                random_state=5
            )
            score = cross_val_score(model, X_train, y_train, cv=3).mean()
            return -score

        study = optuna.create_study(direction="maximize")
        study.optimize(objective, n_trials=10)
        print(f"best_params: {study.best_params}")
        print(f"best_value: {study.best_value}")

        # Final run with the best parameters
        model.set_params(**study.best_params)
        model.fit(X_tr, y_tr)
        f1 = f1_score(y_te, model.predict(X_te))
        print(f"test f1 {f1:.4f}")
        return f1


if __name__ == "__main__":
    Experiment().run()
