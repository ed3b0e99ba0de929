"""Two-layer graph convolutional network on a synthetic citation-like graph.

A stochastic block model gives the edges (three communities, dense inside, sparse across) and
each node gets a noisy bag-of-words feature vector. The GraphConv layers hold their weight as a
raw nn.Parameter and multiply by the normalised adjacency, as in the GCN paper.
"""
import argparse

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn
from torch.optim import Adam


class GraphConv(nn.Module):
    """H' = A_hat @ H @ W (+ b), with A_hat the renormalised adjacency."""

    def __init__(self, input_dim, output_dim, use_bias=False):
        super(GraphConv, self).__init__()
        self.kernel = nn.Parameter(torch.empty(input_dim, output_dim))
        nn.init.xavier_normal_(self.kernel)
        self.bias = None
        if use_bias:
            self.bias = nn.Parameter(torch.zeros(output_dim))

    def forward(self, input_tensor, adj_mat):
        support = torch.mm(input_tensor, self.kernel)
        output = torch.mm(adj_mat, support)
        if self.bias is not None:
            output = output + self.bias
        return output


class GCN(nn.Module):
    def __init__(self, input_dim, hidden_dim, output_dim, use_bias=True, dropout_p=0.1):
        super(GCN, self).__init__()
        self.gc1 = GraphConv(input_dim, hidden_dim, use_bias=use_bias)
        self.gc2 = GraphConv(hidden_dim, output_dim, use_bias=use_bias)
        self.dropout = nn.Dropout(dropout_p)

    def forward(self, input_tensor, adj_mat):
        x = F.relu(self.gc1(input_tensor, adj_mat))
        x = self.dropout(x)
        x = self.gc2(x, adj_mat)
        return F.log_softmax(x, dim=1)


def make_block_graph(n_nodes=360, n_classes=3, n_words=60, seed=0):
    """Return row-normalised features, labels and the renormalised adjacency D^-1/2 (A+I) D^-1/2."""
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, n_classes, size=n_nodes)
    same = labels[:, None] == labels[None, :]
    probs = np.where(same, 0.05, 0.006)
    upper = np.triu(rng.random((n_nodes, n_nodes)) < probs, k=1)
    adj = (upper | upper.T).astype(np.float32)

    word_probs = np.full((n_classes, n_words), 0.04)
    for c in range(n_classes):
        word_probs[c, c * 20:(c + 1) * 20] = 0.12
    features = (rng.random((n_nodes, n_words)) < word_probs[labels]).astype(np.float32)
    row_sum = features.sum(axis=1, keepdims=True)
    row_sum[row_sum == 0] = 1.0
    features = features / row_sum

    adj = adj + np.eye(n_nodes, dtype=np.float32)
    d_inv_sqrt = 1.0 / np.sqrt(adj.sum(axis=1))
    adj = adj * d_inv_sqrt[:, None] * d_inv_sqrt[None, :]
    print(f"Graph: {n_nodes} nodes, {int(upper.sum())} edges, {n_words} features")
    return torch.from_numpy(features), torch.from_numpy(labels).long(), torch.from_numpy(adj)


def train_iter(epoch, model, optimizer, criterion, input, target, mask_train, mask_val, print_every=10):
    model.train()
    optimizer.zero_grad()
    output = model(*input)
    loss = criterion(output[mask_train], target[mask_train])
    loss.backward()
    optimizer.step()

    loss_train, acc_train = test(model, criterion, input, target, mask_train)
    loss_val, acc_val = test(model, criterion, input, target, mask_val)
    if epoch % print_every == 0:
        print(f"Epoch: {epoch:04d} loss_train: {loss_train:.4f} acc_train: {acc_train:.4f} "
              f"loss_val: {loss_val:.4f} acc_val: {acc_val:.4f}")


def test(model, criterion, input, target, mask):
    model.eval()
    with torch.no_grad():
        output = model(*input)
        output, target = output[mask], target[mask]
        loss = criterion(output, target)
        acc = (output.argmax(dim=1) == target).float().sum() / len(target)
    return loss.item(), acc.item()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="Graph Convolutional Network on a block-model graph")
    parser.add_argument("--epochs", type=int, default=120)
    parser.add_argument("--lr", type=float, default=0.01)
    parser.add_argument("--l2", type=float, default=5e-4)
    parser.add_argument("--dropout-p", type=float, default=0.5)
    parser.add_argument("--hidden-dim", type=int, default=16)
    parser.add_argument("--val-every", type=int, default=20)
    parser.add_argument("--include-bias", action="store_true")
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()

    torch.manual_seed(args.seed)
    features, labels, adj_mat = make_block_graph(seed=args.seed)
    idx = torch.randperm(len(labels))
    idx_test, idx_val, idx_train = idx[:120], idx[120:180], idx[180:]

    gcn = GCN(features.shape[1], args.hidden_dim, int(labels.max().item()) + 1,
              args.include_bias, args.dropout_p)
    optimizer = Adam(gcn.parameters(), lr=args.lr, weight_decay=args.l2)
    criterion = nn.NLLLoss()

    for epoch in range(args.epochs):
        train_iter(epoch + 1, gcn, optimizer, criterion, (features, adj_mat), labels,
                   idx_train, idx_val, args.val_every)

    loss_test, acc_test = test(gcn, criterion, (features, adj_mat), labels, idx_test)
    print(f"Test set results: loss {loss_test:.4f} accuracy {acc_test:.4f}")
