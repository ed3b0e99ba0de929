"""main() returns an exit code passed to sys.exit."""
import sys

from sklearn.datasets import load_diabetes
from sklearn.linear_model import ElasticNet
from sklearn.metrics import mean_absolute_error
from sklearn.model_selection import train_test_split

ALPHA = 0.01
L1_RATIO = 0.3


def main() -> int:
    X, y = load_diabetes(return_X_y=True)
    X_tr, X_te, y_tr, y_te = train_test_split(X, y, random_state=2)
    enet = ElasticNet(alpha=ALPHA, l1_ratio=L1_RATIO)
    enet.fit(X_tr, y_tr)
    mae = mean_absolute_error(y_te, enet.predict(X_te))
    print(f"MAE: {mae:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
