"""Calibrated naive Bayes vs uncalibrated, Brier scores printed and a reliability plot saved (Agg)."""
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from sklearn.calibration import CalibratedClassifierCV, calibration_curve  # noqa: E402
from sklearn.datasets import make_classification  # noqa: E402
from sklearn.metrics import brier_score_loss  # noqa: E402
from sklearn.model_selection import train_test_split  # noqa: E402
from sklearn.naive_bayes import GaussianNB  # noqa: E402

X, y = make_classification(n_samples=3000, n_features=12, n_informative=4, n_redundant=6,
                           random_state=42)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.5, random_state=42)

gnb = GaussianNB().fit(X_train, y_train)
prob_pos_clf = gnb.predict_proba(X_test)[:, 1]

gnb_isotonic = CalibratedClassifierCV(GaussianNB(), cv=3, method="isotonic")
gnb_isotonic.fit(X_train, y_train)
prob_pos_isotonic = gnb_isotonic.predict_proba(X_test)[:, 1]

gnb_sigmoid = CalibratedClassifierCV(GaussianNB(), cv=3, method="sigmoid")
gnb_sigmoid.fit(X_train, y_train)
prob_pos_sigmoid = gnb_sigmoid.predict_proba(X_test)[:, 1]

print("Brier score losses: (the smaller the better)")
clf_score = brier_score_loss(y_test, prob_pos_clf)
print("No calibration: %1.3f" % clf_score)
clf_isotonic_score = brier_score_loss(y_test, prob_pos_isotonic)
print("With isotonic calibration: %1.3f" % clf_isotonic_score)
clf_sigmoid_score = brier_score_loss(y_test, prob_pos_sigmoid)
print("With sigmoid calibration: %1.3f" % clf_sigmoid_score)

plt.figure()
for name, prob in [("uncalibrated", prob_pos_clf), ("isotonic", prob_pos_isotonic),
                   ("sigmoid", prob_pos_sigmoid)]:
    frac_pos, mean_pred = calibration_curve(y_test, prob, n_bins=10)
    plt.plot(mean_pred, frac_pos, "s-", label=name)
plt.plot([0, 1], [0, 1], "k:", label="perfect")
plt.legend(loc="lower right")
plt.savefig("calibration.png")
