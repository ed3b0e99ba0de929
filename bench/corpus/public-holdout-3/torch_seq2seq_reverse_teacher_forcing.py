"""Sequence to sequence: a GRU encoder and a GRU decoder learn to reverse digit strings.

One pair per step (batch of one), separate optimizers for the encoder and the decoder,
teacher forcing chosen at random per pair, and trainIters() printing the average loss.
"""
import random

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch import optim

SOS_token = 0
EOS_token = 1
MAX_LENGTH = 8
teacher_forcing_ratio = 0.5

random.seed(3)
torch.manual_seed(3)


def random_pair():
    length = random.randint(3, 6)
    digits = [random.randint(0, 9) for _ in range(length)]
    return digits, digits[::-1]


def tensor_from_digits(digits):
    # digit d becomes token d + 2 (0 and 1 are SOS and EOS)
    return torch.tensor([d + 2 for d in digits] + [EOS_token], dtype=torch.long).view(-1, 1)


class EncoderRNN(nn.Module):
    def __init__(self, input_size, hidden_size):
        super(EncoderRNN, self).__init__()
        self.hidden_size = hidden_size
        self.embedding = nn.Embedding(input_size, hidden_size)
        self.gru = nn.GRU(hidden_size, hidden_size)

    def forward(self, input, hidden):
        embedded = self.embedding(input).view(1, 1, -1)
        output, hidden = self.gru(embedded, hidden)
        return output, hidden

    def initHidden(self):
        return torch.zeros(1, 1, self.hidden_size)


class DecoderRNN(nn.Module):
    def __init__(self, hidden_size, output_size):
        super(DecoderRNN, self).__init__()
        self.hidden_size = hidden_size
        self.embedding = nn.Embedding(output_size, hidden_size)
        self.gru = nn.GRU(hidden_size, hidden_size)
        self.out = nn.Linear(hidden_size, output_size)

    def forward(self, input, hidden):
        output = F.relu(self.embedding(input).view(1, 1, -1))
        output, hidden = self.gru(output, hidden)
        return F.log_softmax(self.out(output[0]), dim=1), hidden


def train(input_tensor, target_tensor, encoder, decoder, encoder_optimizer, decoder_optimizer, criterion):
    encoder_hidden = encoder.initHidden()
    encoder_optimizer.zero_grad()
    decoder_optimizer.zero_grad()

    for ei in range(input_tensor.size(0)):
        _, encoder_hidden = encoder(input_tensor[ei], encoder_hidden)

    decoder_input = torch.tensor([[SOS_token]])
    decoder_hidden = encoder_hidden
    loss = 0
    use_teacher_forcing = random.random() < teacher_forcing_ratio
    for di in range(target_tensor.size(0)):
        decoder_output, decoder_hidden = decoder(decoder_input, decoder_hidden)
        loss += criterion(decoder_output, target_tensor[di])
        if use_teacher_forcing:
            decoder_input = target_tensor[di]
        else:
            topv, topi = decoder_output.topk(1)
            decoder_input = topi.squeeze().detach()
            if decoder_input.item() == EOS_token:
                break

    loss.backward()
    encoder_optimizer.step()
    decoder_optimizer.step()
    return loss.item() / target_tensor.size(0)


def trainIters(encoder, decoder, n_iters, print_every=150, learning_rate=0.01):
    print_loss_total = 0
    encoder_optimizer = optim.SGD(encoder.parameters(), lr=learning_rate, momentum=0.9)
    decoder_optimizer = optim.SGD(decoder.parameters(), lr=learning_rate, momentum=0.9)
    training_pairs = [random_pair() for _ in range(n_iters)]
    criterion = nn.NLLLoss()

    for iter in range(1, n_iters + 1):
        source, target = training_pairs[iter - 1]
        loss = train(tensor_from_digits(source), tensor_from_digits(target), encoder, decoder,
                     encoder_optimizer, decoder_optimizer, criterion)
        print_loss_total += loss
        if iter % print_every == 0:
            print_loss_avg = print_loss_total / print_every
            print_loss_total = 0
            print("iter %d (%d%%) loss %.4f" % (iter, iter / n_iters * 100, print_loss_avg))


def evaluate(encoder, decoder, digits):
    with torch.no_grad():
        input_tensor = tensor_from_digits(digits)
        encoder_hidden = encoder.initHidden()
        for ei in range(input_tensor.size(0)):
            _, encoder_hidden = encoder(input_tensor[ei], encoder_hidden)
        decoder_input = torch.tensor([[SOS_token]])
        decoder_hidden = encoder_hidden
        decoded = []
        for _ in range(MAX_LENGTH):
            decoder_output, decoder_hidden = decoder(decoder_input, decoder_hidden)
            topv, topi = decoder_output.data.topk(1)
            if topi.item() == EOS_token:
                break
            decoded.append(topi.item() - 2)
            decoder_input = topi.squeeze().detach()
        return decoded


def evaluate_accuracy(encoder, decoder, pairs):
    hits = sum(evaluate(encoder, decoder, source) == target for source, target in pairs)
    return hits / len(pairs)


hidden_size = 32
encoder1 = EncoderRNN(12, hidden_size)
decoder1 = DecoderRNN(hidden_size, 12)
trainIters(encoder1, decoder1, 900, print_every=150)

test_pairs = [random_pair() for _ in range(100)]
print("exact-match accuracy on held-out strings: %.3f" % evaluate_accuracy(encoder1, decoder1, test_pairs))
for source, target in test_pairs[:3]:
    print(">", source)
    print("=", target)
    print("<", evaluate(encoder1, decoder1, source))
