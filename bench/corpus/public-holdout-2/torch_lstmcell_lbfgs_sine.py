"""Two stacked LSTMCells and a linear readout learn shifted sine waves; full-batch LBFGS with a
closure, a fixed number of steps, and each step followed by a test loss and a multi-step
prediction into the future (pytorch/examples time_sequence_prediction layout)."""
import argparse

import numpy as np
import torch
import torch.nn as nn
import torch.optim as optim


def make_waves(n=60, length=120, period=20, seed=2):
    rng = np.random.RandomState(seed)
    x = np.empty((n, length), dtype=np.float32)
    x[:] = np.arange(length) + rng.randint(-4 * period, 4 * period, n).reshape(n, 1)
    return np.sin(x / period).astype(np.float32)


class Sequence(nn.Module):
    def __init__(self, hidden=32):
        super().__init__()
        self.hidden = hidden
        self.lstm1 = nn.LSTMCell(1, hidden)
        self.lstm2 = nn.LSTMCell(hidden, hidden)
        self.linear = nn.Linear(hidden, 1)

    def forward(self, input, future=0):
        outputs = []
        h_t = torch.zeros(input.size(0), self.hidden)
        c_t = torch.zeros(input.size(0), self.hidden)
        h_t2 = torch.zeros(input.size(0), self.hidden)
        c_t2 = torch.zeros(input.size(0), self.hidden)
        output = None
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


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--steps", type=int, default=6, help="steps to run")
    parser.add_argument("--lr", type=float, default=0.5)
    parser.add_argument("--hidden", type=int, default=32)
    parser.add_argument("--future", type=int, default=40)
    opt = parser.parse_args()

    np.random.seed(0)
    torch.manual_seed(0)
    data = make_waves()
    input = torch.from_numpy(data[6:, :-1])
    target = torch.from_numpy(data[6:, 1:])
    test_input = torch.from_numpy(data[:6, :-1])
    test_target = torch.from_numpy(data[:6, 1:])

    seq = Sequence(opt.hidden)
    criterion = nn.MSELoss()
    optimizer = optim.LBFGS(seq.parameters(), lr=opt.lr, max_iter=8)

    for i in range(opt.steps):
        print("STEP: ", i)

        def closure():
            optimizer.zero_grad()
            out = seq(input)
            loss = criterion(out, target)
            print("loss: %.5f" % loss.item())
            loss.backward()
            return loss

        optimizer.step(closure)
        with torch.no_grad():
            pred = seq(test_input, future=opt.future)
            loss = criterion(pred[:, :-opt.future], test_target)
            print("test loss: %.5f" % loss.item())
            y = pred.detach().numpy()
        np.savetxt("predict%d.txt" % i, y[:, -opt.future:], fmt="%.4f")
    print("final test loss: %.5f" % loss.item())
