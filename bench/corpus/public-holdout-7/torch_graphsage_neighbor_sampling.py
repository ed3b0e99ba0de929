"""Node classification with a GraphSAGE mean aggregator written in plain torch, in the shape of the GraphSAGE
reference ports: an adjacency list built from a synthetic stochastic block graph, `NeighborSampler` drawing a fixed
number of neighbours per hop for a minibatch of target nodes, `MeanAggregator` and `Encoder` (self features
concatenated with the aggregated neighbour features, `nn.Linear` + ReLU), `SupervisedGraphSage` with `loss(nodes,
labels)`, random train/val/test node ids, a loop over `batch_nodes` for `num_batches` printing every 20 batches,
validation F1 (micro) picking the best state, `graphsage.pt`."""
import argparse
import random
import time
from collections import defaultdict

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from sklearn.metrics import f1_score


def load_synthetic_graph(num_nodes=900, num_classes=4, num_feats=24, p_in=0.04, p_out=0.004, seed=1):
    rng = np.random.RandomState(seed)
    labels = rng.randint(num_classes, size=num_nodes)
    centers = rng.normal(0, 1.0, size=(num_classes, num_feats))
    feat_data = centers[labels] + rng.normal(0, 2.5, size=(num_nodes, num_feats))
    adj_lists = defaultdict(set)
    for i in range(num_nodes):
        same = labels == labels[i]
        probs = np.where(same, p_in, p_out)
        probs[i] = 0
        for j in np.nonzero(rng.rand(num_nodes) < probs)[0]:
            adj_lists[i].add(int(j))
            adj_lists[int(j)].add(i)
    return feat_data.astype(np.float32), labels.astype(np.int64), adj_lists


class NeighborSampler:
    def __init__(self, adj_lists, num_sample, seed=0):
        self.adj_lists = adj_lists
        self.num_sample = num_sample
        self.rng = random.Random(seed)

    def __call__(self, nodes):
        samples = []
        for node in nodes:
            neighs = sorted(self.adj_lists[int(node)])
            if len(neighs) >= self.num_sample:
                neighs = self.rng.sample(neighs, self.num_sample)
            samples.append(set(neighs) | {int(node)})
        return samples


class MeanAggregator(nn.Module):
    def __init__(self, features, sampler):
        super().__init__()
        self.features = features
        self.sampler = sampler

    def forward(self, nodes):
        samp_neighs = self.sampler(nodes)
        unique_nodes_list = sorted(set.union(*samp_neighs))
        unique_nodes = {n: i for i, n in enumerate(unique_nodes_list)}
        mask = torch.zeros(len(samp_neighs), len(unique_nodes))
        column_indices = [unique_nodes[n] for samp_neigh in samp_neighs for n in samp_neigh]
        row_indices = [i for i in range(len(samp_neighs)) for _ in range(len(samp_neighs[i]))]
        mask[row_indices, column_indices] = 1
        mask = mask / mask.sum(1, keepdim=True)
        embed_matrix = self.features(torch.LongTensor(unique_nodes_list))
        return mask.mm(embed_matrix)


class Encoder(nn.Module):
    def __init__(self, features, feature_dim, embed_dim, aggregator):
        super().__init__()
        self.features = features
        self.aggregator = aggregator
        self.linear = nn.Linear(2 * feature_dim, embed_dim)

    def forward(self, nodes):
        neigh_feats = self.aggregator(nodes)
        self_feats = self.features(torch.LongTensor(nodes))
        combined = torch.cat([self_feats, neigh_feats], dim=1)
        return F.relu(self.linear(combined))


class SupervisedGraphSage(nn.Module):
    def __init__(self, num_classes, enc, embed_dim):
        super().__init__()
        self.enc = enc
        self.xent = nn.CrossEntropyLoss()
        self.classifier = nn.Linear(embed_dim, num_classes)

    def forward(self, nodes):
        return self.classifier(self.enc(nodes))

    def loss(self, nodes, labels):
        return self.xent(self.forward(nodes), labels)


def run(args):
    np.random.seed(args.seed)
    random.seed(args.seed)
    torch.manual_seed(args.seed)
    feat_data, labels, adj_lists = load_synthetic_graph(seed=args.seed)
    num_nodes, num_feats = feat_data.shape
    print(f"nodes {num_nodes}, edges {sum(len(v) for v in adj_lists.values()) // 2}, features {num_feats}")

    features = nn.Embedding(num_nodes, num_feats)
    features.weight = nn.Parameter(torch.from_numpy(feat_data), requires_grad=False)
    agg1 = MeanAggregator(features, NeighborSampler(adj_lists, args.num_samples1, seed=args.seed))
    enc1 = Encoder(features, num_feats, args.hidden, agg1)
    agg2 = MeanAggregator(lambda nodes: enc1(nodes.tolist()), NeighborSampler(adj_lists, args.num_samples2,
                                                                              seed=args.seed + 1))
    enc2 = Encoder(lambda nodes: enc1(nodes.tolist()), args.hidden, args.hidden, agg2)
    graphsage = SupervisedGraphSage(int(labels.max()) + 1, enc2, args.hidden)

    rand_indices = np.random.permutation(num_nodes)
    test = rand_indices[:200]
    val = rand_indices[200:350]
    train = list(rand_indices[350:])

    optimizer = torch.optim.Adam(filter(lambda p: p.requires_grad, graphsage.parameters()), lr=args.lr,
                                 weight_decay=args.weight_decay)
    times = []
    best_f1, best_state = -1.0, None
    for batch in range(args.num_batches):
        batch_nodes = train[:args.batch_size]
        random.shuffle(train)
        start_time = time.time()
        optimizer.zero_grad()
        loss = graphsage.loss(batch_nodes, torch.LongTensor(labels[np.array(batch_nodes)]))
        loss.backward()
        optimizer.step()
        times.append(time.time() - start_time)
        if batch % 20 == 0 or batch == args.num_batches - 1:
            graphsage.eval()
            with torch.no_grad():
                val_output = graphsage(val.tolist())
            graphsage.train()
            val_f1 = f1_score(labels[val], val_output.argmax(1).numpy(), average="micro")
            print(f"batch {batch:3d} loss {loss.item():.4f} val F1 {val_f1:.4f}")
            if val_f1 > best_f1:
                best_f1 = val_f1
                best_state = {k: v.clone() for k, v in graphsage.state_dict().items()}
    graphsage.load_state_dict(best_state)
    torch.save(best_state, args.save_path)
    graphsage.eval()
    with torch.no_grad():
        test_output = graphsage(test.tolist())
    print(f"best validation F1 {best_f1:.4f}")
    print(f"test F1 {f1_score(labels[test], test_output.argmax(1).numpy(), average='micro'):.4f}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="GraphSAGE (mean aggregator) on a synthetic block graph")
    parser.add_argument("--hidden", type=int, default=64)
    parser.add_argument("--num_samples1", type=int, default=8)
    parser.add_argument("--num_samples2", type=int, default=5)
    parser.add_argument("--batch_size", type=int, default=64)
    parser.add_argument("--num_batches", type=int, default=120)
    parser.add_argument("--lr", type=float, default=0.01)
    parser.add_argument("--weight_decay", type=float, default=5e-4)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--save_path", type=str, default="graphsage.pt")
    run(parser.parse_args())
