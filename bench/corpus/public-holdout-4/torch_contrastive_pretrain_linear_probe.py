"""Two-stage self-supervised run on the digits: a SimCLR-style encoder trained with the NT-Xent loss on
two noisy views, then frozen; a linear probe (nn.Linear) trained on its features and scored on test."""
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

HPARAMS = {
    "seed": 3,
    "feat_dim": 32,
    "proj_dim": 16,
    "temperature": 0.5,
    "pretrain_lr": 1e-3,
    "pretrain_epochs": 5,
    "probe_lr": 0.2,
    "probe_epochs": 200,
    "batch_size": 128,
}


def augment(x, generator):
    """Random pixel noise + random erasing of one 2x2 patch, a cheap stand-in for image augmentations."""
    noisy = x + 0.15 * torch.randn(x.shape, generator=generator)
    b = x.shape[0]
    r = torch.randint(0, 7, (b,), generator=generator)
    c = torch.randint(0, 7, (b,), generator=generator)
    img = noisy.view(b, 8, 8).clone()
    for i in range(b):
        img[i, r[i]:r[i] + 2, c[i]:c[i] + 2] = 0.0
    return img.view(b, 64)


class Encoder(nn.Module):
    def __init__(self, feat_dim, proj_dim):
        super().__init__()
        self.backbone = nn.Sequential(nn.Linear(64, 128), nn.ReLU(), nn.Linear(128, feat_dim), nn.ReLU())
        self.projector = nn.Sequential(nn.Linear(feat_dim, feat_dim), nn.ReLU(), nn.Linear(feat_dim, proj_dim))

    def forward(self, x):
        h = self.backbone(x)
        return h, self.projector(h)


def nt_xent(z1, z2, temperature):
    z = F.normalize(torch.cat([z1, z2]), dim=1)
    sim = z @ z.t() / temperature
    n = z1.shape[0]
    sim.fill_diagonal_(float("-inf"))
    targets = torch.cat([torch.arange(n, 2 * n), torch.arange(0, n)])
    return F.cross_entropy(sim, targets)


def pretrain(encoder, X, hp, generator):
    opt = torch.optim.Adam(encoder.parameters(), lr=hp["pretrain_lr"])
    for epoch in range(hp["pretrain_epochs"]):
        perm = torch.randperm(len(X), generator=generator)
        total = 0.0
        for i in range(0, len(X), hp["batch_size"]):
            xb = X[perm[i:i + hp["batch_size"]]]
            _, z1 = encoder(augment(xb, generator))
            _, z2 = encoder(augment(xb, generator))
            loss = nt_xent(z1, z2, hp["temperature"])
            opt.zero_grad()
            loss.backward()
            opt.step()
            total += loss.item() * len(xb)
        print(f"pretrain epoch {epoch + 1} nt_xent {total / len(X):.4f}")


def train_probe(probe, feats, y, hp):
    opt = torch.optim.SGD(probe.parameters(), lr=hp["probe_lr"], momentum=0.9)
    for _ in range(hp["probe_epochs"]):
        opt.zero_grad()
        loss = F.cross_entropy(probe(feats), y)
        loss.backward()
        opt.step()
    return loss.item()


def main(hp=HPARAMS):
    torch.manual_seed(hp["seed"])
    np.random.seed(hp["seed"])
    g = torch.Generator().manual_seed(hp["seed"])
    X, y = load_digits(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(X / 16.0, y, test_size=0.25, random_state=hp["seed"], stratify=y)
    X_train = torch.tensor(X_train, dtype=torch.float32)
    X_test = torch.tensor(X_test, dtype=torch.float32)
    y_train, y_test = torch.tensor(y_train), torch.tensor(y_test)

    encoder = Encoder(hp["feat_dim"], hp["proj_dim"])
    pretrain(encoder, X_train, hp, g)
    encoder.eval()
    for p in encoder.parameters():
        p.requires_grad_(False)
    with torch.no_grad():
        f_train, _ = encoder(X_train)
        f_test, _ = encoder(X_test)

    probe = nn.Linear(hp["feat_dim"], 10)
    probe_loss = train_probe(probe, f_train, y_train, hp)
    with torch.no_grad():
        acc = (probe(f_test).argmax(1) == y_test).float().mean().item()
    print(f"probe_train_loss={probe_loss:.4f}")
    print(f"linear_probe_accuracy={acc:.4f}")
    torch.save({"encoder": encoder.state_dict(), "probe": probe.state_dict()}, "simclr_probe.pt")


if __name__ == "__main__":
    main()
