"""Text-classification script in the shape of transformers' run_glue.py without transformers: `ModelArguments`,
`DataTrainingArguments`, `TrainingArguments` dataclasses with `field(metadata={"help": ...})`, a small
`ArgumentParser` subclass turning dataclass fields into flags (`parse_args_into_dataclasses()`), `set_seed`,
`compute_metrics(eval_pred)` on an `EvalPrediction`, a minimal `Trainer` with `train()`/`evaluate()`/`save_model()`
writing `pytorch_model.bin` and `config.json` to `output_dir`, and `do_train`/`do_eval`/`do_predict` switches."""
import dataclasses
import json
import logging
import os
import random
import sys
from argparse import ArgumentParser
from collections import Counter
from dataclasses import dataclass, field
from typing import NamedTuple, Optional

import numpy as np
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, Dataset

logger = logging.getLogger(__name__)


@dataclass
class ModelArguments:
    embedding_dim: int = field(default=32, metadata={"help": "Size of the token embeddings"})
    hidden_dim: int = field(default=32, metadata={"help": "Size of the classifier hidden layer"})
    dropout: float = field(default=0.1, metadata={"help": "Dropout before the classifier"})


@dataclass
class DataTrainingArguments:
    max_seq_length: int = field(default=16, metadata={"help": "Sequences are padded or truncated to this length"})
    max_train_samples: Optional[int] = field(default=None, metadata={"help": "Truncate the number of training examples"})
    min_freq: int = field(default=1, metadata={"help": "Minimum token frequency in the vocabulary"})


@dataclass
class TrainingArguments:
    output_dir: str = field(default="run_output", metadata={"help": "Where to write the model and metrics"})
    do_train: bool = field(default=True)
    do_eval: bool = field(default=True)
    do_predict: bool = field(default=True)
    learning_rate: float = field(default=5e-3)
    num_train_epochs: int = field(default=6)
    per_device_train_batch_size: int = field(default=32)
    per_device_eval_batch_size: int = field(default=128)
    weight_decay: float = field(default=0.0)
    warmup_ratio: float = field(default=0.1)
    seed: int = field(default=42)


class DataclassArgumentParser(ArgumentParser):
    def __init__(self, dataclass_types):
        super().__init__()
        self.dataclass_types = dataclass_types
        for dtype in dataclass_types:
            for f in dataclasses.fields(dtype):
                kwargs = {"help": f.metadata.get("help")}
                default = f.default
                if f.type in (bool, "bool"):
                    kwargs["type"] = lambda s: s.lower() in ("1", "true", "yes")
                elif f.type in (int, "int"):
                    kwargs["type"] = int
                elif f.type in (float, "float"):
                    kwargs["type"] = float
                elif f.type in (Optional[int], "Optional[int]"):
                    kwargs["type"] = int
                else:
                    kwargs["type"] = str
                self.add_argument(f"--{f.name}", default=default, **kwargs)

    def parse_args_into_dataclasses(self, args=None):
        namespace = self.parse_args(args)
        outputs = []
        for dtype in self.dataclass_types:
            keys = {f.name for f in dataclasses.fields(dtype)}
            outputs.append(dtype(**{k: v for k, v in vars(namespace).items() if k in keys}))
        return tuple(outputs)


class EvalPrediction(NamedTuple):
    predictions: np.ndarray
    label_ids: np.ndarray


def set_seed(seed):
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def make_reviews(n, seed):
    rng = np.random.default_rng(seed)
    pos = ["great", "excellent", "loved", "fun", "superb", "wonderful"]
    neg = ["boring", "awful", "hated", "slow", "terrible", "dull"]
    neutral = ["the", "movie", "plot", "actor", "was", "and", "really", "quite", "film", "ending"]
    texts, labels = [], []
    for _ in range(n):
        label = int(rng.integers(0, 2))
        words = list(rng.choice(neutral, size=rng.integers(5, 10)))
        cue = pos if label else neg
        other = neg if label else pos
        for _ in range(rng.integers(1, 3)):
            words.insert(int(rng.integers(0, len(words))), str(rng.choice(cue)))
        if rng.random() < 0.25:
            words.insert(int(rng.integers(0, len(words))), str(rng.choice(other)))
        texts.append(" ".join(words))
        labels.append(label)
    return texts, labels


class Tokenizer:
    def __init__(self, texts, min_freq):
        counts = Counter(w for t in texts for w in t.split())
        self.vocab = {"[PAD]": 0, "[UNK]": 1}
        for w, c in sorted(counts.items()):
            if c >= min_freq:
                self.vocab[w] = len(self.vocab)

    def __call__(self, text, max_length):
        ids = [self.vocab.get(w, 1) for w in text.split()][:max_length]
        return ids + [0] * (max_length - len(ids))


class EncodedDataset(Dataset):
    def __init__(self, texts, labels, tokenizer, max_length):
        self.input_ids = torch.tensor([tokenizer(t, max_length) for t in texts])
        self.labels = torch.tensor(labels)

    def __len__(self):
        return len(self.labels)

    def __getitem__(self, i):
        return {"input_ids": self.input_ids[i], "labels": self.labels[i]}


class BagClassifier(nn.Module):
    def __init__(self, vocab_size, model_args, num_labels=2):
        super().__init__()
        self.config = {"vocab_size": vocab_size, "num_labels": num_labels, **dataclasses.asdict(model_args)}
        self.embeddings = nn.Embedding(vocab_size, model_args.embedding_dim, padding_idx=0)
        self.pre_classifier = nn.Linear(model_args.embedding_dim, model_args.hidden_dim)
        self.dropout = nn.Dropout(model_args.dropout)
        self.classifier = nn.Linear(model_args.hidden_dim, num_labels)

    def forward(self, input_ids, labels=None):
        mask = (input_ids != 0).float().unsqueeze(-1)
        pooled = (self.embeddings(input_ids) * mask).sum(1) / mask.sum(1).clamp(min=1)
        logits = self.classifier(self.dropout(torch.relu(self.pre_classifier(pooled))))
        loss = nn.functional.cross_entropy(logits, labels) if labels is not None else None
        return {"loss": loss, "logits": logits}


class Trainer:
    def __init__(self, model, args, train_dataset=None, eval_dataset=None, compute_metrics=None):
        self.model, self.args = model, args
        self.train_dataset, self.eval_dataset = train_dataset, eval_dataset
        self.compute_metrics = compute_metrics
        self.state = {"global_step": 0, "log_history": []}

    def train(self):
        args = self.args
        loader = DataLoader(self.train_dataset, batch_size=args.per_device_train_batch_size, shuffle=True,
                            generator=torch.Generator().manual_seed(args.seed))
        total_steps = len(loader) * args.num_train_epochs
        warmup = int(total_steps * args.warmup_ratio)
        optimizer = torch.optim.AdamW(self.model.parameters(), lr=args.learning_rate, weight_decay=args.weight_decay)
        scheduler = torch.optim.lr_scheduler.LambdaLR(
            optimizer, lambda s: (s + 1) / max(1, warmup) if s < warmup else max(0.0, (total_steps - s) / max(1, total_steps - warmup)))
        for epoch in range(args.num_train_epochs):
            self.model.train()
            running = 0.0
            for batch in loader:
                out = self.model(**batch)
                out["loss"].backward()
                optimizer.step()
                scheduler.step()
                optimizer.zero_grad()
                running += out["loss"].item()
                self.state["global_step"] += 1
            entry = {"epoch": epoch + 1, "loss": round(running / len(loader), 4)}
            if self.eval_dataset is not None:
                entry.update(self.evaluate())
            self.state["log_history"].append(entry)
            logger.info(entry)
        return {"global_step": self.state["global_step"], "train_loss": self.state["log_history"][-1]["loss"]}

    def predict(self, dataset):
        self.model.eval()
        logits, labels = [], []
        with torch.no_grad():
            for batch in DataLoader(dataset, batch_size=self.args.per_device_eval_batch_size):
                logits.append(self.model(batch["input_ids"])["logits"].numpy())
                labels.append(batch["labels"].numpy())
        return EvalPrediction(np.concatenate(logits), np.concatenate(labels))

    def evaluate(self, eval_dataset=None, metric_key_prefix="eval"):
        pred = self.predict(eval_dataset or self.eval_dataset)
        return {f"{metric_key_prefix}_{k}": v for k, v in self.compute_metrics(pred).items()}

    def save_model(self, output_dir=None):
        output_dir = output_dir or self.args.output_dir
        os.makedirs(output_dir, exist_ok=True)
        torch.save(self.model.state_dict(), os.path.join(output_dir, "pytorch_model.bin"))
        with open(os.path.join(output_dir, "config.json"), "w") as f:
            json.dump(self.model.config, f, indent=2)


def compute_metrics(p: EvalPrediction):
    preds = np.argmax(p.predictions, axis=1)
    tp = int(((preds == 1) & (p.label_ids == 1)).sum())
    precision = tp / max(1, int((preds == 1).sum()))
    recall = tp / max(1, int((p.label_ids == 1).sum()))
    f1 = 2 * precision * recall / max(1e-9, precision + recall)
    return {"accuracy": round(float((preds == p.label_ids).mean()), 4), "f1": round(f1, 4)}


def main():
    parser = DataclassArgumentParser((ModelArguments, DataTrainingArguments, TrainingArguments))
    model_args, data_args, training_args = parser.parse_args_into_dataclasses()
    logging.basicConfig(format="%(levelname)s - %(name)s - %(message)s",
                        handlers=[logging.StreamHandler(sys.stdout)], level=logging.INFO)
    logger.info(f"Training/evaluation parameters {training_args}")
    set_seed(training_args.seed)

    texts, labels = make_reviews(1500, seed=training_args.seed)
    raw = {"train": (texts[:1000], labels[:1000]), "validation": (texts[1000:1250], labels[1000:1250]),
           "test": (texts[1250:], labels[1250:])}
    if data_args.max_train_samples is not None:
        raw["train"] = (raw["train"][0][:data_args.max_train_samples], raw["train"][1][:data_args.max_train_samples])
    tokenizer = Tokenizer(raw["train"][0], data_args.min_freq)
    datasets = {k: EncodedDataset(t, l, tokenizer, data_args.max_seq_length) for k, (t, l) in raw.items()}
    model = BagClassifier(len(tokenizer.vocab), model_args)

    trainer = Trainer(model=model, args=training_args, train_dataset=datasets["train"] if training_args.do_train else None,
                      eval_dataset=datasets["validation"] if training_args.do_eval else None, compute_metrics=compute_metrics)
    if training_args.do_train:
        train_result = trainer.train()
        trainer.save_model()
        print("***** train metrics *****", train_result)
    if training_args.do_eval:
        print("***** eval metrics *****", trainer.evaluate())
    if training_args.do_predict:
        metrics = trainer.evaluate(datasets["test"], metric_key_prefix="predict")
        print("***** predict metrics *****", metrics)
        with open(os.path.join(training_args.output_dir, "all_results.json"), "w") as f:
            json.dump(metrics, f, indent=2)


if __name__ == "__main__":
    main()
