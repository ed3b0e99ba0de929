"""A small GAN learning a 1-D mixture of two gaussians with MLP generator and discriminator."""
import torch
import torch.nn as nn

torch.manual_seed(123)
latent_dim = 4
hidden = 24
lr_g = 2e-3
lr_d = 2e-3
n_steps = 600
batch = 64


def real_samples(n):
    comp = torch.randint(0, 2, (n, 1)).float()
    return comp * torch.normal(2.0, 0.3, (n, 1)) + (1 - comp) * torch.normal(-2.0, 0.3, (n, 1))


G = nn.Sequential(nn.Linear(latent_dim, hidden), nn.ReLU(), nn.Linear(hidden, 1))
D = nn.Sequential(nn.Linear(1, hidden), nn.LeakyReLU(0.2), nn.Linear(hidden, 1))
opt_g = torch.optim.Adam(G.parameters(), lr=lr_g, betas=(0.5, 0.999))
opt_d = torch.optim.Adam(D.parameters(), lr=lr_d, betas=(0.5, 0.999))
bce = nn.BCEWithLogitsLoss()
ones, zeros = torch.ones(batch, 1), torch.zeros(batch, 1)

for step in range(1, n_steps + 1):
    real = real_samples(batch)
    fake = G(torch.randn(batch, latent_dim))
    d_loss = bce(D(real), ones) + bce(D(fake.detach()), zeros)
    opt_d.zero_grad()
    d_loss.backward()
    opt_d.step()

    g_loss = bce(D(fake), ones)
    opt_g.zero_grad()
    g_loss.backward()
    opt_g.step()
    if step % 100 == 0:
        print(f"step {step}: d_loss={d_loss.item():.4f} g_loss={g_loss.item():.4f}")

with torch.no_grad():
    samples = G(torch.randn(2000, latent_dim))
print(f"generated mean={samples.mean().item():.3f} std={samples.std().item():.3f}")
print(f"fraction right of zero={(samples > 0).float().mean().item():.3f}")
torch.save(G.state_dict(), "generator.pt")
