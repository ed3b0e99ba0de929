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


def optimize_and_evaluate_model(model, X_val, y_val):
    from copy import deepcopy
    from torch.ao.quantization import quantize_dynamic
    import torch.nn as nn

    # Quantize the model using dynamic int8
    optimized_model = quantize_dynamic(deepcopy(model), {nn.Linear}, dtype=torch.qint8)
    
    # Evaluate the optimized model
    with torch.no_grad():
        logits = optimized_model(X_val)
        accuracy = (logits.argmax(1) == y_val).float().mean().item()
        
    return optimized_model, accuracy


if __name__ == "__main__":
    torch.manual_seed(0)
    X, y = load_iris(return_X_y=True)
    X = torch.tensor((X - X.mean(0)) / X.std(0), dtype=torch.float32)
    y = torch.tensor(y)
    idx = torch.randperm(150)
    tr, te = idx[:120], idx[120:]
    clf = fit_model(X[tr], y[tr])
    
    # Evaluate the original model
    with torch.no_grad():
        logits = clf(X[te])
    accuracy_original = (logits.argmax(1) == y[te]).float().mean().item()
        
    # Optimize and evaluate the model using dynamic int8
    optimized_model, accuracy_int8 = optimize_and_evaluate_model(clf, X[te], y[te])
    
    print(f"Accuracy original: {accuracy_original:.3f}")
    print(f"Accuracy int8: {accuracy_int8:.3f}")
