"""hpo-optuna on shapes where the script scores only a test split, keeps its validation results in
variables, builds a training engine, or cross-validates: the recipe carves a validation split (or
picks the validation/cross-validation result), searches sensible ranges, and V4 counts only real
hyperparameters. A few adapted scripts are run for real at the end."""

from __future__ import annotations

import re
import textwrap

import libcst as cst
import pytest

from mlops_adapt.analysis.hpo import search_space
from mlops_adapt.engine import adapt
from mlops_adapt.options import AdaptOptions
from mlops_adapt.results import Applied
from mlops_adapt.tasks.hpo_optuna.configs import result_record_keys
from mlops_adapt.tasks.hpo_optuna.rules import _text_constants

from ._support import adapted, run_batch

TRIALS = 3

# A comprehension inside the run reads a split (`[m.predict(X_te) ...]`), and a dict labels the splits
# it loops over: after the carve, the trial's test rows are rows of the training part.
COMPREHENSION_AND_LABELLED_SPLITS = """
import numpy as np
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score
from sklearn.model_selection import train_test_split

X, y = make_classification(n_samples=300, n_features=6, random_state=0)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, random_state=0)
models = [LogisticRegression(C=C_value, max_iter=200).fit(X_train, y_train) for C_value in (0.1, 1.0)]
votes = np.mean([m.predict(X_test) for m in models], axis=0)
for split, (features, target) in {"train": (X_train, y_train), "test": (X_test, y_test)}.items():
    acc = accuracy_score(target, models[-1].predict(features))
    print("scored", split, len(target), type(globals().get("optuna_trial")).__name__)
    print(f"{split}: accuracy {acc:.4f}")
"""

# Validation and test results are kept by a class under their own names (`val`, `test`), from data
# returned as nested pairs; the outlier share must stay within sklearn's (0, 0.5].
VALIDATION_DICT_IN_A_CLASS = """
import numpy as np
from sklearn.ensemble import IsolationForest
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import train_test_split


class Experiment:
    def __init__(self, n_estimators=50, contamination=0.1, max_features=1.0, seed=0):
        self.params = {"n_estimators": n_estimators, "contamination": contamination, "max_features": max_features}
        self.seed = seed

    def make_data(self):
        rng = np.random.RandomState(self.seed)
        X = np.vstack([rng.randn(300, 2), rng.uniform(-6, 6, size=(30, 2))])
        y = np.r_[np.zeros(300, dtype=int), np.ones(30, dtype=int)]
        X_train, X_rest, y_train, y_rest = train_test_split(X, y, test_size=0.4, stratify=y, random_state=0)
        X_val, X_test, y_val, y_test = train_test_split(X_rest, y_rest, test_size=0.5, stratify=y_rest, random_state=0)
        return (X_train, y_train), (X_val, y_val), (X_test, y_test)

    def score(self, model, X, y):
        return {"roc_auc": roc_auc_score(y, -model.score_samples(X))}

    def run(self):
        (X_train, y_train), (X_val, y_val), (X_test, y_test) = self.make_data()
        model = IsolationForest(random_state=self.seed, **self.params).fit(X_train)
        val = self.score(model, X_val, y_val)
        test = self.score(model, X_test, y_test)
        print(f"val auc {val['roc_auc']:.4f} test auc {test['roc_auc']:.4f}")


if __name__ == "__main__":
    Experiment(n_estimators=50, contamination=0.1, max_features=1.0).run()
"""

# The script's own Dataset class makes the training and the test set; a module-level helper reads
# the test tensors as globals from another function.
OWN_DATASET_CLASS = """
import torch
from torch import nn
from torch.utils.data import DataLoader, Dataset


class Blobs(Dataset):
    def __init__(self, n, seed):
        g = torch.Generator().manual_seed(seed)
        self.x = torch.randn(n, 3, generator=g)
        self.y = (self.x.sum(1) > 0).long()

    def __len__(self):
        return len(self.x)

    def __getitem__(self, i):
        return self.x[i], self.y[i]


def evaluate(model):
    correct = sum(int(model(x).argmax(1).eq(y).sum()) for x, y in test_loader)
    print("scored", len(test_loader.dataset), type(globals().get("optuna_trial")).__name__)
    return correct / len(test_loader.dataset)


torch.manual_seed(0)
lr = 0.05
epochs = 3
train_set = Blobs(200, seed=1)
test_set = Blobs(40, seed=2)
train_loader = DataLoader(train_set, batch_size=16, shuffle=True)
test_loader = DataLoader(test_set, batch_size=40)
model = nn.Linear(3, 2)
optimizer = torch.optim.SGD(model.parameters(), lr=lr)
for epoch in range(epochs):
    for x, y in train_loader:
        optimizer.zero_grad()
        nn.functional.cross_entropy(model(x), y).backward()
        optimizer.step()
print(f"test accuracy: {evaluate(model):.4f}")
"""

# A split done at the top of the run, read back by an evaluation function as globals.
GLOBALS_READ_BY_A_HELPER = """
import torch
from sklearn.datasets import load_diabetes
from sklearn.metrics import r2_score
from sklearn.model_selection import train_test_split
from torch import nn

cfg = dict(lr=0.01, epochs=30, hidden=16)


def evaluate(net):
    with torch.no_grad():
        preds = net(torch.tensor(X_test, dtype=torch.float32)).squeeze(1).numpy()
    return {"r2": float(r2_score(y_test, preds))}


torch.manual_seed(0)
X, y = load_diabetes(return_X_y=True)
y = (y - y.mean()) / y.std()
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=0)
net = nn.Sequential(nn.Linear(10, cfg["hidden"]), nn.ReLU(), nn.Linear(cfg["hidden"], 1))
optimizer = torch.optim.Adam(net.parameters(), lr=cfg["lr"])
inputs, targets = torch.tensor(X_train, dtype=torch.float32), torch.tensor(y_train, dtype=torch.float32)
for epoch in range(cfg["epochs"]):
    optimizer.zero_grad()
    nn.functional.mse_loss(net(inputs).squeeze(1), targets).backward()
    optimizer.step()
result = evaluate(net)
print(f"r2 {result['r2']:.4f}")
"""

# A hand-written engine runs the training step it was built with; results go to a record dict.
ENGINE_WITH_A_RECORD = """
import torch
from torch import nn


class Engine:
    def __init__(self, process_function):
        self._process_function = process_function
        self.handlers = []

    def run(self, data, max_epochs=1):
        for epoch in range(max_epochs):
            for batch in data:
                self._process_function(self, batch)
            for handler in self.handlers:
                handler(epoch)


def make_trainer(model, optimizer):
    def _update(engine, batch):
        x, y = batch
        optimizer.zero_grad()
        loss = nn.functional.mse_loss(model(x), y)
        loss.backward()
        optimizer.step()
        return loss.item()
    return Engine(_update)


torch.manual_seed(0)
X = torch.randn(64, 2)
Y = X.sum(1, keepdim=True)
batches = [(X[i:i + 16], Y[i:i + 16]) for i in range(0, 64, 16)]
X_val, Y_val = torch.randn(32, 2), None
Y_val = X_val.sum(1, keepdim=True)
model = nn.Linear(2, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=0.05)
max_epochs = 5
best = {"val_loss": float("inf"), "epoch": 0}
trainer = make_trainer(model, optimizer)


def validate(epoch):
    with torch.no_grad():
        val_loss = nn.functional.mse_loss(model(X_val), Y_val).item()
    if val_loss < best["val_loss"]:
        best.update(val_loss=val_loss, epoch=epoch)


trainer.handlers.append(validate)
trainer.run(batches, max_epochs=max_epochs)
print(f"best val loss {best['val_loss']:.4f} at epoch {best['epoch']}")
"""

# Constants open the main guard; the model is scored on KFold's held-out fold of each split.
KFOLD_IN_MAIN_GUARD = """
import numpy as np
import torch
from sklearn.model_selection import KFold
from torch import nn

if __name__ == "__main__":
    k_folds = 3
    num_epochs = 4
    learning_rate = 0.05
    results = {}
    torch.manual_seed(0)
    X = torch.randn(90, 4)
    y = (X[:, 0] > 0).long()
    kfold = KFold(n_splits=k_folds, shuffle=True, random_state=0)
    for fold, (train_ids, test_ids) in enumerate(kfold.split(np.arange(len(X)))):
        model = nn.Linear(4, 2)
        optimizer = torch.optim.SGD(model.parameters(), lr=learning_rate)
        for epoch in range(num_epochs):
            optimizer.zero_grad()
            loss = nn.functional.cross_entropy(model(X[train_ids]), y[train_ids])
            loss.backward()
            optimizer.step()
        with torch.no_grad():
            hits = (model(X[test_ids]).argmax(1) == y[test_ids]).sum().item()
        results[fold] = 100.0 * hits / len(test_ids)
        print(f"Accuracy for fold {fold}: {results[fold]:.2f} %")
    total_acc = 0.0
    for key, value in results.items():
        total_acc += value
    print(f"Average: {total_acc / len(results):.2f} %")
"""

# Validation scores printed by one implicitly concatenated f-string, under a ranking metric's name.
CONCATENATED_VALIDATION_PRINT = """
import numpy as np
from sklearn.ensemble import GradientBoostingRegressor
from sklearn.metrics import ndcg_score

rng = np.random.default_rng(0)
X = rng.normal(size=(300, 4))
y = X @ np.array([1.0, 0.5, 0.0, -0.5]) + rng.normal(scale=0.3, size=300)
X_train, y_train, X_valid, y_valid = X[:200], y[:200], X[200:], y[200:]
model = GradientBoostingRegressor(n_estimators=40, learning_rate=0.1, random_state=0).fit(X_train, y_train)
relevance = np.clip(np.round(y_valid - y_valid.min()), 0, None)
print(f"valid ndcg@5 {ndcg_score([relevance], [model.predict(X_valid)], k=5):.4f} "
      f"ndcg@10 {ndcg_score([relevance], [model.predict(X_valid)], k=10):.4f}")
"""

# An MLP whose loss curve the script prints after the fit; a linear SGD model with a text loss.
MLP_LOSS_CURVE = """
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from sklearn.neural_network import MLPClassifier

X, y = load_digits(return_X_y=True)
X = X / 16.0
X_tr, X_va, y_tr, y_va = train_test_split(X, y, test_size=0.3, random_state=0)
mlp = MLPClassifier(hidden_layer_sizes=(20,), max_iter=15, solver="sgd", learning_rate_init=0.1, random_state=1)
mlp.fit(X_tr, y_tr)
print("last loss %.4f" % mlp.loss_curve_[-1])
print("validation accuracy: %.4f" % mlp.score(X_va, y_va))
"""

TEXT_DATA_WITH_SGD = """
import random

from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import SGDClassifier
from sklearn.metrics import f1_score
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline

WORDS = {"a": ["alpha beta", "beta gamma"], "b": ["delta eps", "eps zeta"]}
FILLER = ["hello", "thanks", "please"]


def make_corpus(n_docs, seed):
    rnd = random.Random(seed)
    docs, labels = [], []
    for _ in range(n_docs):
        label = rnd.choice(sorted(WORDS))
        docs.append(rnd.choice(WORDS[label]) + " " + rnd.choice(FILLER))
        labels.append(label)
    return docs, labels


def main(n_docs=200, seed=0):
    docs, labels = make_corpus(n_docs, seed)
    X_tr, X_va, y_tr, y_va = train_test_split(docs, labels, test_size=0.25, random_state=seed)
    model = make_pipeline(TfidfVectorizer(), SGDClassifier(loss="hinge", max_iter=20, tol=None, random_state=seed))
    model.fit(X_tr, y_tr)
    print("validation macro F1: %.4f" % f1_score(y_va, model.predict(X_va), average="macro"))


if __name__ == "__main__":
    main()
"""


def _objective_key(code: str) -> str:
    found = re.search(r'return trial\.user_attrs\.get\("([^"]+)"', code)
    assert found, code[-1500:]
    return found.group(1)


def _suggested(code: str) -> set[str]:
    return set(re.findall(r'suggest_\w+\("([^"]+)"', code))


def test_a_comprehension_and_labelled_splits_read_the_carved_rows():
    code = adapted("hpo-optuna", textwrap.dedent(COMPREHENSION_AND_LABELLED_SPLITS))
    assert "train_test_split(X_train, y_train" in code  # the trial's validation rows come from the training part


def test_a_validation_result_named_by_its_variable_is_the_objective():
    code = adapted("hpo-optuna", textwrap.dedent(VALIDATION_DICT_IN_A_CLASS))
    assert 'set_user_attr("roc_auc", float(val["roc_auc"]))' in code
    assert "test[" not in code.split("set_user_attr")[1].splitlines()[0]
    low, high = re.search(r'suggest_float\("contamination", ([\d.]+), ([\d.]+)\)', code).groups()
    assert 0 < float(low) < float(high) <= 0.5
    assert re.search(r'suggest_float\("max_features", [\d.]+, 1\.0\)', code)  # a fraction of the features


def test_the_files_own_dataset_class_is_re_split_for_trials():
    code = adapted("hpo-optuna", textwrap.dedent(OWN_DATASET_CLASS))
    assert "train_set, test_set = torch.utils.data.random_split(train_set" in code


def test_a_helper_reading_the_split_as_globals_sees_the_carve():
    code = adapted("hpo-optuna", textwrap.dedent(GLOBALS_READ_BY_A_HELPER))
    assert "train_test_split(X_train, y_train" in code
    assert _objective_key(code) == "r2"


def test_an_engine_built_with_a_training_step_makes_its_epochs_live_and_a_record_is_not_searched():
    source = textwrap.dedent(ENGINE_WITH_A_RECORD)
    assert result_record_keys(cst.parse_module(source)) == {"val_loss", "epoch"}
    code = adapted("hpo-optuna", source)
    suggested = _suggested(code)
    assert "max_epochs" in suggested  # reaches the training step through Engine(_update).run
    assert not suggested & {"val_loss", "epoch"}


def test_a_handler_registered_on_the_runs_engine_is_registered_in_each_run():
    source = textwrap.dedent(ENGINE_WITH_A_RECORD).replace(
        "trainer.handlers.append(validate)\n", ""
    ).replace(
        "def validate(epoch):", "def on(engine):\n    def register(handler):\n        engine.handlers.append(handler)\n"
        "        return handler\n    return register\n\n\n@on(trainer)\ndef validate(epoch):"
    )
    code = adapted("hpo-optuna", source)
    run = code[code.index("def run_experiment"):code.index("def objective")]
    assert "@on(trainer)" in run  # each trial's new trainer gets the handler, after the trainer is made
    assert run.index("trainer = make_trainer") < run.index("@on(trainer)")


def test_kfold_in_the_main_guard_searches_its_constants_and_scores_the_folds():
    code = adapted("hpo-optuna", textwrap.dedent(KFOLD_IN_MAIN_GUARD))
    assert {"num_epochs", "learning_rate"} <= _suggested(code)
    assert "k_folds" not in _suggested(code)  # the fold count is how the model is scored, not the model
    assert _objective_key(code) == "average_total_acc"  # not the training batch's loss


def test_a_concatenated_f_string_of_validation_scores_gives_the_objective():
    code = adapted("hpo-optuna", textwrap.dedent(CONCATENATED_VALIDATION_PRINT))
    assert _objective_key(code).startswith("valid_ndcg")
    assert 'direction="maximize"' in code


def test_an_mlp_whose_loss_curve_is_read_keeps_a_stochastic_solver():
    code = adapted("hpo-optuna", textwrap.dedent(MLP_LOSS_CURVE))
    choices = re.search(r'suggest_categorical\("solver", \[([^\]]*)\]\)', code)
    assert choices and "lbfgs" not in choices.group(1) and '"sgd"' in choices.group(1)


def test_text_data_sizes_and_word_lists_are_not_hyperparameters_and_the_sgd_loss_is():
    source = textwrap.dedent(TEXT_DATA_WITH_SGD)
    assert _text_constants(cst.parse_module(source)) == {"WORDS", "FILLER"}
    code = adapted("hpo-optuna", source)
    suggested = _suggested(code)
    assert "loss" in suggested and "n_docs" not in suggested
    assert '["hinge", "log_loss", "modified_huber"]' in code


def test_search_ranges_of_fractions_and_fold_counts():
    assert search_space("max_features", 1, key="max_features") == 'suggest_int("max_features", 1, 3)'  # a count
    assert search_space("max_features", 1.0, key="max_features") == 'suggest_float("max_features", 0.5, 1.0)'
    assert search_space("cv", 5, key="cv") is None
    assert search_space("upscale_factor", 3, key="upscale_factor") is None


def test_a_script_scoring_generated_test_data_is_refused_with_the_reason():
    source = textwrap.dedent("""
        import random
        from sklearn.linear_model import Ridge

        random.seed(0)
        def sample():
            x = random.random()
            return [x], 2 * x
        train = [sample() for _ in range(50)]
        model = Ridge(alpha=1.0).fit([a for a, _ in train], [b for _, b in train])
        test_pairs = [sample() for _ in range(20)]
        test_mse = sum((model.predict([a])[0] - b) ** 2 for a, b in test_pairs) / len(test_pairs)
        print(f"test mse {test_mse:.4f}")
    """)
    result = adapt(source, "hpo-optuna", AdaptOptions(backend="recipe"))
    assert not isinstance(result, Applied)
    assert "test split" in str(result)


@pytest.fixture(scope="module")
def executed(tmp_path_factory):
    sources = {
        "labelled": COMPREHENSION_AND_LABELLED_SPLITS,
        "dataset": OWN_DATASET_CLASS,
        "kfold": KFOLD_IN_MAIN_GUARD,
        "mlp": MLP_LOSS_CURVE,
    }
    programs = {
        key: adapted("hpo-optuna", textwrap.dedent(src), n_trials=str(TRIALS)) for key, src in sources.items()
    }
    return run_batch(programs, tmp_path_factory.mktemp("hpo-split-shapes"))


@pytest.mark.parametrize("key", ["labelled", "dataset", "kfold", "mlp"])
def test_the_adapted_scripts_complete_their_trials(executed, key):
    outcome = executed[key]
    assert outcome["error"] is None, outcome["error"]
    assert outcome["info"]["completed_trials"] == TRIALS


def test_trials_score_carved_rows_and_the_final_run_the_test_rows(executed):
    labelled = set(re.findall(r"scored test (\d+) (\w+)", executed["labelled"]["stdout"]))
    assert labelled == {("53", "Trial"), ("90", "FixedTrial")}  # a quarter of the 210 training rows in trials
    dataset = set(re.findall(r"scored (\d+) (\w+)", executed["dataset"]["stdout"]))
    assert dataset == {("50", "Trial"), ("40", "FixedTrial")}  # a quarter of the 200 training samples in trials
