"""Three small nets trained at once as stacked functional parameters (torch.func)."""
import copy

import torch
import torch.nn as nn
from torch.func import functional_call, stack_module_state

torch.manual_seed(0)
members = [nn.Linear(3, 1) for _ in range(3)]
params, buffers = stack_module_state(members)
skeleton = copy.deepcopy(members[0]).to("meta")
run = torch.vmap(lambda p, b, x: functional_call(skeleton, (p, b), (x,)), in_dims=(0, 0, None))
leaves = [p.detach().requires_grad_() for p in params.values()]
params = dict(zip(params.keys(), leaves))
opt = torch.optim.SGD(leaves, lr=0.1)
x = torch.randn(32, 3)
y = x.sum(1, keepdim=True)
for _ in range(5):
    loss = ((run(params, buffers, x) - y) ** 2).mean()
    opt.zero_grad()
    loss.backward()
    opt.step()
print("loss", round(loss.item(), 4))
