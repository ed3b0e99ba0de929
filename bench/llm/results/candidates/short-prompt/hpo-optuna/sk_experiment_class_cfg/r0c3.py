"""An Experiment class keeps its settings in self.cfg and unpacks them into the model."""
from sklearn.datasets import load_breast_cancer
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.metrics import f1_score
from sklearn.model_selection import train_test_split

import optuna

class Experiment:
    def __init__(self):
        self.cfg = {"learning_rate": 0.1, "max_iter": 60, "max_leaf_nodes": 15}

    def run(self):
        study = optuna.create_study(direction="maximize", n_trials=10)
        objective = self.objective
        study.optimize(objective, n_trials=study.n_trials)

        best_params = study.best_params_
        model = HistGradientBoostingClassifier(random_state=best_params["random_state"], **best_params)
        model.fit(X_train, y_train)
        f1 = f1_score(y_te, model.predict(X_te))
        print(f"test f1 {f1:.4f}")
        return f1


if __name__ == "__main__":
    Experiment().run()
