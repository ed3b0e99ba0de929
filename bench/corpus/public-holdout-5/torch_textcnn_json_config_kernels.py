"""Kim-style TextCNN on synthetic review snippets; settings come from an in-script JSON document."""
import json
import random
from collections import Counter

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, Dataset

CONFIG_JSON = """
{
  "data": {"n_train": 900, "n_valid": 200, "n_test": 300, "max_len": 24, "seed": 3},
  "model": {"embed_dim": 32, "kernel_sizes": [2, 3, 4], "num_filters": 16, "dropout": 0.3},
  "optim": {"lr": 0.005, "weight_decay": 0.0001, "epochs": 6, "batch_size": 64}
}
"""

POSITIVE = ["great", "excellent", "loved", "superb", "fine", "wonderful"]
NEGATIVE = ["awful", "boring", "hated", "poor", "dull", "terrible"]
FILLER = ["the", "movie", "plot", "actor", "was", "quite", "and", "a", "scene", "music", "it", "not", "very", "story"]


def make_corpus(n, rng):
    texts, labels = [], []
    for _ in range(n):
        label = rng.randint(0, 1)
        words = [rng.choice(FILLER) for _ in range(rng.randint(8, 20))]
        strong = POSITIVE if label else NEGATIVE
        weak = NEGATIVE if label else POSITIVE
        for _ in range(rng.randint(1, 3)):
            words.insert(rng.randrange(len(words)), rng.choice(strong))
        if rng.random() < 0.3:
            words.insert(rng.randrange(len(words)), rng.choice(weak))
        texts.append(" ".join(words))
        labels.append(label)
    return texts, labels


class Vocab:
    def __init__(self, texts, min_freq=1):
        counts = Counter(w for t in texts for w in t.split())
        self.itos = ["<pad>", "<unk>"] + sorted(w for w, c in counts.items() if c >= min_freq)
        self.stoi = {w: i for i, w in enumerate(self.itos)}

    def encode(self, text, max_len):
        ids = [self.stoi.get(w, 1) for w in text.split()][:max_len]
        return ids + [0] * (max_len - len(ids))

    def __len__(self):
        return len(self.itos)


class ReviewDataset(Dataset):
    def __init__(self, texts, labels, vocab, max_len):
        self.x = torch.tensor([vocab.encode(t, max_len) for t in texts])
        self.y = torch.tensor(labels)

    def __len__(self):
        return len(self.y)

    def __getitem__(self, i):
        return self.x[i], self.y[i]


class TextCNN(nn.Module):
    def __init__(self, vocab_size, embed_dim, kernel_sizes, num_filters, dropout, num_classes=2):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, embed_dim, padding_idx=0)
        self.convs = nn.ModuleList([nn.Conv1d(embed_dim, num_filters, k) for k in kernel_sizes])
        self.dropout = nn.Dropout(dropout)
        self.fc = nn.Linear(num_filters * len(kernel_sizes), num_classes)

    def forward(self, x):
        emb = self.embedding(x).transpose(1, 2)
        pooled = [F.relu(conv(emb)).max(dim=2).values for conv in self.convs]
        return self.fc(self.dropout(torch.cat(pooled, dim=1)))


def run_epoch(model, loader, criterion, optimizer=None):
    training = optimizer is not None
    model.train(training)
    loss_sum, correct, seen = 0.0, 0, 0
    with torch.set_grad_enabled(training):
        for xb, yb in loader:
            logits = model(xb)
            loss = criterion(logits, yb)
            if training:
                optimizer.zero_grad()
                loss.backward()
                optimizer.step()
            loss_sum += loss.item() * len(yb)
            correct += (logits.argmax(1) == yb).sum().item()
            seen += len(yb)
    return loss_sum / seen, correct / seen


def main():
    cfg = json.loads(CONFIG_JSON)
    with open("config.json", "w") as fh:
        json.dump(cfg, fh, indent=2)
    dcfg, mcfg, ocfg = cfg["data"], cfg["model"], cfg["optim"]
    rng = random.Random(dcfg["seed"])
    torch.manual_seed(dcfg["seed"])

    tr_x, tr_y = make_corpus(dcfg["n_train"], rng)
    va_x, va_y = make_corpus(dcfg["n_valid"], rng)
    te_x, te_y = make_corpus(dcfg["n_test"], rng)
    vocab = Vocab(tr_x)
    print(f"vocabulary size: {len(vocab)}")

    loaders = {
        name: DataLoader(ReviewDataset(x, y, vocab, dcfg["max_len"]), batch_size=ocfg["batch_size"],
                         shuffle=(name == "train"), generator=torch.Generator().manual_seed(dcfg["seed"]))
        for name, (x, y) in {"train": (tr_x, tr_y), "valid": (va_x, va_y), "test": (te_x, te_y)}.items()
    }
    model = TextCNN(len(vocab), **mcfg)
    optimizer = torch.optim.Adam(model.parameters(), lr=ocfg["lr"], weight_decay=ocfg["weight_decay"])
    criterion = nn.CrossEntropyLoss()

    best_valid = 0.0
    for epoch in range(ocfg["epochs"]):
        tr_loss, tr_acc = run_epoch(model, loaders["train"], criterion, optimizer)
        va_loss, va_acc = run_epoch(model, loaders["valid"], criterion)
        print(f"Epoch: {epoch + 1:02} | Train Loss: {tr_loss:.3f} | Train Acc: {tr_acc * 100:.2f}% | "
              f"Val. Loss: {va_loss:.3f} | Val. Acc: {va_acc * 100:.2f}%")
        if va_acc > best_valid:
            best_valid = va_acc
            torch.save(model.state_dict(), "textcnn-model.pt")

    model.load_state_dict(torch.load("textcnn-model.pt"))
    te_loss, te_acc = run_epoch(model, loaders["test"], criterion)
    print(f"Test Loss: {te_loss:.3f} | Test Acc: {te_acc * 100:.2f}%")


if __name__ == "__main__":
    main()
