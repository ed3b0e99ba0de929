"""
Text classification with nn.EmbeddingBag
=========================================

Synthetic four-topic "news" headlines; a vocabulary built with a Counter; a collate function
that packs the token ids of a batch into one flat tensor plus offsets; SGD with a large learning
rate and a StepLR that only steps when validation accuracy stops improving.
"""
import random
from collections import Counter

import torch
from torch import nn
from torch.utils.data import DataLoader
from torch.utils.data.dataset import random_split

random.seed(7)
torch.manual_seed(7)

TOPICS = {
    "world": "minister election border treaty summit parliament refugees embassy vote protest",
    "sports": "match goal season coach league striker tournament final injury score",
    "business": "shares market profit bank merger earnings investors stocks quarter inflation",
    "scitech": "software chip research space robot launch data network study device",
}
COMMON = "the a of in on for with after over new says report week year big first".split()


def make_headline(topic_words):
    length = random.randint(6, 12)
    words = []
    for _ in range(length):
        words.append(random.choice(topic_words) if random.random() < 0.45 else random.choice(COMMON))
    return " ".join(words)


def build_split(n):
    rows = []
    for _ in range(n):
        label = random.randint(1, 4)  # labels are 1-based, as in AG_NEWS
        topic_words = list(TOPICS.values())[label - 1].split()
        rows.append((label, make_headline(topic_words)))
    return rows


train_iter = build_split(1600)
test_iter = build_split(400)

tokenizer = str.split
counter = Counter()
for _, text in train_iter:
    counter.update(tokenizer(text))
itos = ["<unk>"] + [word for word, _ in counter.most_common()]
vocab = {word: i for i, word in enumerate(itos)}


def text_pipeline(x):
    return [vocab.get(token, 0) for token in tokenizer(x)]


def label_pipeline(x):
    return int(x) - 1


def collate_batch(batch):
    label_list, text_list, offsets = [], [], [0]
    for _label, _text in batch:
        label_list.append(label_pipeline(_label))
        processed_text = torch.tensor(text_pipeline(_text), dtype=torch.int64)
        text_list.append(processed_text)
        offsets.append(processed_text.size(0))
    label_list = torch.tensor(label_list, dtype=torch.int64)
    offsets = torch.tensor(offsets[:-1]).cumsum(dim=0)
    text_list = torch.cat(text_list)
    return label_list, text_list, offsets


class TextClassificationModel(nn.Module):
    def __init__(self, vocab_size, embed_dim, num_class):
        super(TextClassificationModel, self).__init__()
        self.embedding = nn.EmbeddingBag(vocab_size, embed_dim, sparse=False)
        self.fc = nn.Linear(embed_dim, num_class)
        self.init_weights()

    def init_weights(self):
        initrange = 0.5
        self.embedding.weight.data.uniform_(-initrange, initrange)
        self.fc.weight.data.uniform_(-initrange, initrange)
        self.fc.bias.data.zero_()

    def forward(self, text, offsets):
        embedded = self.embedding(text, offsets)
        return self.fc(embedded)


num_class = len(set(label for (label, text) in train_iter))
vocab_size = len(vocab)
emsize = 32
model = TextClassificationModel(vocab_size, emsize, num_class)
print(f"vocab size {vocab_size}, classes {num_class}")


def train(dataloader):
    model.train()
    total_acc, total_count = 0, 0
    log_interval = 10
    for idx, (label, text, offsets) in enumerate(dataloader):
        optimizer.zero_grad()
        predicted_label = model(text, offsets)
        loss = criterion(predicted_label, label)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 0.1)
        optimizer.step()
        total_acc += (predicted_label.argmax(1) == label).sum().item()
        total_count += label.size(0)
        if idx % log_interval == 0 and idx > 0:
            print("| epoch {:3d} | {:5d}/{:5d} batches | accuracy {:8.3f}".format(
                epoch, idx, len(dataloader), total_acc / total_count))
            total_acc, total_count = 0, 0


def evaluate(dataloader):
    model.eval()
    total_acc, total_count = 0, 0
    with torch.no_grad():
        for idx, (label, text, offsets) in enumerate(dataloader):
            predicted_label = model(text, offsets)
            total_acc += (predicted_label.argmax(1) == label).sum().item()
            total_count += label.size(0)
    return total_acc / total_count


# Hyperparameters
EPOCHS = 6
LR = 5
BATCH_SIZE = 64

criterion = torch.nn.CrossEntropyLoss()
optimizer = torch.optim.SGD(model.parameters(), lr=LR)
scheduler = torch.optim.lr_scheduler.StepLR(optimizer, 1.0, gamma=0.1)
total_accu = None

num_train = int(len(train_iter) * 0.95)
split_train_, split_valid_ = random_split(train_iter, [num_train, len(train_iter) - num_train],
                                          generator=torch.Generator().manual_seed(7))
train_dataloader = DataLoader(split_train_, batch_size=BATCH_SIZE, shuffle=True, collate_fn=collate_batch)
valid_dataloader = DataLoader(split_valid_, batch_size=BATCH_SIZE, shuffle=False, collate_fn=collate_batch)
test_dataloader = DataLoader(test_iter, batch_size=BATCH_SIZE, shuffle=False, collate_fn=collate_batch)

for epoch in range(1, EPOCHS + 1):
    train(train_dataloader)
    accu_val = evaluate(valid_dataloader)
    if total_accu is not None and total_accu > accu_val:
        scheduler.step()
    else:
        total_accu = accu_val
    print("-" * 59)
    print("| end of epoch {:3d} | valid accuracy {:8.3f} ".format(epoch, accu_val))
    print("-" * 59)

print("Checking the results of test dataset.")
accu_test = evaluate(test_dataloader)
print("test accuracy {:8.3f}".format(accu_test))

topic_names = {1: "World", 2: "Sports", 3: "Business", 4: "Sci/Tec"}


def predict(text, text_pipeline):
    with torch.no_grad():
        text = torch.tensor(text_pipeline(text))
        output = model(text, torch.tensor([0]))
        return output.argmax(1).item() + 1


ex_text_str = "the striker scored a late goal in the league final after injury"
print("This is a %s news" % topic_names[predict(ex_text_str, text_pipeline)])
