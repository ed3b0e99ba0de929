"""TF-IDF + linear classifier on synthetic support tickets, tuned with GridSearchCV.

main() parses arguments; the text is generated from per-class phrase lists; the grid covers
the n-gram range, min_df and the SGD alpha; the best pipeline is saved with joblib.
"""
import argparse
import random

import joblib
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import SGDClassifier
from sklearn.metrics import classification_report, f1_score
from sklearn.model_selection import GridSearchCV, train_test_split
from sklearn.pipeline import Pipeline

PHRASES = {
    "billing": ["refund my last invoice", "charged twice this month", "update credit card",
                "invoice amount is wrong", "cancel the subscription fee"],
    "login": ["cannot sign in", "password reset link expired", "two factor code not arriving",
              "account locked after attempts", "login page keeps loading"],
    "shipping": ["package has not arrived", "tracking number not working", "delivery was late",
                 "parcel sent to wrong address", "item damaged in transit"],
}
FILLER = ["please help", "urgent", "thanks", "hello team", "since yesterday", "again", "asap", "my order"]


def make_corpus(n_docs, seed):
    rnd = random.Random(seed)
    labels = sorted(PHRASES)
    docs, targets = [], []
    for _ in range(n_docs):
        label = rnd.choice(labels)
        # one phrase of the class, often one of another class too, and some filler
        parts = [rnd.choice(PHRASES[label]), rnd.choice(FILLER)]
        if rnd.random() < 0.35:
            parts.append(rnd.choice(PHRASES[rnd.choice(labels)]))
        if rnd.random() < 0.5:
            parts.append(rnd.choice(FILLER))
        rnd.shuffle(parts)
        docs.append(" ".join(parts))
        targets.append(label)
    return docs, targets


def main():
    parser = argparse.ArgumentParser(description="ticket router")
    parser.add_argument("--n-docs", type=int, default=900)
    parser.add_argument("--cv", type=int, default=3)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", default="ticket_router.joblib")
    args = parser.parse_args()

    docs, targets = make_corpus(args.n_docs, args.seed)
    X_train, X_test, y_train, y_test = train_test_split(docs, targets, test_size=0.25, random_state=args.seed,
                                                        stratify=targets)
    pipeline = Pipeline([
        ("tfidf", TfidfVectorizer(sublinear_tf=True)),
        ("clf", SGDClassifier(loss="hinge", max_iter=50, tol=None, random_state=args.seed)),
    ])
    parameters = {
        "tfidf__ngram_range": [(1, 1), (1, 2)],
        "tfidf__min_df": [1, 3],
        "clf__alpha": [1e-5, 1e-4, 1e-3],
    }
    grid_search = GridSearchCV(pipeline, parameters, cv=args.cv, scoring="f1_macro", n_jobs=1)
    grid_search.fit(X_train, y_train)

    print("Best score: %0.4f" % grid_search.best_score_)
    print("Best parameters set:")
    best_parameters = grid_search.best_estimator_.get_params()
    for param_name in sorted(parameters.keys()):
        print("\t%s: %r" % (param_name, best_parameters[param_name]))

    predictions = grid_search.predict(X_test)
    print(classification_report(y_test, predictions, digits=3))
    print("test macro F1: %.4f" % f1_score(y_test, predictions, average="macro"))
    joblib.dump(grid_search.best_estimator_, args.out)


if __name__ == "__main__":
    main()
