"""Sub-pixel convolution super-resolution (ESPCN-like) on synthetic smooth images.

Module-level model/optimizer; train(epoch), test() and checkpoint(epoch) use them as globals,
test() prints the average PSNR, and every epoch saves the whole model.
"""
from __future__ import print_function

import argparse
from math import log10

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
import torch.nn.init as init
import torch.optim as optim
from torch.utils.data import DataLoader, Dataset


class Net(nn.Module):
    def __init__(self, upscale_factor):
        super(Net, self).__init__()
        self.relu = nn.ReLU()
        self.conv1 = nn.Conv2d(1, 32, (5, 5), (1, 1), (2, 2))
        self.conv2 = nn.Conv2d(32, 32, (3, 3), (1, 1), (1, 1))
        self.conv3 = nn.Conv2d(32, 16, (3, 3), (1, 1), (1, 1))
        self.conv4 = nn.Conv2d(16, upscale_factor ** 2, (3, 3), (1, 1), (1, 1))
        self.pixel_shuffle = nn.PixelShuffle(upscale_factor)
        self._initialize_weights()

    def forward(self, x):
        x = self.relu(self.conv1(x))
        x = self.relu(self.conv2(x))
        x = self.relu(self.conv3(x))
        return self.pixel_shuffle(self.conv4(x))

    def _initialize_weights(self):
        init.orthogonal_(self.conv1.weight, init.calculate_gain("relu"))
        init.orthogonal_(self.conv2.weight, init.calculate_gain("relu"))
        init.orthogonal_(self.conv3.weight, init.calculate_gain("relu"))
        init.orthogonal_(self.conv4.weight)


class WavePatches(Dataset):
    """High-resolution patches made of a few random plane waves; the input is the pooled patch."""

    def __init__(self, n_images, size, upscale_factor, seed):
        rng = np.random.default_rng(seed)
        yy, xx = np.mgrid[0:size, 0:size] / size
        images = np.zeros((n_images, 1, size, size), dtype=np.float32)
        for i in range(n_images):
            img = np.zeros((size, size))
            for _ in range(3):
                fx, fy = rng.uniform(0.5, 3.0, size=2)
                phase = rng.uniform(0, 2 * np.pi)
                img += np.sin(2 * np.pi * (fx * xx + fy * yy) + phase)
            images[i, 0] = (img - img.min()) / (img.max() - img.min() + 1e-8)
        self.targets = torch.from_numpy(images)
        self.inputs = F.avg_pool2d(self.targets, upscale_factor)

    def __len__(self):
        return len(self.targets)

    def __getitem__(self, index):
        return self.inputs[index], self.targets[index]


parser = argparse.ArgumentParser(description="Super resolution example")
parser.add_argument("--upscale_factor", type=int, default=2, help="super resolution upscale factor")
parser.add_argument("--batchSize", type=int, default=32, help="training batch size")
parser.add_argument("--testBatchSize", type=int, default=16, help="testing batch size")
parser.add_argument("--nEpochs", type=int, default=4, help="number of epochs to train for")
parser.add_argument("--lr", type=float, default=0.005, help="Learning Rate. Default=0.005")
parser.add_argument("--seed", type=int, default=123, help="random seed to use. Default=123")
opt = parser.parse_args()

print(opt)

torch.manual_seed(opt.seed)

print("===> Loading datasets")
train_set = WavePatches(192, 16, opt.upscale_factor, seed=1)
test_set = WavePatches(48, 16, opt.upscale_factor, seed=2)
training_data_loader = DataLoader(dataset=train_set, batch_size=opt.batchSize, shuffle=True)
testing_data_loader = DataLoader(dataset=test_set, batch_size=opt.testBatchSize, shuffle=False)

print("===> Building model")
model = Net(upscale_factor=opt.upscale_factor)
criterion = nn.MSELoss()
optimizer = optim.Adam(model.parameters(), lr=opt.lr)


def train(epoch):
    epoch_loss = 0
    for iteration, batch in enumerate(training_data_loader, 1):
        input, target = batch[0], batch[1]
        optimizer.zero_grad()
        loss = criterion(model(input), target)
        epoch_loss += loss.item()
        loss.backward()
        optimizer.step()
        print("===> Epoch[{}]({}/{}): Loss: {:.4f}".format(epoch, iteration, len(training_data_loader), loss.item()))
    print("===> Epoch {} Complete: Avg. Loss: {:.4f}".format(epoch, epoch_loss / len(training_data_loader)))


def test():
    avg_psnr = 0
    with torch.no_grad():
        for batch in testing_data_loader:
            input, target = batch[0], batch[1]
            prediction = model(input)
            mse = criterion(prediction, target)
            psnr = 10 * log10(1 / mse.item())
            avg_psnr += psnr
    print("===> Avg. PSNR: {:.4f} dB".format(avg_psnr / len(testing_data_loader)))


def checkpoint(epoch):
    model_out_path = "model_epoch_{}.pth".format(epoch)
    torch.save(model, model_out_path)
    print("Checkpoint saved to {}".format(model_out_path))


for epoch in range(1, opt.nEpochs + 1):
    train(epoch)
    test()
    checkpoint(epoch)
