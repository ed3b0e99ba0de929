"""REINFORCE on a tiny balancing task written in numpy (no gym), policy network with two Linear layers."""
import argparse

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
import torch.optim as optim
from torch.distributions import Categorical

parser = argparse.ArgumentParser(description="REINFORCE on a toy balance task")
parser.add_argument("--gamma", type=float, default=0.97, metavar="G", help="discount factor")
parser.add_argument("--lr", type=float, default=0.02, help="learning rate")
parser.add_argument("--hidden", type=int, default=32, help="hidden units of the policy")
parser.add_argument("--episodes", type=int, default=60, help="training episodes")
parser.add_argument("--seed", type=int, default=543, metavar="N", help="random seed")
parser.add_argument("--log-interval", type=int, default=20, metavar="N", help="episodes between status lines")
args = parser.parse_args()


class BalanceEnv:
    """A pole angle drifts away from zero; pushing left or right corrects it. Reward 1 per step upright."""

    max_steps = 80

    def __init__(self, seed):
        self.rng = np.random.RandomState(seed)
        self.state = None
        self.t = 0

    def reset(self):
        self.state = self.rng.uniform(-0.05, 0.05, size=2)
        self.t = 0
        return self.state.copy()

    def step(self, action):
        angle, speed = self.state
        force = 0.03 if action == 1 else -0.03
        speed = speed + 0.09 * angle + force + self.rng.normal(0, 0.01)
        angle = angle + speed
        self.state = np.array([angle, speed])
        self.t += 1
        done = abs(angle) > 0.3 or self.t >= self.max_steps
        return self.state.copy(), 1.0, done


class Policy(nn.Module):
    def __init__(self, hidden):
        super().__init__()
        self.affine1 = nn.Linear(2, hidden)
        self.dropout = nn.Dropout(p=0.1)
        self.affine2 = nn.Linear(hidden, 2)
        self.saved_log_probs = []
        self.rewards = []

    def forward(self, x):
        x = F.relu(self.dropout(self.affine1(x)))
        return F.softmax(self.affine2(x), dim=1)


np.random.seed(args.seed)
torch.manual_seed(args.seed)
env = BalanceEnv(args.seed)
policy = Policy(args.hidden)
optimizer = optim.Adam(policy.parameters(), lr=args.lr)
eps = np.finfo(np.float32).eps.item()


def select_action(state):
    state = torch.from_numpy(state).float().unsqueeze(0) * 10.0
    probs = policy(state)
    m = Categorical(probs)
    action = m.sample()
    policy.saved_log_probs.append(m.log_prob(action))
    return action.item()


def finish_episode():
    R = 0.0
    returns = []
    for r in policy.rewards[::-1]:
        R = r + args.gamma * R
        returns.insert(0, R)
    returns = torch.tensor(returns)
    returns = (returns - returns.mean()) / (returns.std() + eps)
    policy_loss = [-log_prob * R for log_prob, R in zip(policy.saved_log_probs, returns)]
    optimizer.zero_grad()
    loss = torch.cat(policy_loss).sum()
    loss.backward()
    optimizer.step()
    del policy.rewards[:]
    del policy.saved_log_probs[:]


def evaluate(n_episodes=20):
    """Greedy rollouts on a separately seeded environment: mean episode length."""
    eval_env = BalanceEnv(args.seed + 1000)
    policy.eval()
    lengths = []
    with torch.no_grad():
        for _ in range(n_episodes):
            state, ep_len, done = eval_env.reset(), 0, False
            while not done:
                probs = policy(torch.from_numpy(state).float().unsqueeze(0) * 10.0)
                state, reward, done = eval_env.step(int(probs.argmax(dim=1).item()))
                ep_len += reward
            lengths.append(ep_len)
    policy.train()
    return float(np.mean(lengths))


def main():
    running_reward = 10.0
    for i_episode in range(1, args.episodes + 1):
        state, ep_reward = env.reset(), 0.0
        for t in range(1, BalanceEnv.max_steps + 1):
            action = select_action(state)
            state, reward, done = env.step(action)
            policy.rewards.append(reward)
            ep_reward += reward
            if done:
                break
        running_reward = 0.05 * ep_reward + (1 - 0.05) * running_reward
        finish_episode()
        if i_episode % args.log_interval == 0:
            print(f"Episode {i_episode}\tLast reward: {ep_reward:.2f}\tAverage reward: {running_reward:.2f}")
    eval_return = evaluate()
    print(f"running_reward={running_reward:.3f}")
    print(f"eval_mean_return={eval_return:.3f}")
    torch.save(policy.state_dict(), "policy.pt")


if __name__ == "__main__":
    main()
