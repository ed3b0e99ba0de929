"""Mixture density network on the inverted-sine toy problem (one x, several y), in the shape of the MDN tutorials and
the `mdn.py` layer that many repos vendor: `MDN(in_features, out_features, num_gaussians)` with `pi` (softmax),
`sigma` (exp) and `mu` linear heads, `gaussian_probability(sigma, mu, target)`, `mdn_loss(pi, sigma, mu, target)`
(negative log-likelihood with log-sum-exp), `sample(pi, sigma, mu)`; module-level hyperparameters in a `params`
dict, full-batch Adam, validation NLL every 100 iterations with the best weights kept by `copy.deepcopy`, test NLL
and the mode-prediction error reported at the end, `mdn.pth`."""
import copy
import math

import numpy as np
import torch
import torch.nn as nn
from torch.distributions import Categorical

ONEOVERSQRT2PI = 1.0 / math.sqrt(2 * math.pi)

params = {
    "n_samples": 2500,
    "hidden": 32,
    "num_gaussians": 5,
    "lr": 5e-3,
    "n_iters": 1200,
    "eval_every": 100,
    "seed": 3,
}


def make_data(n, rng):
    y = rng.uniform(-10.5, 10.5, size=(n, 1))
    x = 7.0 * np.sin(0.75 * y) + 0.5 * y + rng.normal(0, 1.0, size=(n, 1))
    return torch.tensor(x, dtype=torch.float32) / 10.0, torch.tensor(y, dtype=torch.float32) / 10.0


class MDN(nn.Module):
    def __init__(self, in_features, out_features, num_gaussians):
        super().__init__()
        self.in_features = in_features
        self.out_features = out_features
        self.num_gaussians = num_gaussians
        self.pi = nn.Sequential(nn.Linear(in_features, num_gaussians), nn.Softmax(dim=1))
        self.sigma = nn.Linear(in_features, out_features * num_gaussians)
        self.mu = nn.Linear(in_features, out_features * num_gaussians)

    def forward(self, minibatch):
        pi = self.pi(minibatch)
        sigma = torch.exp(self.sigma(minibatch)).view(-1, self.num_gaussians, self.out_features)
        mu = self.mu(minibatch).view(-1, self.num_gaussians, self.out_features)
        return pi, sigma, mu


def gaussian_probability(sigma, mu, target):
    target = target.unsqueeze(1).expand_as(sigma)
    ret = ONEOVERSQRT2PI * torch.exp(-0.5 * ((target - mu) / sigma) ** 2) / sigma
    return torch.prod(ret, 2)


def mdn_loss(pi, sigma, mu, target):
    target = target.unsqueeze(1).expand_as(sigma)
    log_prob = -0.5 * ((target - mu) / sigma) ** 2 - torch.log(sigma) + math.log(ONEOVERSQRT2PI)
    log_prob = log_prob.sum(2)
    return -torch.logsumexp(torch.log(pi + 1e-12) + log_prob, dim=1).mean()


def sample(pi, sigma, mu, generator):
    k = torch.multinomial(pi, 1, generator=generator).squeeze(1)
    idx = torch.arange(len(k))
    noise = torch.randn(sigma[idx, k].shape, generator=generator)
    return mu[idx, k] + sigma[idx, k] * noise


def build_model():
    return nn.Sequential(
        nn.Linear(1, params["hidden"]), nn.Tanh(),
        nn.Linear(params["hidden"], params["hidden"]), nn.Tanh(),
        MDN(params["hidden"], 1, params["num_gaussians"]),
    )


if __name__ == "__main__":
    torch.manual_seed(params["seed"])
    rng = np.random.RandomState(params["seed"])
    x_train, y_train = make_data(params["n_samples"], rng)
    x_val, y_val = make_data(500, rng)
    x_test, y_test = make_data(500, rng)

    model = build_model()
    optimizer = torch.optim.Adam(model.parameters(), lr=params["lr"])
    best_val, best_state = float("inf"), None
    for it in range(1, params["n_iters"] + 1):
        model.train()
        pi, sigma, mu = model(x_train)
        loss = mdn_loss(pi, sigma, mu, y_train)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        if it % params["eval_every"] == 0:
            model.eval()
            with torch.no_grad():
                val_loss = mdn_loss(*model(x_val), y_val).item()
            if val_loss < best_val:
                best_val = val_loss
                best_state = copy.deepcopy(model.state_dict())
            print(f"iter {it:4d} train NLL {loss.item():.4f} val NLL {val_loss:.4f}")

    model.load_state_dict(best_state)
    torch.save(model.state_dict(), "mdn.pth")
    model.eval()
    with torch.no_grad():
        pi, sigma, mu = model(x_test)
        test_nll = mdn_loss(pi, sigma, mu, y_test).item()
        mode = mu[torch.arange(len(pi)), pi.argmax(1)]
        samples = sample(pi, sigma, mu, torch.Generator().manual_seed(0))
        # distance from each target to the closest component mean (multi-valued target)
        closest = (mu.squeeze(-1) - y_test).abs().min(1).values.mean().item()
    print(f"best val NLL {best_val:.4f}")
    print(f"test NLL {test_nll:.4f}")
    print(f"test mode MAE {(mode - y_test).abs().mean().item():.4f}, closest-component MAE {closest:.4f}")
    print(f"mixture weights (mean) {[round(v, 3) for v in pi.mean(0).tolist()]}")
    print(f"sample mean {samples.mean().item():.4f} std {samples.std().item():.4f}")
