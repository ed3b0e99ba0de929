# %% [markdown]
# # Physics-informed network for the 1-D heat equation
# Notebook exported as a script (`# %%` cells), in the shape of the PINN notebooks on GitHub: the PDE
# u_t = alpha * u_xx on x in [0, 1], t in [0, 0.5], with u(x, 0) = sin(pi x) and u(0, t) = u(1, t) = 0.
# Collocation points are sampled once, the residual uses `torch.autograd.grad(..., create_graph=True)`,
# the loss is PDE residual + initial + boundary terms with weights, Adam then a few L-BFGS steps,
# and the error is measured against the analytic solution exp(-alpha pi^2 t) sin(pi x).

# %%
import numpy as np
import torch
import torch.nn as nn

torch.manual_seed(0)
np.random.seed(0)

alpha = 0.1
n_collocation = 1000
n_boundary = 100
layers = [2, 32, 32, 32, 1]
lr = 3e-3
adam_iters = 800
lbfgs_iters = 30
w_pde, w_ic, w_bc = 1.0, 10.0, 10.0

# %%
def exact(x, t):
    return np.exp(-alpha * np.pi ** 2 * t) * np.sin(np.pi * x)

x_f = torch.rand(n_collocation, 1)
t_f = 0.5 * torch.rand(n_collocation, 1)
x_ic = torch.rand(n_boundary, 1)
t_ic = torch.zeros(n_boundary, 1)
u_ic = torch.sin(np.pi * x_ic)
t_bc = 0.5 * torch.rand(n_boundary, 1)
x_bc = torch.cat([torch.zeros(n_boundary // 2, 1), torch.ones(n_boundary // 2, 1)])

# validation points on a grid (not used for training)
xv, tv = np.meshgrid(np.linspace(0, 1, 41), np.linspace(0, 0.5, 21))
X_val = torch.tensor(np.stack([xv.ravel(), tv.ravel()], 1), dtype=torch.float32)
u_val = exact(xv.ravel(), tv.ravel())
print(f"collocation {n_collocation}, initial {n_boundary}, boundary {n_boundary}, validation grid {len(X_val)}")

# %%
class PINN(nn.Module):
    def __init__(self, layers):
        super().__init__()
        mods = []
        for i in range(len(layers) - 2):
            mods += [nn.Linear(layers[i], layers[i + 1]), nn.Tanh()]
        mods.append(nn.Linear(layers[-2], layers[-1]))
        self.net = nn.Sequential(*mods)

    def forward(self, x, t):
        return self.net(torch.cat([x, t], dim=1))

model = PINN(layers)

def pde_residual(model, x, t):
    x = x.clone().requires_grad_(True)
    t = t.clone().requires_grad_(True)
    u = model(x, t)
    u_t = torch.autograd.grad(u, t, torch.ones_like(u), create_graph=True)[0]
    u_x = torch.autograd.grad(u, x, torch.ones_like(u), create_graph=True)[0]
    u_xx = torch.autograd.grad(u_x, x, torch.ones_like(u_x), create_graph=True)[0]
    return u_t - alpha * u_xx

def loss_terms():
    l_pde = pde_residual(model, x_f, t_f).pow(2).mean()
    l_ic = (model(x_ic, t_ic) - u_ic).pow(2).mean()
    l_bc = model(x_bc, t_bc).pow(2).mean()
    return l_pde, l_ic, l_bc

def validation_error():
    with torch.no_grad():
        pred = model(X_val[:, :1], X_val[:, 1:]).squeeze(1).numpy()
    return float(np.linalg.norm(pred - u_val) / np.linalg.norm(u_val))

# %%
optimizer = torch.optim.Adam(model.parameters(), lr=lr)
history = []
best_err, best_state = float("inf"), None
for it in range(1, adam_iters + 1):
    optimizer.zero_grad()
    l_pde, l_ic, l_bc = loss_terms()
    loss = w_pde * l_pde + w_ic * l_ic + w_bc * l_bc
    loss.backward()
    optimizer.step()
    if it % 100 == 0:
        err = validation_error()
        history.append((it, loss.item(), err))
        print(f"adam {it:4d} loss {loss.item():.5f} (pde {l_pde.item():.5f} ic {l_ic.item():.5f} "
              f"bc {l_bc.item():.5f}) rel L2 {err:.4f}")
        if err < best_err:
            best_err, best_state = err, {k: v.clone() for k, v in model.state_dict().items()}

# %%
lbfgs = torch.optim.LBFGS(model.parameters(), lr=0.5, max_iter=lbfgs_iters, history_size=20,
                          line_search_fn="strong_wolfe")

def closure():
    lbfgs.zero_grad()
    l_pde, l_ic, l_bc = loss_terms()
    loss = w_pde * l_pde + w_ic * l_ic + w_bc * l_bc
    loss.backward()
    return loss

final_loss = lbfgs.step(closure)
err = validation_error()
print(f"after L-BFGS: loss {final_loss.item():.6f} rel L2 {err:.4f}")
if err < best_err:
    best_err, best_state = err, {k: v.clone() for k, v in model.state_dict().items()}

# %%
model.load_state_dict(best_state)
torch.save(model.state_dict(), "pinn_heat.pt")
xt, tt = np.meshgrid(np.linspace(0, 1, 101), np.array([0.1, 0.25, 0.5]))
with torch.no_grad():
    pred = model(torch.tensor(xt.reshape(-1, 1), dtype=torch.float32),
                 torch.tensor(tt.reshape(-1, 1), dtype=torch.float32)).numpy().ravel()
ref = exact(xt.ravel(), tt.ravel())
print(f"best validation rel L2 {best_err:.4f}")
print(f"test rel L2 {np.linalg.norm(pred - ref) / np.linalg.norm(ref):.4f}, max abs error {np.abs(pred - ref).max():.4f}")
