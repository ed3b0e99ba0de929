"""Forward-forward training without backprop between layers: each layer is an nn.Linear subclass with
its own optimizer and goodness threshold, kept in a plain list; labels are written into the first
pixels of the 8x8 digits and the label with the highest total goodness wins."""
import argparse

import torch
import torch.nn as nn
from sklearn.datasets import load_digits
from torch.optim import Adam


def embed_label(x, y, classes=10):
    out = x.clone()
    out[:, :classes] = 0.0
    out[torch.arange(x.shape[0]), y] = x.max()
    return out


def wrong_labels(y, generator):
    shift = torch.randint(1, 10, y.shape, generator=generator)
    return (y + shift) % 10


class GoodnessLayer(nn.Linear):
    def __init__(self, in_features, out_features, lr, threshold, epochs):
        super().__init__(in_features, out_features)
        self.act = nn.ReLU()
        self.opt = Adam(self.parameters(), lr=lr)
        self.threshold = threshold
        self.epochs = epochs

    def forward(self, x):
        unit = x / (x.norm(2, 1, keepdim=True) + 1e-4)
        return self.act(unit @ self.weight.T + self.bias)

    def train_layer(self, x_pos, x_neg, log_interval):
        for i in range(self.epochs):
            g_pos = self.forward(x_pos).pow(2).mean(1)
            g_neg = self.forward(x_neg).pow(2).mean(1)
            margins = torch.cat([self.threshold - g_pos, g_neg - self.threshold])
            loss = torch.log1p(torch.exp(margins)).mean()
            self.opt.zero_grad()
            loss.backward()
            self.opt.step()
            if i % log_interval == 0:
                print(f"  step {i:3d} loss {loss.item():.4f}")
        return self.forward(x_pos).detach(), self.forward(x_neg).detach()


class FFNet(nn.Module):
    def __init__(self, dims, lr, threshold, epochs):
        super().__init__()
        self.layers = []
        for d_in, d_out in zip(dims[:-1], dims[1:]):
            self.layers.append(GoodnessLayer(d_in, d_out, lr, threshold, epochs))

    def predict(self, x):
        scores = []
        for label in range(10):
            h = embed_label(x, torch.full((x.shape[0],), label, dtype=torch.long))
            total = 0
            for layer in self.layers:
                h = layer(h)
                total = total + h.pow(2).mean(1)
            scores.append(total.unsqueeze(1))
        return torch.cat(scores, 1).argmax(1)

    def fit(self, x_pos, x_neg, log_interval):
        h_pos, h_neg = x_pos, x_neg
        for i, layer in enumerate(self.layers):
            print("training layer", i)
            h_pos, h_neg = layer.train_layer(h_pos, h_neg, log_interval)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="forward-forward on 8x8 digits")
    parser.add_argument("--epochs", type=int, default=200, help="steps per layer")
    parser.add_argument("--lr", type=float, default=0.03)
    parser.add_argument("--threshold", type=float, default=0.5)
    parser.add_argument("--hidden", type=int, default=96)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--log-interval", type=int, default=50)
    parser.add_argument("--save-model", action="store_true", default=False)
    args = parser.parse_args()

    torch.manual_seed(args.seed)
    gen = torch.Generator().manual_seed(args.seed)
    digits = load_digits()
    x = torch.tensor(digits.data / 16.0, dtype=torch.float32)
    y = torch.tensor(digits.target, dtype=torch.long)
    perm = torch.randperm(len(x), generator=gen)
    x, y = x[perm], y[perm]
    x_tr, y_tr, x_te, y_te = x[:1400], y[:1400], x[1400:], y[1400:]

    net = FFNet([64, args.hidden, args.hidden], args.lr, args.threshold, args.epochs)
    x_pos = embed_label(x_tr, y_tr)
    x_neg = embed_label(x_tr, wrong_labels(y_tr, gen))
    net.fit(x_pos, x_neg, args.log_interval)

    train_error = 1.0 - net.predict(x_tr).eq(y_tr).float().mean().item()
    test_error = 1.0 - net.predict(x_te).eq(y_te).float().mean().item()
    print(f"train error: {train_error:.4f}")
    print(f"test error: {test_error:.4f}")
    if args.save_model:
        torch.save([layer.state_dict() for layer in net.layers], "digits_ff.pt")
