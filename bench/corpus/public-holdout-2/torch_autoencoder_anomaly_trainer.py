"""Dense autoencoder for anomaly detection: a Trainer class with fit() and a history dict, the
logging module instead of prints, the threshold taken as a percentile of the reconstruction
error on normal validation data, precision/recall/F1 on a labelled test set."""
import logging
import sys

import numpy as np
import torch
from sklearn.metrics import f1_score, precision_score, recall_score
from torch import nn

logging.basicConfig(stream=sys.stdout, level=logging.INFO, format="%(levelname)s %(message)s")
log = logging.getLogger("anomaly")

SEED = 11
N_FEATURES = 20
LATENT = 4
EPOCHS = 30
BATCH = 64
LEARNING_RATE = 3e-3
PERCENTILE = 95


def make_data(rng):
    basis = rng.normal(size=(LATENT, N_FEATURES))
    normal = rng.normal(size=(1500, LATENT)) @ basis + 0.1 * rng.normal(size=(1500, N_FEATURES))
    odd = rng.normal(scale=1.5, size=(100, N_FEATURES))
    test_normal = rng.normal(size=(300, LATENT)) @ basis + 0.1 * rng.normal(size=(300, N_FEATURES))
    x_test = np.vstack([test_normal, odd]).astype(np.float32)
    y_test = np.r_[np.zeros(300), np.ones(100)].astype(int)
    return normal[:1200].astype(np.float32), normal[1200:].astype(np.float32), x_test, y_test


class AutoEncoder(nn.Module):
    def __init__(self, n_in, latent):
        super().__init__()
        self.encoder = nn.Sequential(nn.Linear(n_in, 12), nn.Tanh(), nn.Linear(12, latent))
        self.decoder = nn.Sequential(nn.Linear(latent, 12), nn.Tanh(), nn.Linear(12, n_in))

    def forward(self, x):
        return self.decoder(self.encoder(x))


class Trainer:
    def __init__(self, model, lr, epochs, batch_size):
        self.model = model
        self.epochs = epochs
        self.batch_size = batch_size
        self.optimizer = torch.optim.Adam(model.parameters(), lr=lr)
        self.loss_fn = nn.MSELoss()
        self.history = {"train_loss": [], "val_loss": []}

    def _errors(self, x):
        self.model.eval()
        with torch.no_grad():
            recon = self.model(torch.from_numpy(x))
        return ((recon - torch.from_numpy(x)) ** 2).mean(dim=1).numpy()

    def fit(self, x_train, x_val):
        gen = torch.Generator().manual_seed(SEED)
        data = torch.from_numpy(x_train)
        for epoch in range(self.epochs):
            self.model.train()
            order = torch.randperm(len(data), generator=gen)
            total = 0.0
            for start in range(0, len(data), self.batch_size):
                batch = data[order[start:start + self.batch_size]]
                self.optimizer.zero_grad()
                loss = self.loss_fn(self.model(batch), batch)
                loss.backward()
                self.optimizer.step()
                total += loss.item() * len(batch)
            train_loss = total / len(data)
            val_loss = float(self._errors(x_val).mean())
            self.history["train_loss"].append(train_loss)
            self.history["val_loss"].append(val_loss)
            if epoch % 5 == 0 or epoch == self.epochs - 1:
                log.info("epoch %d train_loss %.5f val_loss %.5f", epoch, train_loss, val_loss)
        return self.history

    def threshold(self, x_val, percentile):
        return float(np.percentile(self._errors(x_val), percentile))

    def predict(self, x, threshold):
        return (self._errors(x) > threshold).astype(int)


def main():
    rng = np.random.default_rng(SEED)
    torch.manual_seed(SEED)
    x_train, x_val, x_test, y_test = make_data(rng)
    model = AutoEncoder(N_FEATURES, LATENT)
    trainer = Trainer(model, LEARNING_RATE, EPOCHS, BATCH)
    trainer.fit(x_train, x_val)
    cut = trainer.threshold(x_val, PERCENTILE)
    pred = trainer.predict(x_test, cut)
    log.info("threshold %.5f", cut)
    log.info("precision %.4f", precision_score(y_test, pred))
    log.info("recall %.4f", recall_score(y_test, pred))
    log.info("f1 %.4f", f1_score(y_test, pred))
    torch.save(model.state_dict(), "autoencoder.pt")


if __name__ == "__main__":
    main()
