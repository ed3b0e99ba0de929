"""K-fold cross-validation of a small CNN on the digits, one network reset between folds.

The network is built once; before each fold every layer that has reset_parameters() is
re-initialised through model.apply(reset_weights). SubsetRandomSampler picks the fold rows.
Each fold's weights are saved; the script ends with the per-fold and mean accuracy.
"""
import numpy as np
import torch
from sklearn.datasets import load_digits
from sklearn.model_selection import KFold
from torch import nn
from torch.utils.data import DataLoader, SubsetRandomSampler, TensorDataset


def reset_weights(m):
    """Reset trainable parameters of m to avoid weight leakage between folds."""
    for layer in m.children():
        if hasattr(layer, "reset_parameters"):
            layer.reset_parameters()


class SimpleConvNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.layers = nn.Sequential(
            nn.Conv2d(1, 10, kernel_size=3),
            nn.ReLU(),
            nn.Flatten(),
            nn.Linear(6 * 6 * 10, 50),
            nn.ReLU(),
            nn.Linear(50, 10),
        )

    def forward(self, x):
        return self.layers(x)


if __name__ == "__main__":
    k_folds = 5
    num_epochs = 3
    batch_size = 32
    learning_rate = 1e-3
    results = {}

    torch.manual_seed(42)
    digits = load_digits()
    images = torch.tensor(digits.images / 16.0, dtype=torch.float32).unsqueeze(1)
    dataset = TensorDataset(images, torch.tensor(digits.target))

    kfold = KFold(n_splits=k_folds, shuffle=True, random_state=42)
    network = SimpleConvNet()
    loss_function = nn.CrossEntropyLoss()

    print("--------------------------------")
    for fold, (train_ids, test_ids) in enumerate(kfold.split(np.arange(len(dataset)))):
        print(f"FOLD {fold}")
        print("--------------------------------")
        trainloader = DataLoader(dataset, batch_size=batch_size, sampler=SubsetRandomSampler(train_ids))
        testloader = DataLoader(dataset, batch_size=256, sampler=SubsetRandomSampler(test_ids))

        network.apply(reset_weights)
        optimizer = torch.optim.Adam(network.parameters(), lr=learning_rate)

        for epoch in range(0, num_epochs):
            current_loss = 0.0
            for i, (inputs, targets) in enumerate(trainloader):
                optimizer.zero_grad()
                loss = loss_function(network(inputs), targets)
                loss.backward()
                optimizer.step()
                current_loss += loss.item()
            print(f"Epoch {epoch + 1}: mean loss {current_loss / len(trainloader):.4f}")

        save_path = f"./model-fold-{fold}.pth"
        torch.save(network.state_dict(), save_path)

        correct, total = 0, 0
        with torch.no_grad():
            for inputs, targets in testloader:
                _, predicted = torch.max(network(inputs).data, 1)
                total += targets.size(0)
                correct += (predicted == targets).sum().item()
        print(f"Accuracy for fold {fold}: {100.0 * correct / total:.2f} %")
        print("--------------------------------")
        results[fold] = 100.0 * (correct / total)

    print(f"K-FOLD CROSS VALIDATION RESULTS FOR {k_folds} FOLDS")
    print("--------------------------------")
    total_acc = 0.0
    for key, value in results.items():
        print(f"Fold {key}: {value:.2f} %")
        total_acc += value
    print(f"Average: {total_acc / len(results.items()):.2f} %")
