"""RealNVP density estimation on two moons, in the style of the karpathy/pytorch-normalizing-flows ports:
`AffineHalfFlow` coupling layers with a `parity` flag, a `NormalizingFlow` stack and a `NormalizingFlowModel`
(prior + flow) returning `(zs, prior_logprob, log_det)`, trained by maximum likelihood with a flat
`for k in range(...)` loop printing every 50 steps; validation NLL decides the best step, test NLL and samples
at the end, `state_dict` saved."""
import numpy as np
import torch
import torch.nn as nn
from sklearn.datasets import make_moons
from torch.distributions import MultivariateNormal

torch.manual_seed(3)
np.random.seed(3)


class MLP(nn.Module):
    def __init__(self, nin, nout, nh):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(nin, nh), nn.LeakyReLU(0.2), nn.Linear(nh, nh), nn.LeakyReLU(0.2),
                                 nn.Linear(nh, nout))

    def forward(self, x):
        return self.net(x)


class AffineHalfFlow(nn.Module):
    """RealNVP coupling: half of the dimensions are scaled and shifted as a function of the other half."""

    def __init__(self, dim, parity, nh=24, scale=True, shift=True):
        super().__init__()
        self.dim = dim
        self.parity = parity
        self.s_cond = MLP(dim // 2, dim // 2, nh) if scale else (lambda x: x.new_zeros(x.size(0), dim // 2))
        self.t_cond = MLP(dim // 2, dim // 2, nh) if shift else (lambda x: x.new_zeros(x.size(0), dim // 2))

    def forward(self, x):
        x0, x1 = x[:, ::2], x[:, 1::2]
        if self.parity:
            x0, x1 = x1, x0
        s = torch.tanh(self.s_cond(x0))
        t = self.t_cond(x0)
        z0 = x0
        z1 = torch.exp(s) * x1 + t
        if self.parity:
            z0, z1 = z1, z0
        z = torch.cat([z0, z1], dim=1)
        return z, torch.sum(s, dim=1)

    def backward(self, z):
        z0, z1 = z[:, ::2], z[:, 1::2]
        if self.parity:
            z0, z1 = z1, z0
        x0 = z0
        s = torch.tanh(self.s_cond(z0))
        t = self.t_cond(z0)
        x1 = (z1 - t) * torch.exp(-s)
        if self.parity:
            x0, x1 = x1, x0
        return torch.cat([x0, x1], dim=1), torch.sum(-s, dim=1)


class NormalizingFlow(nn.Module):
    def __init__(self, flows):
        super().__init__()
        self.flows = nn.ModuleList(flows)

    def forward(self, x):
        m = x.shape[0]
        log_det = torch.zeros(m)
        zs = [x]
        for flow in self.flows:
            x, ld = flow.forward(x)
            log_det += ld
            zs.append(x)
        return zs, log_det

    def backward(self, z):
        m = z.shape[0]
        log_det = torch.zeros(m)
        xs = [z]
        for flow in self.flows[::-1]:
            z, ld = flow.backward(z)
            log_det += ld
            xs.append(z)
        return xs, log_det


class NormalizingFlowModel(nn.Module):
    def __init__(self, prior, flows):
        super().__init__()
        self.prior = prior
        self.flow = NormalizingFlow(flows)

    def forward(self, x):
        zs, log_det = self.flow.forward(x)
        prior_logprob = self.prior.log_prob(zs[-1]).view(x.size(0), -1).sum(1)
        return zs, prior_logprob, log_det

    def sample(self, num_samples):
        z = self.prior.sample((num_samples,))
        xs, _ = self.flow.backward(z)
        return xs


def nll(model, x):
    with torch.no_grad():
        _, prior_logprob, log_det = model(x)
        return -torch.mean(prior_logprob + log_det).item()


X, _ = make_moons(n_samples=3000, noise=0.05, random_state=3)
X = torch.from_numpy(((X - X.mean(0)) / X.std(0)).astype(np.float32))
x_train, x_val, x_test = X[:2000], X[2000:2500], X[2500:]

prior = MultivariateNormal(torch.zeros(2), torch.eye(2))
flows = [AffineHalfFlow(dim=2, parity=i % 2, nh=24) for i in range(4)]
model = NormalizingFlowModel(prior, flows)
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, weight_decay=1e-5)
print("number of params: ", sum(p.numel() for p in model.parameters()))

best_val, best_k, best_state = float("inf"), -1, None
model.train()
for k in range(300):
    idx = torch.randint(0, len(x_train), (128,))
    x = x_train[idx]
    zs, prior_logprob, log_det = model(x)
    logprob = prior_logprob + log_det
    loss = -torch.sum(logprob) / x.shape[0]
    model.zero_grad()
    loss.backward()
    optimizer.step()
    if k % 50 == 0 or k == 299:
        val_nll = nll(model, x_val)
        print(f"iter {k}: train nll {loss.item():.4f} val nll {val_nll:.4f}")
        if val_nll < best_val:
            best_val, best_k = val_nll, k
            best_state = {n: v.clone() for n, v in model.state_dict().items()}

model.load_state_dict(best_state)
model.eval()
print(f"best validation nll {best_val:.4f} at iter {best_k}; test nll {nll(model, x_test):.4f}")
with torch.no_grad():
    samples = model.sample(500)[-1]
print(f"sample mean {[round(v, 3) for v in samples.mean(0).tolist()]}, data mean {[round(v, 3) for v in x_test.mean(0).tolist()]}")
torch.save(model.state_dict(), "realnvp_moons.pt")
