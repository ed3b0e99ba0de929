"""The one vocabulary: names that tell hyperparameters, metrics (and their direction), models and training apart."""

from __future__ import annotations

import re

# Scalar-returning evaluation functions (sklearn.metrics and friends).
METRIC_FUNCTIONS = frozenset(
    {
        "accuracy_score", "balanced_accuracy_score", "f1_score", "fbeta_score", "precision_score",
        "recall_score", "roc_auc_score", "average_precision_score", "log_loss", "hinge_loss",
        "matthews_corrcoef", "cohen_kappa_score", "jaccard_score", "hamming_loss", "zero_one_loss",
        "brier_score_loss", "top_k_accuracy_score", "mean_squared_error", "root_mean_squared_error",
        "mean_absolute_error", "median_absolute_error", "mean_absolute_percentage_error",
        "mean_squared_log_error", "root_mean_squared_log_error", "r2_score",
        "explained_variance_score", "max_error", "d2_absolute_error_score", "mean_pinball_loss",
        "mean_poisson_deviance", "mean_gamma_deviance", "mean_tweedie_deviance",
        "silhouette_score", "adjusted_rand_score", "normalized_mutual_info_score",
        "adjusted_mutual_info_score", "davies_bouldin_score", "calinski_harabasz_score",
        "v_measure_score", "homogeneity_score", "completeness_score",
    }
)

# Functions that return one score per fold.
CV_FUNCTIONS = frozenset({"cross_val_score"})

METRIC_NAME = re.compile(
    r"(^|_)(acc|accuracy|loss|f1|auc|roc_auc|mse|rmse|msle|rmsle|mae|mape|r2|precision|recall|score|scores|"
    r"error|err|ppl|perplexity|iou|dice|bleu|rouge|kappa|corr|mcc|logloss|nll|top\d+|"
    r"inertia|silhouette|likelihood|reward|ndcg|mrr|psnr|ssim|"
    # ranking results: hit ratio (HR, hit_rate, hits@10) and mean average precision at a cutoff
    # (map@k, map_at_10; a bare `map`/`label_map` is usually a lookup table, so it needs the cutoff)
    r"hr|hit_rate|hit_ratio|hitrate|hits(?=@|_at|\d)|map(?=@|_at|_?\d))(_|$|\d|@)",
    re.IGNORECASE,
)

# Names that hold paths, handles or bookkeeping rather than hyperparameters.
NOT_HYPERPARAM_NAME = re.compile(
    # max_features / n_features are sizes, not feature lists: the lookbehinds keep them
    r"(?<!max_)(?<!min_)(?<!n_)(?<!num_)(path|dir|file|url|uri|name|fmt|format|csv|root|folder|device|host|port|key|token|"
    r"column|col|cols|target|label|labels|features|feature_names|version|tag|project|experiment)s?$",
    re.IGNORECASE,
)

# Constructors whose literal keyword arguments count as hyperparameters.
HYPERPARAM_CTOR_MODULES = ("sklearn", "xgboost", "lightgbm", "catboost", "torch.optim", "torch.utils.data")
EXTRA_HYPERPARAM_CALLS = frozenset({"train_test_split", "DataLoader", "KFold", "StratifiedKFold"})
OPTIMIZER_NAMES = frozenset(
    {"SGD", "Adam", "AdamW", "RMSprop", "Adagrad", "Adadelta", "Adamax", "NAdam", "RAdam", "LBFGS",
     "StepLR", "CosineAnnealingLR", "ExponentialLR", "ReduceLROnPlateau", "MultiStepLR", "OneCycleLR"}
)
MODEL_SUFFIXES = (
    "Classifier", "Regressor", "Regression", "Classification", "SVC", "SVR", "NB", "Means", "KNN",
    "Forest", "Boost", "Model", "Net", "Estimator", "Pipeline", "Ridge", "Lasso", "ElasticNet",
    "Ranker",  # XGBRanker, LGBMRanker
)

PATHLIKE_VALUE = re.compile(r"[/\\]|\.(csv|json|pkl|pt|pth|joblib|txt|parquet|npy|h5|yaml|yml|db)$")

# Methods on a fitted model that mean "it has been trained".
TRAIN_METHODS = frozenset({"fit", "fit_transform", "fit_predict", "partial_fit", "train"})
# Calls on an object that train it in place: a fit, or a torch backward pass.
FIT_OR_BACKWARD = frozenset({"fit", "partial_fit", "backward", "fit_transform"})
# Calls that do the work of a training function: training, or cross-validation (it fits per fold).
ML_WORK = frozenset({"fit", "partial_fit", "backward", "cross_val_score", "cross_validate", "cross_val_predict",
                     "fit_transform", "fit_predict"})
# Calls that train a scikit-learn style model (also cross-validation, which fits per fold).
SKLEARN_TRAINING_CALLS = frozenset({"fit", "partial_fit", "cross_val_score", "cross_validate"})
# Calls a training step makes (a torch loop or a fit): statements making them change the model.
TRAINING_STEP_CALLS = frozenset({"backward", "step", "zero_grad", "fit", "partial_fit", "train"})
# Calls that train the model passed to them: `trainer.fit(model)`, `train(model, ...)`, `cross_validate(model, ...)`.
TRAINS_ITS_ARGUMENT = frozenset({"fit", "train", "cross_validate"})
# Methods whose presence makes a class method a training method.
TRAINING_METHOD_CALLS = frozenset({"backward", "fit", "partial_fit"})
# Training calls an editor hint points at (`model.fit(...)`, `loss.backward()`, Keras' fit_generator).
HINT_TRAINING_CALLS = frozenset({"fit", "backward", "train", "train_on_batch", "fit_generator"})


def is_metric_name(name: str) -> bool:
    """True for variable names that usually hold an evaluation result."""
    return bool(METRIC_NAME.search(name))


def slug(text: str) -> str:
    """Turn a label such as 'Test accuracy:' into a metric key such as 'test_accuracy'."""
    text = re.sub(r"[^0-9a-zA-Z]+", "_", text).strip("_").lower()
    text = re.sub(r"_+", "_", text)
    return text[:60]


# Metric direction by name. One vocabulary for the HPO recipe, its V4 rule and its V5 test, so
# they cannot disagree (a MAPE is minimised everywhere).
MAXIMIZE = re.compile(r"(acc|accuracy|f1|auc|precision|recall|r2|score|iou|dice|bleu|rouge|kappa|corr|mcc|map|"
                      r"top\d|neg_|ndcg|mrr|psnr|ssim|(^|_)(hr|hit)(_|$|\d|@|s|rate|ratio))", re.IGNORECASE)
MINIMIZE = re.compile(r"(loss|error|err|mse|rmse|msle|mae|mape|nll|perplexity|ppl|deviance|hamming|zero_one|cost|"
                      r"regret|brier|logloss|inertia|distortion|wcss|sse)", re.IGNORECASE)
VALIDATION = re.compile(r"(val|valid|validation|test|eval|holdout|dev)", re.IGNORECASE)


def direction_of(key: str) -> str | None:
    """'maximize' for accuracy-like names, 'minimize' for loss/error-like names, None if unclear."""
    low = key.lower()
    if "neg_" in low:
        return "maximize"
    if MINIMIZE.search(low):
        return "minimize"
    if MAXIMIZE.search(low):
        return "maximize"
    return None


# Settings that are worth logging but do not define the trained model: seeds, split sizes, fold
# counts and run bookkeeping. A tracking edit that leaves them out gets a warning, not a rejection.
RECOMMENDED_ONLY_HYPERPARAM = re.compile(
    r"(^|_)(seed|random_state|random_seed|rng|test_size|val_size|valid_size|validation_size|"
    r"train_size|test_split|val_split|validation_split|split|holdout|n_splits|splits|folds|n_folds|cv|"
    r"shuffle|verbose|verbosity|n_jobs|jobs|workers|num_workers|log_interval|log_every|"
    r"print_every|save_model|save|dry_run|no_cuda|no_mps|device|test_batch_size)($|_)",
    re.IGNORECASE,
)


def defines_the_model(hyperparam_name: str) -> bool:
    """True unless the name is a seed, split size, bookkeeping or data-loading plumbing setting."""
    leaf = hyperparam_name.rsplit(".", 1)[-1]
    return leaf not in LOADER_PLUMBING and not RECOMMENDED_ONLY_HYPERPARAM.search(leaf)


# Values a variable is reset to before it accumulates a result (`test_loss = 0`, `correct = 0`):
# such an assignment is a start value, never the result to log or report.
RESET_VALUES = frozenset({"0", "0.0", "0.", "None", "[]", "{}", "()", "float(0)", "int(0)"})
# Data-loading plumbing (how batches reach the device), not settings of the trained model.
LOADER_PLUMBING = frozenset({"num_workers", "pin_memory", "persistent_workers", "prefetch_factor", "non_blocking"})
