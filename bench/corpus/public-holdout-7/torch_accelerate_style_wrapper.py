"""Regression MLP trained through a hand-written `Accelerator` modelled on the accelerate no_trainer examples:
`Accelerator(gradient_accumulation_steps=..., mixed_precision="no")` with `prepare(...)`, `accumulate(model)` context,
`backward(loss)`, `sync_gradients`, `gather_for_metrics`, `print` (main process only), `wait_for_everyone`,
`unwrap_model` and `save(obj, path)`; `parse_args()` with the usual flags (`--per_device_train_batch_size`,
`--num_train_epochs`, `--gradient_accumulation_steps`, `--lr_scheduler_type`, `--num_warmup_steps`,
`--checkpointing_steps`, `--output_dir`, `--with_tracking`), `get_scheduler`-like linear warmup, `completed_steps`
counter and an `all_results.json`."""
import argparse
import contextlib
import json
import math
import os

import numpy as np
import torch
import torch.nn as nn
from sklearn.datasets import make_friedman1
from sklearn.model_selection import train_test_split
from torch.utils.data import DataLoader, TensorDataset


class Accelerator:
    """Single-process stand-in for accelerate.Accelerator (same method names, CPU only)."""

    def __init__(self, gradient_accumulation_steps=1, mixed_precision="no", cpu=True):
        self.gradient_accumulation_steps = gradient_accumulation_steps
        self.mixed_precision = mixed_precision
        self.device = torch.device("cpu")
        self.is_main_process = True
        self.num_processes = 1
        self.step = 0
        self.sync_gradients = True

    def prepare(self, *objects):
        out = []
        for obj in objects:
            if isinstance(obj, nn.Module):
                obj = obj.to(self.device)
            out.append(obj)
        return tuple(out)

    @contextlib.contextmanager
    def accumulate(self, model):
        self.step += 1
        self.sync_gradients = self.step % self.gradient_accumulation_steps == 0
        yield

    def backward(self, loss):
        (loss / self.gradient_accumulation_steps).backward()

    def gather_for_metrics(self, tensor):
        return tensor

    def print(self, *args, **kwargs):
        if self.is_main_process:
            print(*args, **kwargs)

    def wait_for_everyone(self):
        pass

    def unwrap_model(self, model):
        return model

    def save(self, obj, path):
        torch.save(obj, path)


def get_scheduler(name, optimizer, num_warmup_steps, num_training_steps):
    def linear(step):
        if step < num_warmup_steps:
            return float(step) / float(max(1, num_warmup_steps))
        return max(0.0, float(num_training_steps - step) / float(max(1, num_training_steps - num_warmup_steps)))

    def constant(step):
        return min(1.0, float(step + 1) / float(max(1, num_warmup_steps)))

    return torch.optim.lr_scheduler.LambdaLR(optimizer, {"linear": linear, "constant_with_warmup": constant}[name])


class Regressor(nn.Module):
    def __init__(self, in_features, hidden_size=64, dropout=0.1):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(in_features, hidden_size), nn.GELU(), nn.Dropout(dropout),
                                 nn.Linear(hidden_size, hidden_size), nn.GELU(), nn.Linear(hidden_size, 1))

    def forward(self, x):
        return self.net(x).squeeze(-1)


def parse_args():
    parser = argparse.ArgumentParser(description="Train a regressor with a hand-rolled accelerate loop")
    parser.add_argument("--per_device_train_batch_size", type=int, default=16)
    parser.add_argument("--per_device_eval_batch_size", type=int, default=128)
    parser.add_argument("--learning_rate", type=float, default=3e-3)
    parser.add_argument("--weight_decay", type=float, default=0.01)
    parser.add_argument("--num_train_epochs", type=int, default=12)
    parser.add_argument("--max_train_steps", type=int, default=None)
    parser.add_argument("--gradient_accumulation_steps", type=int, default=2)
    parser.add_argument("--lr_scheduler_type", type=str, default="linear", choices=["linear", "constant_with_warmup"])
    parser.add_argument("--num_warmup_steps", type=int, default=20)
    parser.add_argument("--hidden_size", type=int, default=64)
    parser.add_argument("--output_dir", type=str, default="accel_out")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--checkpointing_steps", type=str, default="epoch")
    parser.add_argument("--with_tracking", action="store_true")
    return parser.parse_args()


def main():
    args = parse_args()
    accelerator = Accelerator(gradient_accumulation_steps=args.gradient_accumulation_steps)
    torch.manual_seed(args.seed)
    np.random.seed(args.seed)
    os.makedirs(args.output_dir, exist_ok=True)

    X, y = make_friedman1(n_samples=1500, n_features=10, noise=0.5, random_state=args.seed)
    X = X.astype(np.float32)
    y = y.astype(np.float32)
    X_train, X_eval, y_train, y_eval = train_test_split(X, y, test_size=0.2, random_state=args.seed)
    mean, std = X_train.mean(0), X_train.std(0)
    train_dataset = TensorDataset(torch.from_numpy((X_train - mean) / std), torch.from_numpy(y_train))
    eval_dataset = TensorDataset(torch.from_numpy((X_eval - mean) / std), torch.from_numpy(y_eval))
    train_dataloader = DataLoader(train_dataset, shuffle=True, batch_size=args.per_device_train_batch_size,
                                  generator=torch.Generator().manual_seed(args.seed))
    eval_dataloader = DataLoader(eval_dataset, batch_size=args.per_device_eval_batch_size)

    model = Regressor(X.shape[1], args.hidden_size)
    no_decay = ["bias"]
    optimizer_grouped_parameters = [
        {"params": [p for n, p in model.named_parameters() if not any(nd in n for nd in no_decay)],
         "weight_decay": args.weight_decay},
        {"params": [p for n, p in model.named_parameters() if any(nd in n for nd in no_decay)], "weight_decay": 0.0},
    ]
    optimizer = torch.optim.AdamW(optimizer_grouped_parameters, lr=args.learning_rate)

    num_update_steps_per_epoch = math.ceil(len(train_dataloader) / args.gradient_accumulation_steps)
    if args.max_train_steps is None:
        args.max_train_steps = args.num_train_epochs * num_update_steps_per_epoch
    lr_scheduler = get_scheduler(args.lr_scheduler_type, optimizer, args.num_warmup_steps, args.max_train_steps)
    model, optimizer, train_dataloader, eval_dataloader, lr_scheduler = accelerator.prepare(
        model, optimizer, train_dataloader, eval_dataloader, lr_scheduler)

    accelerator.print("***** Running training *****")
    accelerator.print(f"  Num examples = {len(train_dataset)}")
    accelerator.print(f"  Num Epochs = {args.num_train_epochs}")
    accelerator.print(f"  Gradient Accumulation steps = {args.gradient_accumulation_steps}")
    accelerator.print(f"  Total optimization steps = {args.max_train_steps}")
    completed_steps = 0
    best_rmse = float("inf")
    loss_fn = nn.MSELoss()
    for epoch in range(args.num_train_epochs):
        model.train()
        total_loss = 0.0
        for step, (inputs, targets) in enumerate(train_dataloader):
            with accelerator.accumulate(model):
                loss = loss_fn(model(inputs), targets)
                total_loss += loss.detach().float().item()
                accelerator.backward(loss)
                if accelerator.sync_gradients:
                    optimizer.step()
                    lr_scheduler.step()
                    optimizer.zero_grad()
                    completed_steps += 1
            if completed_steps >= args.max_train_steps:
                break

        model.eval()
        preds, refs = [], []
        for inputs, targets in eval_dataloader:
            with torch.no_grad():
                outputs = model(inputs)
            preds.append(accelerator.gather_for_metrics(outputs))
            refs.append(accelerator.gather_for_metrics(targets))
        preds, refs = torch.cat(preds), torch.cat(refs)
        eval_rmse = torch.sqrt(((preds - refs) ** 2).mean()).item()
        eval_r2 = 1 - ((preds - refs) ** 2).sum().item() / ((refs - refs.mean()) ** 2).sum().item()
        accelerator.print(f"epoch {epoch}: train_loss {total_loss / len(train_dataloader):.4f} "
                          f"eval_rmse {eval_rmse:.4f} eval_r2 {eval_r2:.4f} step {completed_steps}")
        if args.checkpointing_steps == "epoch":
            accelerator.save({"model": accelerator.unwrap_model(model).state_dict(), "epoch": epoch},
                             os.path.join(args.output_dir, f"epoch_{epoch}.pt"))
        if eval_rmse < best_rmse:
            best_rmse = eval_rmse
            accelerator.wait_for_everyone()
            accelerator.save(accelerator.unwrap_model(model).state_dict(),
                             os.path.join(args.output_dir, "pytorch_model.bin"))

    accelerator.print(f"best eval_rmse {best_rmse:.4f}")
    with open(os.path.join(args.output_dir, "all_results.json"), "w") as f:
        json.dump({"eval_rmse": best_rmse, "final_eval_r2": eval_r2, "completed_steps": completed_steps}, f)


if __name__ == "__main__":
    main()
