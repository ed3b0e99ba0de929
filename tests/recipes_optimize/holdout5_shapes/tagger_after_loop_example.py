"""After the epoch loop (whose batch index is `i`), an example is tagged in a print whose generator also binds `i`."""
import torch
from torch import nn

torch.manual_seed(4)
VOCAB = ["a", "b", "c", "d", "e"]
seqs = torch.randint(0, 5, (64, 7))
tags = (seqs % 2).long()
names = {0: "EVEN", 1: "ODD"}


class Tagger(nn.Module):
    def __init__(self):
        super().__init__()
        self.emb = nn.Embedding(5, 8)
        self.out = nn.Linear(8, 2)

    def forward(self, x):
        return self.out(self.emb(x))


model = Tagger()
opt = torch.optim.Adam(model.parameters(), lr=0.05)
for epoch in range(5):
    for i in range(0, 64, 16):
        opt.zero_grad()
        nn.functional.cross_entropy(model(seqs[i:i + 16]).reshape(-1, 2), tags[i:i + 16].reshape(-1)).backward()
        opt.step()
    print(f"epoch {epoch} done")

with torch.no_grad():
    sample = seqs[0]
    lookup = {v: k for k, v in names.items()}
    print(" ".join(f"{VOCAB[w]}/{names[i]}" for w, i in zip(sample.tolist(), model(sample[None]).argmax(-1)[0].tolist())))
    print(sorted(lookup))
torch.save({"model": model.state_dict()}, "tagger.pt")
