"""A small autoencoder on the digits images; the result is the reconstruction error on held-out digits."""
import torch
from torch import nn
from sklearn.datasets import load_digits

LATENT_DIM = 8
LR = 1e-2
EPOCHS = 40


class AutoEncoder(nn.Module):
    def __init__(self, latent_dim):
        super().__init__()
        self.encoder = nn.Sequential(nn.Linear(64, 32), nn.ReLU(), nn.Linear(32, latent_dim))
        self.decoder = nn.Sequential(nn.Linear(latent_dim, 32), nn.ReLU(), nn.Linear(32, 64))

    def forward(self, x):
        return self.decoder(self.encoder(x))


torch.manual_seed(2)
images = torch.tensor(load_digits().data / 16.0, dtype=torch.float32)
train_images, test_images = images[:1500], images[1500:]
ae = AutoEncoder(LATENT_DIM)
optim = torch.optim.Adam(ae.parameters(), lr=LR)
mse = nn.MSELoss()
step = 0
while step < EPOCHS:
    optim.zero_grad()
    recon_loss = mse(ae(train_images), train_images)
    recon_loss.backward()
    optim.step()
    step += 1

with torch.no_grad():
    test_error = mse(ae(test_images), test_images).item()
print(f"train reconstruction loss {recon_loss.item():.4f}")
print(f"test reconstruction error {test_error:.4f}")
