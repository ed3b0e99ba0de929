"""DDPM on a 2-D toy distribution (two moons), tiny-diffusion layout: argparse config at module level,
a NoiseScheduler class (add_noise / step), an MLP noise predictor with sinusoidal time embedding,
per-epoch loss, reverse sampling and a sample-quality check against held-out points."""
import argparse
import math
import os

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from sklearn.datasets import make_moons
from torch.utils.data import DataLoader, TensorDataset

parser = argparse.ArgumentParser()
parser.add_argument("--experiment_name", type=str, default="moons")
parser.add_argument("--train_batch_size", type=int, default=64)
parser.add_argument("--eval_batch_size", type=int, default=400)
parser.add_argument("--num_epochs", type=int, default=12)
parser.add_argument("--learning_rate", type=float, default=2e-3)
parser.add_argument("--num_timesteps", type=int, default=50)
parser.add_argument("--beta_schedule", type=str, default="linear", choices=["linear", "quadratic"])
parser.add_argument("--embedding_size", type=int, default=32)
parser.add_argument("--hidden_size", type=int, default=64)
parser.add_argument("--hidden_layers", type=int, default=2)
parser.add_argument("--seed", type=int, default=4)
config = parser.parse_args()


class SinusoidalEmbedding(nn.Module):
    def __init__(self, size, scale=1.0):
        super().__init__()
        self.size = size
        self.scale = scale

    def forward(self, x):
        x = x * self.scale
        half = self.size // 2
        emb = math.log(10000.0) / (half - 1)
        emb = torch.exp(-emb * torch.arange(half))
        emb = x.unsqueeze(-1) * emb.unsqueeze(0)
        return torch.cat((torch.sin(emb), torch.cos(emb)), dim=-1)


class Block(nn.Module):
    def __init__(self, size):
        super().__init__()
        self.ff = nn.Linear(size, size)
        self.act = nn.GELU()

    def forward(self, x):
        return x + self.act(self.ff(x))


class MLP(nn.Module):
    def __init__(self, hidden_size=64, hidden_layers=2, emb_size=32):
        super().__init__()
        self.time_mlp = SinusoidalEmbedding(emb_size)
        self.input_mlp1 = SinusoidalEmbedding(emb_size, scale=25.0)
        self.input_mlp2 = SinusoidalEmbedding(emb_size, scale=25.0)
        layers = [nn.Linear(3 * emb_size, hidden_size), nn.GELU()]
        layers += [Block(hidden_size) for _ in range(hidden_layers)]
        layers.append(nn.Linear(hidden_size, 2))
        self.joint_mlp = nn.Sequential(*layers)

    def forward(self, x, t):
        x = torch.cat((self.input_mlp1(x[:, 0]), self.input_mlp2(x[:, 1]), self.time_mlp(t.float())), dim=-1)
        return self.joint_mlp(x)


class NoiseScheduler:
    def __init__(self, num_timesteps=50, beta_start=0.0001, beta_end=0.02, beta_schedule="linear"):
        self.num_timesteps = num_timesteps
        if beta_schedule == "linear":
            self.betas = torch.linspace(beta_start, beta_end, num_timesteps, dtype=torch.float32)
        else:
            self.betas = torch.linspace(beta_start ** 0.5, beta_end ** 0.5, num_timesteps, dtype=torch.float32) ** 2
        # a short chain needs bigger steps than the usual 1000-step schedule
        self.betas = self.betas * (1000 / num_timesteps)
        self.alphas = 1.0 - self.betas
        self.alphas_cumprod = torch.cumprod(self.alphas, dim=0)
        self.alphas_cumprod_prev = F.pad(self.alphas_cumprod[:-1], (1, 0), value=1.0)
        self.sqrt_alphas_cumprod = self.alphas_cumprod ** 0.5
        self.sqrt_one_minus_alphas_cumprod = (1 - self.alphas_cumprod) ** 0.5
        self.sqrt_inv_alphas_cumprod = torch.sqrt(1 / self.alphas_cumprod)
        self.sqrt_inv_alphas_cumprod_minus_one = torch.sqrt(1 / self.alphas_cumprod - 1)
        self.posterior_mean_coef1 = self.betas * torch.sqrt(self.alphas_cumprod_prev) / (1.0 - self.alphas_cumprod)
        self.posterior_mean_coef2 = (1.0 - self.alphas_cumprod_prev) * torch.sqrt(self.alphas) / (1.0 - self.alphas_cumprod)

    def reconstruct_x0(self, x_t, t, noise):
        return self.sqrt_inv_alphas_cumprod[t] * x_t - self.sqrt_inv_alphas_cumprod_minus_one[t] * noise

    def get_variance(self, t):
        if t == 0:
            return 0.0
        variance = self.betas[t] * (1.0 - self.alphas_cumprod_prev[t]) / (1.0 - self.alphas_cumprod[t])
        return variance.clip(1e-20)

    def step(self, model_output, timestep, sample, generator):
        pred_original = self.reconstruct_x0(sample, timestep, model_output)
        pred_prev = self.posterior_mean_coef1[timestep] * pred_original + self.posterior_mean_coef2[timestep] * sample
        if timestep > 0:
            noise = torch.randn(model_output.shape, generator=generator)
            pred_prev = pred_prev + (self.get_variance(timestep) ** 0.5) * noise
        return pred_prev

    def add_noise(self, x_start, x_noise, timesteps):
        s1 = self.sqrt_alphas_cumprod[timesteps].reshape(-1, 1)
        s2 = self.sqrt_one_minus_alphas_cumprod[timesteps].reshape(-1, 1)
        return s1 * x_start + s2 * x_noise

    def __len__(self):
        return self.num_timesteps


def mmd_rbf(a, b, gamma=2.0):
    def k(x, y):
        return torch.exp(-gamma * torch.cdist(x, y) ** 2).mean()
    return (k(a, a) + k(b, b) - 2 * k(a, b)).item()


if __name__ == "__main__":
    torch.manual_seed(config.seed)
    X, _ = make_moons(n_samples=1600, noise=0.05, random_state=config.seed)
    X = (X - X.mean(0)) / X.std(0)
    X = torch.tensor(X, dtype=torch.float32)
    train_x, heldout_x = X[:1200], X[1200:]
    dataloader = DataLoader(TensorDataset(train_x), batch_size=config.train_batch_size, shuffle=True, drop_last=True,
                            generator=torch.Generator().manual_seed(config.seed))

    model = MLP(hidden_size=config.hidden_size, hidden_layers=config.hidden_layers, emb_size=config.embedding_size)
    noise_scheduler = NoiseScheduler(num_timesteps=config.num_timesteps, beta_schedule=config.beta_schedule)
    optimizer = torch.optim.AdamW(model.parameters(), lr=config.learning_rate)

    global_step = 0
    losses = []
    print("Training model...")
    for epoch in range(config.num_epochs):
        model.train()
        epoch_losses = []
        for (batch,) in dataloader:
            noise = torch.randn(batch.shape)
            timesteps = torch.randint(0, noise_scheduler.num_timesteps, (batch.shape[0],)).long()
            noisy = noise_scheduler.add_noise(batch, noise, timesteps)
            noise_pred = model(noisy, timesteps)
            loss = F.mse_loss(noise_pred, noise)
            loss.backward()
            nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
            optimizer.zero_grad()
            epoch_losses.append(loss.item())
            global_step += 1
        losses.append(float(np.mean(epoch_losses)))
        print(f"epoch {epoch}: loss {losses[-1]:.4f} step {global_step}")

    print("Sampling...")
    model.eval()
    gen = torch.Generator().manual_seed(config.seed + 1)
    sample = torch.randn(config.eval_batch_size, 2, generator=gen)
    for t in reversed(range(len(noise_scheduler))):
        ts = torch.full((config.eval_batch_size,), t, dtype=torch.long)
        with torch.no_grad():
            residual = model(sample, ts)
        sample = noise_scheduler.step(residual, t, sample, gen)
    gaussian = torch.randn(config.eval_batch_size, 2, generator=gen)
    print(f"MMD(samples, held-out) = {mmd_rbf(sample, heldout_x):.4f}  vs  MMD(gaussian, held-out) = {mmd_rbf(gaussian, heldout_x):.4f}")

    outdir = f"exps/{config.experiment_name}"
    os.makedirs(outdir, exist_ok=True)
    torch.save(model.state_dict(), f"{outdir}/model.pth")
    np.save(f"{outdir}/loss.npy", np.array(losses))
    np.save(f"{outdir}/samples.npy", sample.numpy())
    print(f"Saved to {outdir}")
