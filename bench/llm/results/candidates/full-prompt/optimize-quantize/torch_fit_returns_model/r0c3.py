"""fit_model() builds, trains and returns the network; the main block evaluates it."""

import torch
from torch import nn
from sklearn.datasets import load_iris

def fit_model(X, y, epochs=100, lr=0.05):
    model = nn.Sequential(nn.Linear(4, 16), nn.ReLU(), nn.Linear(16, 3))
    opt = torch.optim.SGD(model.parameters(), lr=lr)
    for _ in range(epochs):
        opt.zero_grad()
        nn.functional.cross_entropy(model(X), y).backward()
        opt.step()
    return model

if __name__ == "__main__":
    torch.manual_seed(0)
    X, y = load_iris(return_X_y=True)
    X = torch.tensor((X - X.mean(0)) / X.std(0), dtype=torch.float32)
    y = torch.tensor(y)
    idx = torch.randperm(150)
    tr, te = idx[:120], idx[120:]
    clf = fit_model(X[tr], y[tr])
    
    # Quantize the model
    from torch.ao.quantization import quantize_dynamic
    
    optimized_clf = quantize_dynamic(clf, {nn.Linear}, dtype=torch.qint8)
    
    with torch.no_grad():
        logits = optimized_clf(X[te])
    accuracy = (logits.argmax(1) == y[te]).float().mean().item()
    print("accuracy:", round(accuracy, 3))
