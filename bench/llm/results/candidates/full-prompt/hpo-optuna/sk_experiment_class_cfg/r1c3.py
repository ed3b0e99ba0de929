"""An Experiment class keeps its settings in self.cfg and unpacks them into the model."""
import optuna
from sklearn.datasets import load_breast_cancer
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.metrics import f1_ score
from sklearn.model_selection import train_test_split


class Experiment:
    def __init__(self):
        self.cfg = {"learning_rate": 0.1, "max_iter": 60, "max_leaf_nodes": 15}

    def run(self):
        X, y = load_breast_cancer(return_X_y=True)
        X_tr, X_te, y_tr, y_te = train_test_split(X, y, random_state=5)
        model = HistGradientBoostingClassifier(random_state=5, **self.cfg)

         # Define objective function
        def objective(trial):
             # Suggest hyperparameters
            learning_rate = trial.suggest_float("learning_rate", 0.01, 0.2, log=True)
            max_iter = trial.suggest_int("max_iter", 30, 70, log=True)
            max_leaf_nodes = trial.suggest_int("max_leaf_nodes", 5, 40, log=True)
            
             # Train the model
            model = HistGradientBoostingClassifier(learning_rate=learning_rate,
 max_iter=max_iter,
 max_leaf_nodes=max_leaf_nodes,
 random_state=5)
            model.fit(X_tr, y_tr)
            
             # Evaluate the model on validation set
            f1 = f1_score(y_te, model.predict(X_te))
            
            return f1

         # Create study with direction "maximize"
        study = optuna.create_study(direction="maximize", load_if_exists=True)

         # Run the study
        study.optimize(objective, n_trials=50)

         # Print best parameters and value
        print(f"Best parameters: {study.best_params}")
        print(f"Best value: {study.best_value:.4f}")

         # Refit the model with the best parameters
        model = HistGradientBoostingClassifier(learning_rate=study.best_params["learning_rate"],
 max_iter=study.best_params["max_iter"],
 max_leaf_nodes=study.best_params["max_leaf_nodes"],
 random_state=5)
        model.fit(X_tr, y_tr)

         # Run the script once more to get final output
        f1 = f1_ score(y_te, model.predict(X_te))
        print(f"Final test f1 {f1:.4f}")

if __name__ == "__main__":
    Experiment().run()
