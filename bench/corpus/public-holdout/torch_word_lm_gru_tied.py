"""Word-level GRU language model with tied encoder/decoder weights on a generated corpus."""
import math

import torch
import torch.nn as nn

torch.manual_seed(31)
ANIMALS = ["fox", "owl", "cat", "hen", "yak"]
ACTIONS = ["runs", "sleeps", "eats", "hides"]
PLACES = ["home", "outside", "early", "late"]

g = torch.Generator().manual_seed(31)


def sentence():
    pick = lambda xs: xs[int(torch.randint(len(xs), (1,), generator=g))]  # noqa: E731
    return ["the", pick(ANIMALS), pick(ACTIONS), pick(PLACES), "<eos>"]


words = [w for _ in range(500) for w in sentence()]
vocab = sorted(set(words))
stoi = {w: i for i, w in enumerate(vocab)}
ids = torch.tensor([stoi[w] for w in words])
n_train = int(len(ids) * 0.9)
train_ids, valid_ids = ids[:n_train], ids[n_train:]


def batchify(data, bsz):
    nbatch = data.size(0) // bsz
    return data[: nbatch * bsz].view(bsz, -1).t().contiguous()


class GRULM(nn.Module):
    def __init__(self, ntoken, nhid, dropout):
        super().__init__()
        self.encoder = nn.Embedding(ntoken, nhid)
        self.rnn = nn.GRU(nhid, nhid)
        self.drop = nn.Dropout(dropout)
        self.decoder = nn.Linear(nhid, ntoken)
        self.decoder.weight = self.encoder.weight  # tie weights

    def forward(self, x, h=None):
        out, h = self.rnn(self.drop(self.encoder(x)), h)
        return self.decoder(self.drop(out)), h


bptt = 10
batch_size = 20
nhid = 32
dropout = 0.1
lr = 0.01
epochs = 4
train_data = batchify(train_ids, batch_size)
valid_data = batchify(valid_ids, 5)
model = GRULM(len(vocab), nhid, dropout)
optimizer = torch.optim.Adam(model.parameters(), lr=lr)
criterion = nn.CrossEntropyLoss()


def evaluate(data):
    model.eval()
    total, count = 0.0, 0
    h = None
    with torch.no_grad():
        for i in range(0, data.size(0) - 1, bptt):
            seq_len = min(bptt, data.size(0) - 1 - i)
            x, y = data[i:i + seq_len], data[i + 1:i + 1 + seq_len]
            out, h = model(x, h)
            total += criterion(out.view(-1, len(vocab)), y.reshape(-1)).item() * seq_len
            count += seq_len
    return total / count


for epoch in range(1, epochs + 1):
    model.train()
    h = None
    total_loss = 0.0
    for batch, i in enumerate(range(0, train_data.size(0) - 1, bptt)):
        seq_len = min(bptt, train_data.size(0) - 1 - i)
        x, y = train_data[i:i + seq_len], train_data[i + 1:i + 1 + seq_len]
        if h is not None:
            h = h.detach()
        optimizer.zero_grad()
        out, h = model(x, h)
        loss = criterion(out.view(-1, len(vocab)), y.reshape(-1))
        loss.backward()
        nn.utils.clip_grad_norm_(model.parameters(), 0.5)
        optimizer.step()
        total_loss += loss.item()
        if batch % 5 == 4:
            print(f"| epoch {epoch} | batch {batch + 1} | loss {total_loss / 5:.3f}")
            total_loss = 0.0
    val_loss = evaluate(valid_data)
    print(f"| end of epoch {epoch} | valid loss {val_loss:.3f} | valid ppl {math.exp(val_loss):.2f}")

torch.save(model.state_dict(), "gru_lm.pt")
