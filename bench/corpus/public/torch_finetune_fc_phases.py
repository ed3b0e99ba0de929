"""Transfer-learning layout: a trunk trained on one task, frozen, a new `model.fc` head trained with
train/val phases, running_corrects and best_model_wts kept with copy.deepcopy."""
import copy
import time

import torch
import torch.nn as nn
import torch.optim as optim
from sklearn.datasets import make_classification
from torch.optim import lr_scheduler
from torch.utils.data import DataLoader, TensorDataset


class Backbone(nn.Module):
    def __init__(self, n_in, n_classes):
        super().__init__()
        self.features = nn.Sequential(nn.Linear(n_in, 48), nn.ReLU(), nn.Linear(48, 24), nn.ReLU())
        self.fc = nn.Linear(24, n_classes)

    def forward(self, x):
        return self.fc(self.features(x))


def loaders(seed, n_classes):
    X, y = make_classification(n_samples=600, n_features=16, n_informative=8, n_classes=n_classes,
                               random_state=seed)
    X, y = torch.tensor(X, dtype=torch.float32), torch.tensor(y)
    datasets = {"train": TensorDataset(X[:450], y[:450]), "val": TensorDataset(X[450:], y[450:])}
    return {k: DataLoader(v, batch_size=32, shuffle=(k == "train")) for k, v in datasets.items()}


def train_model(model, dataloaders, criterion, optimizer, scheduler, num_epochs=5):
    since = time.time()
    best_model_wts = copy.deepcopy(model.state_dict())
    best_acc = 0.0
    for epoch in range(num_epochs):
        print(f"Epoch {epoch}/{num_epochs - 1}")
        print("-" * 10)
        for phase in ["train", "val"]:
            if phase == "train":
                model.train()
            else:
                model.eval()
            running_loss = 0.0
            running_corrects = 0
            for inputs, labels in dataloaders[phase]:
                optimizer.zero_grad()
                with torch.set_grad_enabled(phase == "train"):
                    outputs = model(inputs)
                    _, preds = torch.max(outputs, 1)
                    loss = criterion(outputs, labels)
                    if phase == "train":
                        loss.backward()
                        optimizer.step()
                running_loss += loss.item() * inputs.size(0)
                running_corrects += torch.sum(preds == labels.data)
            if phase == "train":
                scheduler.step()
            epoch_loss = running_loss / len(dataloaders[phase].dataset)
            epoch_acc = running_corrects.double() / len(dataloaders[phase].dataset)
            print(f"{phase} Loss: {epoch_loss:.4f} Acc: {epoch_acc:.4f}")
            if phase == "val" and epoch_acc > best_acc:
                best_acc = epoch_acc
                best_model_wts = copy.deepcopy(model.state_dict())
        print()
    time_elapsed = time.time() - since
    print(f"Training complete in {time_elapsed // 60:.0f}m {time_elapsed % 60:.0f}s")
    print(f"Best val Acc: {best_acc:4f}")
    model.load_state_dict(best_model_wts)
    return model


if __name__ == "__main__":
    torch.manual_seed(0)
    criterion = nn.CrossEntropyLoss()

    # "pretraining" on a source task with 5 classes
    source = loaders(seed=1, n_classes=5)
    model_ft = Backbone(16, 5)
    opt = optim.SGD(model_ft.parameters(), lr=0.05, momentum=0.9)
    model_ft = train_model(model_ft, source, criterion, opt,
                           lr_scheduler.StepLR(opt, step_size=3, gamma=0.5), num_epochs=3)

    # fine-tune a new head on the target task with 3 classes, trunk frozen
    for param in model_ft.parameters():
        param.requires_grad = False
    model_ft.fc = nn.Linear(model_ft.fc.in_features, 3)
    optimizer_conv = optim.SGD(model_ft.fc.parameters(), lr=0.01, momentum=0.9)
    exp_lr_scheduler = lr_scheduler.StepLR(optimizer_conv, step_size=2, gamma=0.1)
    target = loaders(seed=2, n_classes=3)
    model_conv = train_model(model_ft, target, criterion, optimizer_conv, exp_lr_scheduler,
                             num_epochs=5)
    torch.save(model_conv.state_dict(), "finetuned.pt")
