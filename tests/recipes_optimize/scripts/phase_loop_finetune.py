"""Transfer-learning layout: train_model() with a train/val phase loop returns the model it was given."""
import copy

import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset


def train_model(model, dataloaders, criterion, optimizer, num_epochs=3):
    best_wts = copy.deepcopy(model.state_dict())
    best_acc = 0.0
    for epoch in range(num_epochs):
        for phase in ["train", "val"]:
            if phase == "train":
                model.train()
            else:
                model.eval()
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
                running_corrects += torch.sum(preds == labels.data)
            epoch_acc = running_corrects.double() / len(dataloaders[phase].dataset)
            print(f"{phase} Acc: {epoch_acc:.4f}")
            if phase == "val" and epoch_acc > best_acc:
                best_acc = epoch_acc
                best_wts = copy.deepcopy(model.state_dict())
    model.load_state_dict(best_wts)
    return model


if __name__ == "__main__":
    torch.manual_seed(2)
    X = torch.randn(300, 8)
    y = (X[:, :2].sum(dim=1) > 0).long()
    sets = {"train": TensorDataset(X[:240], y[:240]), "val": TensorDataset(X[240:], y[240:])}
    loaders = {k: DataLoader(v, batch_size=40, shuffle=(k == "train")) for k, v in sets.items()}
    model_ft = nn.Sequential(nn.Linear(8, 16), nn.ReLU(), nn.Linear(16, 2))
    criterion = nn.CrossEntropyLoss()
    optimizer_ft = torch.optim.SGD(model_ft.parameters(), lr=0.1, momentum=0.9)
    model_ft = train_model(model_ft, loaders, criterion, optimizer_ft)
    torch.save(model_ft.state_dict(), "tuned.pt")
