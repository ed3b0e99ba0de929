"""Sine-wave forecasting with an LSTMCell sequence model, in the time-sequence-prediction layout."""
import argparse

import numpy as np
import torch
import torch.nn as nn
import torch.optim as optim


class Sequence(nn.Module):
    def __init__(self, hidden=24):
        super().__init__()
        self.hidden = hidden
        self.lstm1 = nn.LSTMCell(1, hidden)
        self.lstm2 = nn.LSTMCell(hidden, hidden)
        self.linear = nn.Linear(hidden, 1)

    def forward(self, input, future=0):
        outputs = []
        n = input.size(0)
        h_t = torch.zeros(n, self.hidden, dtype=input.dtype)
        c_t = torch.zeros(n, self.hidden, dtype=input.dtype)
        h_t2 = torch.zeros(n, self.hidden, dtype=input.dtype)
        c_t2 = torch.zeros(n, self.hidden, dtype=input.dtype)
        for input_t in input.split(1, dim=1):
            h_t, c_t = self.lstm1(input_t, (h_t, c_t))
            h_t2, c_t2 = self.lstm2(h_t, (h_t2, c_t2))
            output = self.linear(h_t2)
            outputs += [output]
        for _ in range(future):
            h_t, c_t = self.lstm1(output, (h_t, c_t))
            h_t2, c_t2 = self.lstm2(h_t, (h_t2, c_t2))
            output = self.linear(h_t2)
            outputs += [output]
        return torch.cat(outputs, dim=1)


def make_waves(n=40, length=60, period=20, seed=2):
    rng = np.random.RandomState(seed)
    shifts = rng.randint(-4 * period, 4 * period, n).reshape(n, 1)
    x = np.arange(length) + shifts
    return np.sin(x / period * 2 * np.pi).astype("float32")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--steps", type=int, default=12, help="steps to run")
    parser.add_argument("--lr", type=float, default=0.02)
    parser.add_argument("--hidden", type=int, default=24)
    opt = parser.parse_args()
    np.random.seed(0)
    torch.manual_seed(0)
    data = torch.from_numpy(make_waves())
    input = data[3:, :-1]
    target = data[3:, 1:]
    test_input = data[:3, :-1]
    test_target = data[:3, 1:]
    seq = Sequence(opt.hidden)
    criterion = nn.MSELoss()
    optimizer = optim.Adam(seq.parameters(), lr=opt.lr)
    for i in range(opt.steps):
        print("STEP: ", i)
        optimizer.zero_grad()
        out = seq(input)
        loss = criterion(out, target)
        print("loss:", round(loss.item(), 5))
        loss.backward()
        optimizer.step()
        with torch.no_grad():
            future = 10
            pred = seq(test_input, future=future)
            test_loss = criterion(pred[:, :-future], test_target)
            print("test loss:", round(test_loss.item(), 5))
    torch.save(seq.state_dict(), "sine_lstm.pt")
