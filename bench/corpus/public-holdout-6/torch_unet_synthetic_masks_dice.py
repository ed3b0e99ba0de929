"""Tiny U-Net on synthetic blob images, Pytorch-UNet layout: `get_args()`, `train_model(model, device, epochs, ...)`
with `logging.info`, Dice loss + BCE, `evaluate()` returning the mean Dice score, `ReduceLROnPlateau(mode="max")`
stepped on the validation Dice, `checkpoints/checkpoint_epoch{N}.pth` written every epoch."""
import argparse
import logging
from pathlib import Path

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch import optim
from torch.utils.data import DataLoader, Dataset, random_split

dir_checkpoint = Path("./checkpoints/")


class BlobDataset(Dataset):
    """Grey 24x24 images with 1-3 bright discs on noise; the mask is the union of the discs."""

    def __init__(self, n, size=24, seed=0):
        rng = np.random.default_rng(seed)
        yy, xx = np.mgrid[:size, :size]
        self.images, self.masks = [], []
        for _ in range(n):
            mask = np.zeros((size, size), dtype=np.float32)
            for _ in range(rng.integers(1, 4)):
                cy, cx, r = rng.integers(4, size - 4), rng.integers(4, size - 4), rng.integers(2, 6)
                mask[(yy - cy) ** 2 + (xx - cx) ** 2 <= r * r] = 1.0
            img = 0.6 * mask + rng.normal(0, 0.35, size=(size, size)).astype(np.float32)
            self.images.append(img[None])
            self.masks.append(mask[None])

    def __len__(self):
        return len(self.images)

    def __getitem__(self, idx):
        return {"image": torch.from_numpy(self.images[idx]), "mask": torch.from_numpy(self.masks[idx])}


class DoubleConv(nn.Module):
    def __init__(self, in_channels, out_channels):
        super().__init__()
        self.double_conv = nn.Sequential(
            nn.Conv2d(in_channels, out_channels, kernel_size=3, padding=1, bias=False),
            nn.BatchNorm2d(out_channels), nn.ReLU(inplace=True),
            nn.Conv2d(out_channels, out_channels, kernel_size=3, padding=1, bias=False),
            nn.BatchNorm2d(out_channels), nn.ReLU(inplace=True))

    def forward(self, x):
        return self.double_conv(x)


class Up(nn.Module):
    def __init__(self, in_channels, out_channels):
        super().__init__()
        self.up = nn.ConvTranspose2d(in_channels, in_channels // 2, kernel_size=2, stride=2)
        self.conv = DoubleConv(in_channels, out_channels)

    def forward(self, x1, x2):
        return self.conv(torch.cat([x2, self.up(x1)], dim=1))


class UNet(nn.Module):
    def __init__(self, n_channels=1, n_classes=1, base=8):
        super().__init__()
        self.n_channels, self.n_classes = n_channels, n_classes
        self.inc = DoubleConv(n_channels, base)
        self.down1 = nn.Sequential(nn.MaxPool2d(2), DoubleConv(base, base * 2))
        self.down2 = nn.Sequential(nn.MaxPool2d(2), DoubleConv(base * 2, base * 4))
        self.up1 = Up(base * 4, base * 2)
        self.up2 = Up(base * 2, base)
        self.outc = nn.Conv2d(base, n_classes, kernel_size=1)

    def forward(self, x):
        x1 = self.inc(x)
        x2 = self.down1(x1)
        x3 = self.down2(x2)
        return self.outc(self.up2(self.up1(x3, x2), x1))


def dice_coeff(input, target, epsilon=1e-6):
    inter = 2 * (input * target).sum(dim=(-1, -2))
    sets_sum = input.sum(dim=(-1, -2)) + target.sum(dim=(-1, -2))
    sets_sum = torch.where(sets_sum == 0, inter, sets_sum)
    return ((inter + epsilon) / (sets_sum + epsilon)).mean()


def dice_loss(input, target):
    return 1 - dice_coeff(input, target)


@torch.inference_mode()
def evaluate(net, dataloader, device):
    net.eval()
    dice_score = 0
    for batch in dataloader:
        image, mask_true = batch["image"].to(device), batch["mask"].to(device)
        mask_pred = (torch.sigmoid(net(image)) > 0.5).float()
        dice_score += dice_coeff(mask_pred, mask_true)
    net.train()
    return float(dice_score / max(len(dataloader), 1))


def train_model(model, device, epochs=6, batch_size=16, learning_rate=1e-2, val_percent=0.2,
                save_checkpoint=True, weight_decay=1e-8, momentum=0.9):
    dataset = BlobDataset(320, seed=1)
    n_val = int(len(dataset) * val_percent)
    n_train = len(dataset) - n_val
    train_set, val_set = random_split(dataset, [n_train, n_val], generator=torch.Generator().manual_seed(0))
    train_loader = DataLoader(train_set, shuffle=True, batch_size=batch_size, generator=torch.Generator().manual_seed(0))
    val_loader = DataLoader(val_set, shuffle=False, drop_last=False, batch_size=batch_size)

    logging.info(f"""Starting training:
        Epochs:          {epochs}
        Batch size:      {batch_size}
        Learning rate:   {learning_rate}
        Training size:   {n_train}
        Validation size: {n_val}
        Checkpoints:     {save_checkpoint}
        Device:          {device.type}""")

    optimizer = optim.RMSprop(model.parameters(), lr=learning_rate, weight_decay=weight_decay, momentum=momentum)
    scheduler = optim.lr_scheduler.ReduceLROnPlateau(optimizer, "max", patience=2)
    criterion = nn.BCEWithLogitsLoss()
    global_step = 0
    for epoch in range(1, epochs + 1):
        model.train()
        epoch_loss = 0
        for batch in train_loader:
            images, true_masks = batch["image"].to(device), batch["mask"].to(device)
            masks_pred = model(images)
            loss = criterion(masks_pred, true_masks) + dice_loss(torch.sigmoid(masks_pred), true_masks)
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
            global_step += 1
            epoch_loss += loss.item()
        val_score = evaluate(model, val_loader, device)
        scheduler.step(val_score)
        logging.info(f"Epoch {epoch}: train loss {epoch_loss / len(train_loader):.4f}, "
                     f"validation Dice {val_score:.4f}, lr {optimizer.param_groups[0]['lr']:.2e}")
        if save_checkpoint:
            dir_checkpoint.mkdir(parents=True, exist_ok=True)
            torch.save(model.state_dict(), str(dir_checkpoint / f"checkpoint_epoch{epoch}.pth"))
            logging.info(f"Checkpoint {epoch} saved!")
    return model


def get_args():
    parser = argparse.ArgumentParser(description="Train the UNet on images and target masks")
    parser.add_argument("--epochs", "-e", metavar="E", type=int, default=6, help="Number of epochs")
    parser.add_argument("--batch-size", "-b", dest="batch_size", metavar="B", type=int, default=16, help="Batch size")
    parser.add_argument("--learning-rate", "-l", metavar="LR", type=float, default=1e-2, help="Learning rate", dest="lr")
    parser.add_argument("--validation", "-v", dest="val", type=float, default=20.0,
                        help="Percent of the data that is used as validation (0-100)")
    parser.add_argument("--base", type=int, default=8, help="Channels of the first level")
    parser.add_argument("--seed", type=int, default=0)
    return parser.parse_args()


if __name__ == "__main__":
    args = get_args()
    logging.basicConfig(level=logging.INFO, format="%(levelname)s: %(message)s", handlers=[logging.StreamHandler(__import__("sys").stdout)])
    torch.manual_seed(args.seed)
    device = torch.device("cpu")
    logging.info(f"Using device {device}")
    model = UNet(n_channels=1, n_classes=1, base=args.base)
    logging.info(f"Network: {model.n_channels} input channels, {model.n_classes} output channels")
    model = train_model(model=model, epochs=args.epochs, batch_size=args.batch_size, learning_rate=args.lr,
                        device=device, val_percent=args.val / 100)
    test_loader = DataLoader(BlobDataset(64, seed=99), batch_size=32)
    logging.info(f"Test Dice: {evaluate(model, test_loader, device):.4f}")
