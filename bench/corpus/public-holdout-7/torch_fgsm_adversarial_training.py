"""Adversarial training with FGSM on the digits data, in the shape of the PyTorch FGSM tutorial (`fgsm_attack(image,
epsilon, data_grad)` with clamping to the input range, `test(model, device, test_loader, epsilon)` returning the
accuracy and some adversarial examples, a loop over `epsilons`) combined with the "fast adversarial training" repos:
`train(args, model, device, train_loader, optimizer, epoch)` mixing clean and FGSM losses with `--adv-ratio`,
`--train-eps`, clean and robust validation accuracy per epoch, `best_robust.pt` chosen on robust validation
accuracy, and a final robustness table over epsilons on the test split."""
import argparse

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from torch.utils.data import DataLoader, TensorDataset


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 16, 3, padding=1)
        self.conv2 = nn.Conv2d(16, 32, 3, padding=1)
        self.fc1 = nn.Linear(32 * 2 * 2, 64)
        self.fc2 = nn.Linear(64, 10)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv1(x)), 2)
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        x = torch.flatten(x, 1)
        x = F.relu(self.fc1(x))
        return F.log_softmax(self.fc2(x), dim=1)


def fgsm_attack(image, epsilon, data_grad):
    sign_data_grad = data_grad.sign()
    perturbed_image = image + epsilon * sign_data_grad
    return torch.clamp(perturbed_image, 0, 1)


def make_adversarial(model, data, target, epsilon):
    data = data.clone().requires_grad_(True)
    loss = F.nll_loss(model(data), target)
    model.zero_grad()
    data_grad, = torch.autograd.grad(loss, data)
    return fgsm_attack(data, epsilon, data_grad).detach()


def train(args, model, device, train_loader, optimizer, epoch):
    model.train()
    for batch_idx, (data, target) in enumerate(train_loader):
        data, target = data.to(device), target.to(device)
        adv = make_adversarial(model, data, target, args.train_eps)
        optimizer.zero_grad()
        clean_loss = F.nll_loss(model(data), target)
        adv_loss = F.nll_loss(model(adv), target)
        loss = (1 - args.adv_ratio) * clean_loss + args.adv_ratio * adv_loss
        loss.backward()
        optimizer.step()
        if batch_idx % args.log_interval == 0:
            print(f"Train Epoch: {epoch} [{batch_idx * len(data)}/{len(train_loader.dataset)}]\t"
                  f"clean {clean_loss.item():.4f} adv {adv_loss.item():.4f}")


def test(model, device, test_loader, epsilon):
    model.eval()
    correct = 0
    adv_examples = []
    for data, target in test_loader:
        data, target = data.to(device), target.to(device)
        if epsilon > 0:
            data = make_adversarial(model, data, target, epsilon)
        with torch.no_grad():
            pred = model(data).argmax(dim=1)
        correct += (pred == target).sum().item()
        if len(adv_examples) < 3:
            wrong = (pred != target).nonzero().flatten()[:3 - len(adv_examples)]
            adv_examples += [(target[i].item(), pred[i].item()) for i in wrong.tolist()]
    final_acc = correct / float(len(test_loader.dataset))
    return final_acc, adv_examples


def main():
    parser = argparse.ArgumentParser(description="FGSM adversarial training on digits")
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--epochs", type=int, default=8)
    parser.add_argument("--lr", type=float, default=2e-3)
    parser.add_argument("--train-eps", type=float, default=0.1)
    parser.add_argument("--adv-ratio", type=float, default=0.5)
    parser.add_argument("--log-interval", type=int, default=10)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--save-model", action="store_true", default=True)
    args = parser.parse_args()
    torch.manual_seed(args.seed)
    device = torch.device("cpu")

    digits = load_digits()
    X = (digits.images / 16.0).astype(np.float32)[:, None]
    y = digits.target
    X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=0.25, random_state=args.seed, stratify=y)
    X_tr, X_va, y_tr, y_va = train_test_split(X_tr, y_tr, test_size=0.2, random_state=args.seed, stratify=y_tr)
    ds = lambda a, b: TensorDataset(torch.from_numpy(a), torch.from_numpy(b))
    train_loader = DataLoader(ds(X_tr, y_tr), batch_size=args.batch_size, shuffle=True,
                              generator=torch.Generator().manual_seed(args.seed))
    val_loader = DataLoader(ds(X_va, y_va), batch_size=256)
    test_loader = DataLoader(ds(X_te, y_te), batch_size=256)

    model = Net().to(device)
    optimizer = torch.optim.Adam(model.parameters(), lr=args.lr)
    best_robust = -1.0
    for epoch in range(1, args.epochs + 1):
        train(args, model, device, train_loader, optimizer, epoch)
        clean_acc, _ = test(model, device, val_loader, 0.0)
        robust_acc, _ = test(model, device, val_loader, args.train_eps)
        print(f"Epoch {epoch}: val clean acc {clean_acc:.4f} val robust acc (eps={args.train_eps}) {robust_acc:.4f}")
        if robust_acc > best_robust:
            best_robust = robust_acc
            if args.save_model:
                torch.save(model.state_dict(), "best_robust.pt")
    print(f"best robust val acc {best_robust:.4f}")

    model.load_state_dict(torch.load("best_robust.pt"))
    epsilons = [0, 0.05, 0.1, 0.2, 0.3]
    accuracies = []
    for eps in epsilons:
        acc, ex = test(model, device, test_loader, eps)
        accuracies.append(acc)
        print(f"Epsilon: {eps}\tTest Accuracy = {acc:.4f}\tfirst errors (true, pred): {ex}")


if __name__ == "__main__":
    main()
