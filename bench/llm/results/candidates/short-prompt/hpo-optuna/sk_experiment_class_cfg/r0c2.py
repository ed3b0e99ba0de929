"""An Experiment class keeps its settings in self.cfg and unpacks them into the model."""
from sklearn.datasets import load_breast_cancer
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.metrics import f1_score
from sklearn.model_selection import train_test_split


class Experiment:
    def __init__(self):
        self.cfg = {"learning_rate": 0.1, "max_iter": 60, "max_leaf_nodes": 15}

    def run(self):
        X, y = load_breast_cancer(return_X_y=True)
        X_tr, X_te, y_tr, y_te = train_test_split(X, y, random_state=5)
        study = optuna.create_study(
            direction="maximize", storage=None
        )
        objective = lambda trial: (
            cross_val_score(
                HistGradientBoostingClassifier(random_state=trial.suggest_int("random_state", 10, 20)),
                X_train,
                y_train,
                cv=3
            ).mean()
        )
        study.optimize(objective, n_trials=5)
        best_params = study.best_params_
        best_value = study.best_value

        print(f"Best params: {best_params}")
        print(f"Best value: {best_value}")

        model = HistGradientBoostingClassifier(
            random_state=best_params["random_state"],
            **self.cfg
        )
        model.fit(X_tr, y_tr)
        f1 = f1_score(y_te, model.predict(X_te))
        print(f"test f1 {f1:.4f}")
        return f1


if __name__ == "__main__":
    Experiment().run()
