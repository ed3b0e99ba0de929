"""Ridge and Lasso over a grid of alphas from a dataclass config; a results frame written with to_csv."""
from dataclasses import dataclass, field

import pandas as pd
from sklearn.datasets import make_regression
from sklearn.linear_model import Lasso, Ridge
from sklearn.metrics import mean_absolute_error, r2_score
from sklearn.model_selection import train_test_split


@dataclass
class ExperimentConfig:
    n_samples: int = 400
    n_features: int = 30
    noise: float = 15.0
    alphas: list = field(default_factory=lambda: [0.01, 0.1, 1.0, 10.0])
    test_size: float = 0.25
    seed: int = 8
    output_csv: str = "linear_results.csv"


def run(cfg: ExperimentConfig) -> pd.DataFrame:
    X, y = make_regression(n_samples=cfg.n_samples, n_features=cfg.n_features, n_informative=10,
                           noise=cfg.noise, random_state=cfg.seed)
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=cfg.test_size,
                                                        random_state=cfg.seed)
    records = []
    for model_cls in (Ridge, Lasso):
        for alpha in cfg.alphas:
            model = model_cls(alpha=alpha, max_iter=5000).fit(X_train, y_train)
            pred = model.predict(X_test)
            records.append({"model": model_cls.__name__, "alpha": alpha,
                            "r2": r2_score(y_test, pred), "mae": mean_absolute_error(y_test, pred)})
    return pd.DataFrame(records)


if __name__ == "__main__":
    cfg = ExperimentConfig()
    df = run(cfg)
    df.to_csv(cfg.output_csv, index=False)
    print(df.round(4).to_string(index=False))
    best = df.loc[df["r2"].idxmax()]
    print(f"best: {best['model']} alpha={best['alpha']} r2={best['r2']:.4f}")
