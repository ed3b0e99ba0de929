# %% [markdown]
# # Tabular MLP with categorical embeddings
# A Kaggle-style notebook exported with `# %%` cells: a pandas frame with two categorical and
# four numeric columns, label-encoded categories fed through nn.Embedding, numeric columns
# standardised, an MLP on the concatenation, validation ROC AUC printed per epoch.

# %%
import numpy as np
import pandas as pd
import torch
import torch.nn as nn
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import train_test_split

SEED = 2024
np.random.seed(SEED)
torch.manual_seed(SEED)

# %%
n = 2000
df = pd.DataFrame({
    "store": np.random.choice(["a", "b", "c", "d", "e"], n),
    "channel": np.random.choice(["web", "shop", "phone"], n),
    "price": np.random.gamma(2.0, 10.0, n).round(2),
    "discount": np.random.uniform(0, 0.5, n).round(3),
    "visits": np.random.poisson(4, n),
    "tenure": np.random.exponential(12, n).round(1),
})
logit = (0.08 * df["visits"] - 0.03 * df["price"] + 3 * df["discount"]
         + df["store"].map({"a": 0.5, "b": -0.2, "c": 0.0, "d": 0.8, "e": -0.6})
         + df["channel"].map({"web": 0.3, "shop": -0.3, "phone": 0.0}))
df["target"] = (np.random.uniform(size=n) < 1 / (1 + np.exp(-logit))).astype(int)
print(df.head())
print("positive rate:", round(df["target"].mean(), 4))

# %%
cat_cols = ["store", "channel"]
num_cols = ["price", "discount", "visits", "tenure"]
for c in cat_cols:
    df[c] = df[c].astype("category").cat.codes
train_df, valid_df = train_test_split(df, test_size=0.2, random_state=SEED, stratify=df["target"])
mean, std = train_df[num_cols].mean(), train_df[num_cols].std()


def to_tensors(frame):
    cats = torch.tensor(frame[cat_cols].values, dtype=torch.long)
    nums = torch.tensor(((frame[num_cols] - mean) / std).values, dtype=torch.float32)
    target = torch.tensor(frame["target"].values, dtype=torch.float32)
    return cats, nums, target


train_t = to_tensors(train_df)
valid_t = to_tensors(valid_df)

# %%
EMB_DIM = 4
HIDDEN = 64
DROPOUT = 0.1
LR = 3e-3
EPOCHS = 10
BS = 128


class TabularNet(nn.Module):
    def __init__(self, cardinalities, n_num):
        super().__init__()
        self.embs = nn.ModuleList([nn.Embedding(card, EMB_DIM) for card in cardinalities])
        self.mlp = nn.Sequential(
            nn.Linear(EMB_DIM * len(cardinalities) + n_num, HIDDEN),
            nn.ReLU(),
            nn.Dropout(DROPOUT),
            nn.Linear(HIDDEN, HIDDEN // 2),
            nn.ReLU(),
            nn.Linear(HIDDEN // 2, 1),
        )

    def forward(self, cats, nums):
        emb = [e(cats[:, i]) for i, e in enumerate(self.embs)]
        return self.mlp(torch.cat(emb + [nums], dim=1)).squeeze(1)


model = TabularNet([df[c].nunique() for c in cat_cols], len(num_cols))
optimizer = torch.optim.Adam(model.parameters(), lr=LR)
criterion = nn.BCEWithLogitsLoss()

# %%
for epoch in range(EPOCHS):
    model.train()
    perm = torch.randperm(len(train_t[2]))
    for i in range(0, len(perm), BS):
        idx = perm[i:i + BS]
        optimizer.zero_grad()
        loss = criterion(model(train_t[0][idx], train_t[1][idx]), train_t[2][idx])
        loss.backward()
        optimizer.step()
    model.eval()
    with torch.no_grad():
        valid_pred = torch.sigmoid(model(valid_t[0], valid_t[1])).numpy()
    auc = roc_auc_score(valid_t[2].numpy(), valid_pred)
    print(f"epoch {epoch} train_loss {loss.item():.4f} valid_auc {auc:.4f}")

# %%
print("final valid AUC:", round(auc, 4))
valid_df.assign(pred=valid_pred.round(4))[["target", "pred"]].to_csv("valid_predictions.csv", index=False)
