"""Word2vec skip-gram with negative sampling on a synthetic topic corpus, in the shape of the popular PyTorch
word2vec repos: `build_vocab(corpus, min_count)` with `word2idx`/`idx2word` and counts, subsampling of frequent
words, `make_pairs(window)`, unigram^0.75 noise table, `SkipGramNeg` with `in_embed`/`out_embed` and
`forward_input`/`forward_output`/`forward_noise`, `NegativeSamplingLoss`, a cosine `similarity(word)` check on
validation words printed every epoch, the topic purity of nearest neighbours as the score, `embeddings.npy` +
`vocab.json` + `skipgram.pt`. Only train data (no validation split)."""
import argparse
import json
from collections import Counter

import numpy as np
import torch
import torch.nn as nn

TOPICS = {
    "sport": ["match", "goal", "team", "coach", "league", "score", "player", "season", "stadium", "referee"],
    "food": ["bread", "cheese", "recipe", "oven", "butter", "salad", "spice", "dinner", "kitchen", "soup"],
    "tech": ["server", "code", "laptop", "cloud", "network", "python", "kernel", "memory", "cpu", "database"],
    "music": ["guitar", "piano", "song", "album", "concert", "drum", "melody", "band", "chord", "singer"],
}
FILLER = ["the", "a", "and", "of", "to", "in", "is", "was", "with", "for"]


def make_corpus(n_sentences, rng):
    words = []
    names = sorted(TOPICS)
    for _ in range(n_sentences):
        topic = TOPICS[names[rng.randint(len(names))]]
        for _ in range(rng.randint(6, 12)):
            words.append(topic[rng.randint(len(topic))] if rng.rand() < 0.6 else FILLER[rng.randint(len(FILLER))])
    return words


def build_vocab(corpus, min_count=1):
    counts = Counter(corpus)
    vocab = sorted([w for w, c in counts.items() if c >= min_count], key=lambda w: (-counts[w], w))
    word2idx = {w: i for i, w in enumerate(vocab)}
    return word2idx, vocab, np.array([counts[w] for w in vocab], dtype=np.float64)


def subsample(ids, freqs, threshold, rng):
    p_drop = 1 - np.sqrt(threshold / freqs[ids])
    return ids[rng.rand(len(ids)) > p_drop]


def make_pairs(ids, window, rng):
    centers, contexts = [], []
    for i, w in enumerate(ids):
        r = rng.randint(1, window + 1)
        for j in range(max(0, i - r), min(len(ids), i + r + 1)):
            if j != i:
                centers.append(w)
                contexts.append(ids[j])
    return torch.tensor(centers), torch.tensor(contexts)


class SkipGramNeg(nn.Module):
    def __init__(self, n_vocab, n_embed, noise_dist):
        super().__init__()
        self.n_vocab, self.n_embed = n_vocab, n_embed
        self.noise_dist = noise_dist
        self.in_embed = nn.Embedding(n_vocab, n_embed)
        self.out_embed = nn.Embedding(n_vocab, n_embed)
        self.in_embed.weight.data.uniform_(-1, 1)
        self.out_embed.weight.data.uniform_(-1, 1)

    def forward_input(self, input_words):
        return self.in_embed(input_words)

    def forward_output(self, output_words):
        return self.out_embed(output_words)

    def forward_noise(self, batch_size, n_samples, generator):
        noise_words = torch.multinomial(self.noise_dist, batch_size * n_samples, replacement=True,
                                        generator=generator)
        return self.out_embed(noise_words).view(batch_size, n_samples, self.n_embed)


class NegativeSamplingLoss(nn.Module):
    def forward(self, input_vectors, output_vectors, noise_vectors):
        batch_size, embed_size = input_vectors.shape
        input_vectors = input_vectors.view(batch_size, embed_size, 1)
        output_vectors = output_vectors.view(batch_size, 1, embed_size)
        out_loss = torch.bmm(output_vectors, input_vectors).sigmoid().clamp_min(1e-7).log().squeeze()
        noise_loss = torch.bmm(noise_vectors.neg(), input_vectors).sigmoid().clamp_min(1e-7).log()
        noise_loss = noise_loss.squeeze().sum(1)
        return -(out_loss + noise_loss).mean()


def similarity(embedding, valid_ids):
    magnitudes = embedding.weight.pow(2).sum(dim=1).sqrt().unsqueeze(0)
    valid_vectors = embedding(valid_ids)
    return torch.mm(valid_vectors, embedding.weight.t()) / magnitudes


def topic_purity(embedding, word2idx, vocab, k=5):
    topic_of = {w: t for t, ws in TOPICS.items() for w in ws}
    words = [w for w in vocab if w in topic_of]
    ids = torch.tensor([word2idx[w] for w in words])
    with torch.no_grad():
        sims = similarity(embedding, ids)
        sims[torch.arange(len(ids)), ids] = -1e9
        _, nn_ids = sims.topk(k, dim=1)
    hits = [sum(topic_of.get(vocab[j]) == topic_of[w] for j in row.tolist()) / k for w, row in zip(words, nn_ids)]
    return float(np.mean(hits))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--sentences", type=int, default=1500)
    parser.add_argument("--embedding_dim", type=int, default=32)
    parser.add_argument("--window", type=int, default=3)
    parser.add_argument("--n_neg", type=int, default=5)
    parser.add_argument("--batch_size", type=int, default=512)
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--lr", type=float, default=0.01)
    parser.add_argument("--subsample_t", type=float, default=1e-2)
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()
    torch.manual_seed(args.seed)
    rng = np.random.RandomState(args.seed)

    corpus = make_corpus(args.sentences, rng)
    word2idx, vocab, counts = build_vocab(corpus)
    freqs = counts / counts.sum()
    ids = subsample(np.array([word2idx[w] for w in corpus]), freqs, args.subsample_t, rng)
    centers, contexts = make_pairs(ids, args.window, rng)
    print(f"corpus {len(corpus)} tokens, vocab {len(vocab)}, kept {len(ids)} after subsampling, "
          f"{len(centers)} pairs")

    unigram = counts ** 0.75
    noise_dist = torch.tensor(unigram / unigram.sum(), dtype=torch.float32)
    model = SkipGramNeg(len(vocab), args.embedding_dim, noise_dist)
    criterion = NegativeSamplingLoss()
    optimizer = torch.optim.Adam(model.parameters(), lr=args.lr)
    gen = torch.Generator().manual_seed(args.seed)
    valid_words = ["goal", "oven", "kernel", "piano"]
    valid_ids = torch.tensor([word2idx[w] for w in valid_words])
    for epoch in range(1, args.epochs + 1):
        perm = torch.randperm(len(centers), generator=gen)
        total = 0.0
        for steps, i in enumerate(range(0, len(perm), args.batch_size), start=1):
            idx = perm[i:i + args.batch_size]
            input_vectors = model.forward_input(centers[idx])
            output_vectors = model.forward_output(contexts[idx])
            noise_vectors = model.forward_noise(len(idx), args.n_neg, gen)
            loss = criterion(input_vectors, output_vectors, noise_vectors)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            total += loss.item()
        with torch.no_grad():
            _, closest = similarity(model.in_embed, valid_ids).topk(4)
        neighbours = {w: [vocab[j] for j in row.tolist()[1:]] for w, row in zip(valid_words, closest)}
        print(f"Epoch: {epoch}/{args.epochs} Loss: {total / steps:.4f} purity@5 "
              f"{topic_purity(model.in_embed, word2idx, vocab):.3f}")
        for w, ns in neighbours.items():
            print(f"  {w} | {', '.join(ns)}")

    np.save("embeddings.npy", model.in_embed.weight.detach().numpy())
    with open("vocab.json", "w") as fh:
        json.dump(word2idx, fh)
    torch.save(model.state_dict(), "skipgram.pt")
    print(f"final topic purity@5 {topic_purity(model.in_embed, word2idx, vocab):.3f}")


if __name__ == "__main__":
    main()
