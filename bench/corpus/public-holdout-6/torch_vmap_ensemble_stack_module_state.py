"""Five small MLPs trained together as one vectorised ensemble: `torch.func.stack_module_state`, a stateless
"base" copy on the meta device, `functional_call` vmapped over the stacked parameters (`in_dims=(0, 0, None)`),
one Adam on the stacked leaves, per-member validation accuracy, averaged-logit ensemble, the stacked state saved
and one member unstacked back into an nn.Module."""
import copy

import torch
import torch.nn as nn
import torch.nn.functional as F
from sklearn.datasets import load_breast_cancer
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler
from torch.func import functional_call, stack_module_state

torch.manual_seed(0)
NUM_MODELS = 5
EPOCHS = 30
LR = 3e-3
HIDDEN = 32
BATCH = 64


class SimpleMLP(nn.Module):
    def __init__(self, n_in, hidden, n_out=2):
        super().__init__()
        self.fc1 = nn.Linear(n_in, hidden)
        self.fc2 = nn.Linear(hidden, hidden)
        self.fc3 = nn.Linear(hidden, n_out)

    def forward(self, x):
        x = F.relu(self.fc1(x))
        x = F.relu(self.fc2(x))
        return self.fc3(x)


data = load_breast_cancer()
X_train, X_test, y_train, y_test = train_test_split(data.data, data.target, test_size=0.25, random_state=0,
                                                    stratify=data.target)
X_train, X_val, y_train, y_val = train_test_split(X_train, y_train, test_size=0.2, random_state=0, stratify=y_train)
scaler = StandardScaler().fit(X_train)
X_train, X_val, X_test = (torch.tensor(scaler.transform(a), dtype=torch.float32) for a in (X_train, X_val, X_test))
y_train, y_val, y_test = (torch.tensor(a) for a in (y_train, y_val, y_test))

models = [SimpleMLP(X_train.shape[1], HIDDEN) for _ in range(NUM_MODELS)]
params, buffers = stack_module_state(models)
base_model = copy.deepcopy(models[0]).to("meta")


def fmodel(params, buffers, x):
    return functional_call(base_model, (params, buffers), (x,))


ensemble_forward = torch.vmap(fmodel, in_dims=(0, 0, None))
# all members see the same mini-batches; they differ by their initialisation only
leaves = [p.detach().requires_grad_() for p in params.values()]
params = dict(zip(params.keys(), leaves))
optimizer = torch.optim.Adam(leaves, lr=LR)
g = torch.Generator().manual_seed(0)

for epoch in range(EPOCHS):
    perm = torch.randperm(len(X_train), generator=g)
    total = 0.0
    for i in range(0, len(perm), BATCH):
        idx = perm[i:i + BATCH]
        logits = ensemble_forward(params, buffers, X_train[idx])  # [NUM_MODELS, B, 2]
        loss = F.cross_entropy(logits.reshape(-1, 2), y_train[idx].repeat(NUM_MODELS), reduction="mean")
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        total += loss.item() * len(idx)
    if epoch % 10 == 9:
        with torch.no_grad():
            val_logits = ensemble_forward(params, buffers, X_val)
        member_acc = (val_logits.argmax(-1) == y_val).float().mean(1)
        ens_acc = (val_logits.mean(0).argmax(-1) == y_val).float().mean()
        print(f"epoch {epoch + 1:3d} loss {total / len(X_train):.4f} member val acc "
              f"{[round(a, 3) for a in member_acc.tolist()]} ensemble val acc {ens_acc:.4f}")

with torch.no_grad():
    test_logits = ensemble_forward(params, buffers, X_test)
member_test = (test_logits.argmax(-1) == y_test).float().mean(1)
ens_test = (test_logits.softmax(-1).mean(0).argmax(-1) == y_test).float().mean()
best_member = int((ensemble_forward(params, buffers, X_val).argmax(-1) == y_val).float().mean(1).argmax())
print(f"test accuracy per member: {[round(a, 4) for a in member_test.tolist()]}")
print(f"test accuracy of the averaged ensemble: {ens_test:.4f}; best member on validation: {best_member}")

torch.save({k: v.detach() for k, v in params.items()}, "ensemble_stacked_params.pt")
single = SimpleMLP(X_train.shape[1], HIDDEN)
single.load_state_dict({k: v[best_member].detach() for k, v in params.items()})
torch.save(single.state_dict(), "best_member.pt")
