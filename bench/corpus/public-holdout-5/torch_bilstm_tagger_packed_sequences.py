"""BiLSTM sequence tagger on synthetic variable-length sentences: pad_sequence, pack_padded_sequence, ignore_index."""
import random

import torch
import torch.nn as nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence, pad_sequence

EMBEDDING_DIM = 24
HIDDEN_DIM = 32
LEARNING_RATE = 0.005
EPOCHS = 4
BATCH_SIZE = 32
PAD_TAG = -100

random.seed(4)
torch.manual_seed(4)

LEXICON = {
    "DET": ["the", "a", "every", "this", "that"],
    "NOUN": ["dog", "cat", "model", "tree", "river", "car", "idea", "city", "fish", "light", "trains", "runs"],
    "VERB": ["sees", "likes", "runs", "builds", "trains", "eats", "fish", "light", "watches"],
    "ADJ": ["small", "red", "fast", "quiet", "old", "light", "still"],
    "ADV": ["quickly", "often", "rarely", "fast", "still"],
}
TEMPLATES = [
    ["DET", "NOUN", "VERB", "DET", "NOUN"],
    ["DET", "ADJ", "NOUN", "VERB", "ADV"],
    ["DET", "NOUN", "ADV", "VERB", "DET", "ADJ", "NOUN"],
    ["NOUN", "VERB", "NOUN"],
    ["DET", "ADJ", "ADJ", "NOUN", "VERB", "DET", "NOUN", "ADV"],
    ["NOUN", "VERB", "ADV"],
    ["ADJ", "NOUN", "VERB", "DET", "NOUN"],
    ["DET", "NOUN", "VERB", "ADJ"],
]


def make_sentences(n, tag_noise=0.0):
    data = []
    for _ in range(n):
        tags = list(random.choice(TEMPLATES))
        words = [random.choice(LEXICON[t]) for t in tags]
        # annotation noise: some training tags are wrong, as in real treebanks
        tags = [random.choice(sorted(LEXICON)) if random.random() < tag_noise else t for t in tags]
        data.append((words, tags))
    return data


training_data = make_sentences(500, tag_noise=0.08)
valid_data, test_data = make_sentences(150), make_sentences(200)
word_to_ix = {"<pad>": 0, "<unk>": 1}
for sent, _ in training_data:
    for w in sent:
        word_to_ix.setdefault(w, len(word_to_ix))
tag_to_ix = {t: i for i, t in enumerate(sorted(LEXICON))}


def prepare_batch(batch):
    seqs = [torch.tensor([word_to_ix.get(w, 1) for w in s]) for s, _ in batch]
    tags = [torch.tensor([tag_to_ix[t] for t in ts]) for _, ts in batch]
    lengths = torch.tensor([len(s) for s in seqs])
    return pad_sequence(seqs, batch_first=True), pad_sequence(tags, batch_first=True, padding_value=PAD_TAG), lengths


class LSTMTagger(nn.Module):
    def __init__(self, embedding_dim, hidden_dim, vocab_size, tagset_size):
        super().__init__()
        self.word_embeddings = nn.Embedding(vocab_size, embedding_dim, padding_idx=0)
        self.lstm = nn.LSTM(embedding_dim, hidden_dim // 2, batch_first=True, bidirectional=True)
        self.hidden2tag = nn.Linear(hidden_dim, tagset_size)

    def forward(self, sentences, lengths):
        embeds = self.word_embeddings(sentences)
        packed = pack_padded_sequence(embeds, lengths, batch_first=True, enforce_sorted=False)
        out, _ = self.lstm(packed)
        out, _ = pad_packed_sequence(out, batch_first=True, total_length=sentences.shape[1])
        return self.hidden2tag(out)


def token_accuracy(model, data):
    model.eval()
    correct = total = 0
    with torch.no_grad():
        for i in range(0, len(data), BATCH_SIZE):
            x, t, lengths = prepare_batch(data[i:i + BATCH_SIZE])
            pred = model(x, lengths).argmax(-1)
            mask = t != PAD_TAG
            correct += (pred[mask] == t[mask]).sum().item()
            total += mask.sum().item()
    return correct / total


model = LSTMTagger(EMBEDDING_DIM, HIDDEN_DIM, len(word_to_ix), len(tag_to_ix))
loss_function = nn.CrossEntropyLoss(ignore_index=PAD_TAG)
optimizer = torch.optim.Adam(model.parameters(), lr=LEARNING_RATE)

for epoch in range(EPOCHS):
    random.shuffle(training_data)
    model.train()
    total_loss = 0.0
    for i in range(0, len(training_data), BATCH_SIZE):
        x, t, lengths = prepare_batch(training_data[i:i + BATCH_SIZE])
        model.zero_grad()
        tag_scores = model(x, lengths)
        loss = loss_function(tag_scores.reshape(-1, len(tag_to_ix)), t.reshape(-1))
        loss.backward()
        optimizer.step()
        total_loss += loss.item()
    print(f"epoch {epoch}: loss {total_loss:.4f} valid token acc {token_accuracy(model, valid_data):.4f}")

print(f"test token accuracy: {token_accuracy(model, test_data):.4f}")
with torch.no_grad():
    example, _ = test_data[0]
    x, _, lengths = prepare_batch([test_data[0]])
    ix_to_tag = {v: k for k, v in tag_to_ix.items()}
    print(" ".join(f"{w}/{ix_to_tag[i]}" for w, i in zip(example, model(x, lengths).argmax(-1)[0].tolist())))
torch.save({"model": model.state_dict(), "word_to_ix": word_to_ix, "tag_to_ix": tag_to_ix}, "tagger.pt")
