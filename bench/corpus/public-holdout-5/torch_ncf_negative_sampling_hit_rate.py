"""NeuMF-style recommender (GMF + MLP towers) on synthetic implicit feedback with negative sampling and HR@10."""
import argparse
import random

import numpy as np
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, Dataset

parser = argparse.ArgumentParser()
parser.add_argument("--lr", type=float, default=0.003)
parser.add_argument("--dropout", type=float, default=0.0)
parser.add_argument("--batch_size", type=int, default=256)
parser.add_argument("--epochs", type=int, default=6)
parser.add_argument("--top_k", type=int, default=10)
parser.add_argument("--factor_num", type=int, default=8)
parser.add_argument("--num_layers", type=int, default=2)
parser.add_argument("--num_ng", type=int, default=3, help="negatives per positive in training")
parser.add_argument("--test_num_ng", type=int, default=49)
parser.add_argument("--out", default=True, help="save the model")
args = parser.parse_args()

random.seed(0)
np.random.seed(0)
torch.manual_seed(0)


def synthetic_interactions(n_users=150, n_items=120, per_user=12, seed=0):
    rng = np.random.default_rng(seed)
    user_taste = rng.normal(size=(n_users, 4))
    item_style = rng.normal(size=(n_items, 4))
    scores = user_taste @ item_style.T + rng.normal(0, 0.5, (n_users, n_items))
    pairs = {u: list(np.argsort(-scores[u])[:per_user]) for u in range(n_users)}
    return n_users, n_items, pairs


user_num, item_num, user_items = synthetic_interactions()
# leave-one-out: the last positive of each user is its test item
train_pos = {u: set(items[:-1]) for u, items in user_items.items()}
test_pos = {u: items[-1] for u, items in user_items.items()}
train_data = [(u, i) for u, items in train_pos.items() for i in sorted(items)]
test_data = []
for u, pos in test_pos.items():
    negs = [i for i in range(item_num) if i not in train_pos[u] and i != pos]
    test_data.append((u, pos, list(np.random.choice(negs, args.test_num_ng, replace=False))))


class NCFData(Dataset):
    def __init__(self, pairs, num_item, train_mat, num_ng):
        self.pairs, self.num_item, self.train_mat, self.num_ng = pairs, num_item, train_mat, num_ng
        self.features, self.labels = [], []

    def ng_sample(self):
        self.features, self.labels = [], []
        for u, i in self.pairs:
            self.features.append((u, i))
            self.labels.append(1.0)
            for _ in range(self.num_ng):
                j = np.random.randint(self.num_item)
                while j in self.train_mat[u]:
                    j = np.random.randint(self.num_item)
                self.features.append((u, j))
                self.labels.append(0.0)

    def __len__(self):
        return len(self.labels)

    def __getitem__(self, idx):
        u, i = self.features[idx]
        return u, i, self.labels[idx]


class NCF(nn.Module):
    def __init__(self, user_num, item_num, factor_num, num_layers, dropout):
        super().__init__()
        self.embed_user_GMF = nn.Embedding(user_num, factor_num)
        self.embed_item_GMF = nn.Embedding(item_num, factor_num)
        mlp_dim = factor_num * (2 ** (num_layers - 1))
        self.embed_user_MLP = nn.Embedding(user_num, mlp_dim)
        self.embed_item_MLP = nn.Embedding(item_num, mlp_dim)
        layers = []
        for i in range(num_layers):
            size = factor_num * (2 ** (num_layers - i))
            layers += [nn.Dropout(dropout), nn.Linear(size, size // 2), nn.ReLU()]
        self.MLP_layers = nn.Sequential(*layers)
        self.predict_layer = nn.Linear(factor_num * 2, 1)
        for emb in (self.embed_user_GMF, self.embed_item_GMF, self.embed_user_MLP, self.embed_item_MLP):
            nn.init.normal_(emb.weight, std=0.01)

    def forward(self, user, item):
        gmf = self.embed_user_GMF(user) * self.embed_item_GMF(item)
        mlp = self.MLP_layers(torch.cat([self.embed_user_MLP(user), self.embed_item_MLP(item)], -1))
        return self.predict_layer(torch.cat([gmf, mlp], -1)).view(-1)


def hit_and_ndcg(model, data, top_k):
    hits, ndcgs = [], []
    model.eval()
    with torch.no_grad():
        for u, pos, negs in data:
            items = torch.tensor([pos] + negs)
            scores = model(torch.full_like(items, u), items)
            ranking = items[torch.topk(scores, top_k).indices].tolist()
            hits.append(1.0 if pos in ranking else 0.0)
            ndcgs.append(1.0 / np.log2(ranking.index(pos) + 2) if pos in ranking else 0.0)
    return float(np.mean(hits)), float(np.mean(ndcgs))


train_dataset = NCFData(train_data, item_num, train_pos, args.num_ng)
model = NCF(user_num, item_num, args.factor_num, args.num_layers, args.dropout)
loss_function = nn.BCEWithLogitsLoss()
optimizer = torch.optim.Adam(model.parameters(), lr=args.lr)

best_hr, best_ndcg, best_epoch = 0.0, 0.0, 0
for epoch in range(args.epochs):
    model.train()
    train_dataset.ng_sample()
    loader = DataLoader(train_dataset, batch_size=args.batch_size, shuffle=True,
                        generator=torch.Generator().manual_seed(epoch))
    for user, item, label in loader:
        optimizer.zero_grad()
        loss = loss_function(model(user, item), label.float())
        loss.backward()
        optimizer.step()
    HR, NDCG = hit_and_ndcg(model, test_data, args.top_k)
    print("epoch {:02d} loss {:.4f} HR: {:.3f}\tNDCG: {:.3f}".format(epoch, loss.item(), HR, NDCG))
    if HR > best_hr:
        best_hr, best_ndcg, best_epoch = HR, NDCG, epoch
        if args.out:
            torch.save(model, "NeuMF.pth")

print("End. Best epoch {:02d}: HR = {:.3f}, NDCG = {:.3f}".format(best_epoch, best_hr, best_ndcg))
