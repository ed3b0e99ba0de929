"""Topic extraction with NMF (Frobenius and KL) and LatentDirichletAllocation, following scikit-learn's
applications/plot_topics_extraction_with_nmf_lda.py: module-level `n_samples`/`n_features`/`n_components`/
`n_top_words`, `TfidfVectorizer`/`CountVectorizer` with `max_df`/`min_df`/`stop_words`, a `plot_top_words`-like
`print_top_words(model, feature_names, n_top_words, title)`, then (beyond the example) topic purity against the
generating themes on held-out documents decides which model is kept with its vectorizer."""
from collections import Counter

import joblib
import numpy as np
from sklearn.decomposition import NMF, LatentDirichletAllocation
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer

n_samples = 900
n_features = 300
n_components = 4
n_top_words = 6
batch_size = 128
init = "nndsvda"

THEMES = {
    "sport": "match goal team player coach season league score win referee stadium fans".split(),
    "space": "orbit rocket planet launch nasa moon satellite telescope galaxy astronaut mars star".split(),
    "food": "recipe flour bake oven sugar butter dough sauce garlic pasta taste kitchen".split(),
    "money": "bank market stock price interest loan inflation investor rate fund budget tax".split(),
}
FILLER = "the a of and to in is it that was for on with as this they are be at have".split()


def make_corpus(n, seed):
    rng = np.random.default_rng(seed)
    names = sorted(THEMES)
    docs, labels = [], []
    for _ in range(n):
        main = names[rng.integers(len(names))]
        other = names[rng.integers(len(names))]
        words = list(rng.choice(THEMES[main], size=rng.integers(4, 8))) + list(rng.choice(THEMES[other], size=4))
        words += list(rng.choice(FILLER, size=8))
        rng.shuffle(words)
        docs.append(" ".join(words))
        labels.append(main)
    return docs, labels


def print_top_words(model, feature_names, n_top_words, title):
    print(title)
    for topic_idx, topic in enumerate(model.components_):
        top_features_ind = topic.argsort()[-n_top_words:][::-1]
        print(f"  Topic {topic_idx + 1}: {' '.join(feature_names[top_features_ind])}")


def purity(doc_topic, labels):
    assigned = doc_topic.argmax(1)
    total = 0
    for k in np.unique(assigned):
        total += Counter(np.array(labels)[assigned == k]).most_common(1)[0][1]
    return total / len(labels)


print("Loading dataset...")
data_samples, labels = make_corpus(n_samples, seed=0)
heldout_docs, heldout_labels = make_corpus(300, seed=1)

print("Extracting tf-idf features for NMF...")
tfidf_vectorizer = TfidfVectorizer(max_df=0.95, min_df=2, max_features=n_features, stop_words="english")
tfidf = tfidf_vectorizer.fit_transform(data_samples)
print("Extracting tf features for LDA...")
tf_vectorizer = CountVectorizer(max_df=0.95, min_df=2, max_features=n_features, stop_words="english")
tf = tf_vectorizer.fit_transform(data_samples)

models = {}
print(f"Fitting the NMF model (Frobenius norm) with tf-idf features, n_samples={n_samples} and n_features={n_features}...")
nmf = NMF(n_components=n_components, random_state=1, init=init, beta_loss="frobenius", alpha_W=0.00005,
          alpha_H=0.00005, l1_ratio=1, max_iter=400).fit(tfidf)
print_top_words(nmf, tfidf_vectorizer.get_feature_names_out(), n_top_words, "Topics in NMF model (Frobenius norm)")
models["nmf-frobenius"] = (nmf, tfidf_vectorizer)

print("Fitting the NMF model (generalized Kullback-Leibler divergence) with tf-idf features...")
nmf_kl = NMF(n_components=n_components, random_state=1, init=init, beta_loss="kullback-leibler", solver="mu",
             max_iter=400, alpha_W=0.00005, alpha_H=0.00005, l1_ratio=0.5).fit(tfidf)
print_top_words(nmf_kl, tfidf_vectorizer.get_feature_names_out(), n_top_words, "Topics in NMF model (KL divergence)")
models["nmf-kl"] = (nmf_kl, tfidf_vectorizer)

print(f"Fitting LDA models with tf features, n_samples={n_samples} and n_features={n_features}...")
lda = LatentDirichletAllocation(n_components=n_components, max_iter=10, learning_method="online",
                                learning_offset=50.0, batch_size=batch_size, random_state=0).fit(tf)
print_top_words(lda, tf_vectorizer.get_feature_names_out(), n_top_words, "Topics in LDA model")
models["lda"] = (lda, tf_vectorizer)

scores = {}
for name, (model, vec) in models.items():
    scores[name] = purity(model.transform(vec.transform(heldout_docs)), heldout_labels)
    print(f"held-out topic purity {name}: {scores[name]:.4f}")
best = max(scores, key=scores.get)
print(f"keeping {best}")
joblib.dump({"model": models[best][0], "vectorizer": models[best][1]}, "topic_model.joblib")
