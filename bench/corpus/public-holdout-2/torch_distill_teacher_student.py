"""Knowledge distillation on digits: a wide teacher MLP trained with cross-entropy, then a small
student trained on a mix of the softened teacher outputs (KL at temperature T) and the labels
(weight alpha); both accuracies and the parameter counts are printed."""
import argparse

import torch
import torch.nn as nn
import torch.nn.functional as F
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split


def mlp(sizes):
    layers = []
    for a, b in zip(sizes[:-1], sizes[1:]):
        layers += [nn.Linear(a, b), nn.ReLU()]
    return nn.Sequential(*layers[:-1])


def accuracy(model, x, y):
    model.eval()
    with torch.no_grad():
        return (model(x).argmax(1) == y).float().mean().item()


def train_teacher(teacher, x, y, epochs, lr, batch_size):
    opt = torch.optim.Adam(teacher.parameters(), lr=lr)
    for epoch in range(epochs):
        teacher.train()
        for i in range(0, len(x), batch_size):
            loss = F.cross_entropy(teacher(x[i:i + batch_size]), y[i:i + batch_size])
            opt.zero_grad()
            loss.backward()
            opt.step()
    return teacher


def distill(student, teacher, x, y, epochs, lr, batch_size, temperature, alpha):
    opt = torch.optim.Adam(student.parameters(), lr=lr)
    teacher.eval()
    for epoch in range(epochs):
        student.train()
        running = 0.0
        for i in range(0, len(x), batch_size):
            xb, yb = x[i:i + batch_size], y[i:i + batch_size]
            with torch.no_grad():
                soft_targets = F.softmax(teacher(xb) / temperature, dim=1)
            logits = student(xb)
            kd = F.kl_div(F.log_softmax(logits / temperature, dim=1), soft_targets,
                          reduction="batchmean") * temperature ** 2
            loss = alpha * kd + (1 - alpha) * F.cross_entropy(logits, yb)
            opt.zero_grad()
            loss.backward()
            opt.step()
            running += loss.item()
        print(f"student epoch {epoch}: loss {running / (len(x) // batch_size + 1):.4f}")
    return student


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--teacher-epochs", type=int, default=15)
    p.add_argument("--student-epochs", type=int, default=15)
    p.add_argument("--lr", type=float, default=2e-3)
    p.add_argument("--batch-size", type=int, default=64)
    p.add_argument("--temperature", type=float, default=4.0)
    p.add_argument("--alpha", type=float, default=0.7)
    p.add_argument("--student-hidden", type=int, default=16)
    args = p.parse_args()

    torch.manual_seed(0)
    X, y = load_digits(return_X_y=True)
    X_tr, X_te, y_tr, y_te = train_test_split(X / 16.0, y, test_size=0.3, random_state=0)
    X_tr, X_te = torch.tensor(X_tr, dtype=torch.float32), torch.tensor(X_te, dtype=torch.float32)
    y_tr, y_te = torch.tensor(y_tr), torch.tensor(y_te)

    teacher = train_teacher(mlp([64, 256, 256, 10]), X_tr, y_tr, args.teacher_epochs, args.lr,
                            args.batch_size)
    print(f"teacher accuracy: {accuracy(teacher, X_te, y_te):.4f}")
    student = mlp([64, args.student_hidden, 10])
    student = distill(student, teacher, X_tr, y_tr, args.student_epochs, args.lr, args.batch_size,
                      args.temperature, args.alpha)
    print(f"student accuracy: {accuracy(student, X_te, y_te):.4f}")
    print("teacher params:", sum(p.numel() for p in teacher.parameters()))
    print("student params:", sum(p.numel() for p in student.parameters()))
    torch.save(student.state_dict(), "student.pt")


if __name__ == "__main__":
    main()
