"""Character-level RNN that classifies generated names by origin, in the names-tutorial layout
(category_from_output, current_loss printed every print_every iterations and reset, all_losses)."""
import math
import random
import string
import time

import torch
import torch.nn as nn

all_letters = string.ascii_lowercase
n_letters = len(all_letters)
random.seed(4)
torch.manual_seed(4)

SYLLABLES = {
    "Northish": ["sk", "ar", "dot", "tir", "ulf", "hjor"],
    "Southish": ["ma", "ri", "lo", "na", "tel", "co"],
    "Eastish": ["zhi", "ang", "xu", "mei", "ho", "ling"],
}
all_categories = list(SYLLABLES)
n_categories = len(all_categories)


def make_name(category):
    return "".join(random.choice(SYLLABLES[category]) for _ in range(random.randint(2, 3)))


category_lines = {c: [make_name(c) for _ in range(60)] for c in all_categories}


def line_to_tensor(line):
    tensor = torch.zeros(len(line), 1, n_letters)
    for li, letter in enumerate(line):
        tensor[li][0][all_letters.find(letter)] = 1
    return tensor


class RNN(nn.Module):
    def __init__(self, input_size, hidden_size, output_size):
        super(RNN, self).__init__()
        self.hidden_size = hidden_size
        self.i2h = nn.Linear(input_size, hidden_size)
        self.h2h = nn.Linear(hidden_size, hidden_size)
        self.h2o = nn.Linear(hidden_size, output_size)
        self.softmax = nn.LogSoftmax(dim=1)

    def forward(self, input, hidden):
        hidden = torch.tanh(self.i2h(input) + self.h2h(hidden))
        output = self.softmax(self.h2o(hidden))
        return output, hidden

    def initHidden(self):
        return torch.zeros(1, self.hidden_size)


n_hidden = 32
rnn = RNN(n_letters, n_hidden, n_categories)
criterion = nn.NLLLoss()
learning_rate = 0.01


def category_from_output(output):
    top_n, top_i = output.topk(1)
    category_i = top_i[0].item()
    return all_categories[category_i], category_i


def random_training_example():
    category = random.choice(all_categories)
    line = random.choice(category_lines[category])
    category_tensor = torch.tensor([all_categories.index(category)], dtype=torch.long)
    return category, line, category_tensor, line_to_tensor(line)


def train(category_tensor, line_tensor):
    hidden = rnn.initHidden()
    rnn.zero_grad()
    for i in range(line_tensor.size()[0]):
        output, hidden = rnn(line_tensor[i], hidden)
    loss = criterion(output, category_tensor)
    loss.backward()
    for p in rnn.parameters():
        p.data.add_(p.grad.data, alpha=-learning_rate)
    return output, loss.item()


def evaluate(line_tensor):
    hidden = rnn.initHidden()
    for i in range(line_tensor.size()[0]):
        output, hidden = rnn(line_tensor[i], hidden)
    return output


def time_since(since):
    s = time.time() - since
    m = math.floor(s / 60)
    return "%dm %ds" % (m, s - m * 60)


n_iters = 3000
print_every = 500
plot_every = 100
current_loss = 0
all_losses = []
start = time.time()

for iter in range(1, n_iters + 1):
    category, line, category_tensor, line_tensor = random_training_example()
    output, loss = train(category_tensor, line_tensor)
    current_loss += loss
    if iter % print_every == 0:
        guess, guess_i = category_from_output(output)
        correct = "ok" if guess == category else "wrong (%s)" % category
        print("%d %d%% (%s) %.4f %s / %s %s" % (iter, iter / n_iters * 100, time_since(start),
                                                loss, line, guess, correct))
    if iter % plot_every == 0:
        all_losses.append(current_loss / plot_every)
        current_loss = 0

with torch.no_grad():
    hits = 0
    total = 0
    for category in all_categories:
        for line in [make_name(category) for _ in range(30)]:
            guess, _ = category_from_output(evaluate(line_to_tensor(line)))
            hits += guess == category
            total += 1
print("final smoothed loss: %.4f" % all_losses[-1])
print("held-out accuracy: %.3f" % (hits / total))
