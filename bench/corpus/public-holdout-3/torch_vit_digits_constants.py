# A small Vision Transformer trained from scratch on the 8x8 digits.
# Hyperparameters are module-level constants, as in many "ViT from scratch" notebooks.
import numpy as np
import torch
import torch.nn as nn
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from torch.optim import AdamW
from torch.utils.data import DataLoader, TensorDataset

np.random.seed(0)
torch.manual_seed(0)

LR = 3e-3
WEIGHT_DECAY = 0.01
NUM_CLASSES = 10
PATCH_SIZE = 2
IMG_SIZE = 8
IN_CHANNELS = 1
EMBED_DIM = 32
NUM_HEADS = 4
NUM_ENCODERS = 2
MLP_RATIO = 2
DROPOUT = 0.1
BATCH_SIZE = 64
EPOCHS = 8
NUM_PATCHES = (IMG_SIZE // PATCH_SIZE) ** 2


class PatchEmbedding(nn.Module):
    def __init__(self, embed_dim, patch_size, num_patches, dropout, in_channels):
        super().__init__()
        # a strided convolution cuts the image into patches and projects each one
        self.patcher = nn.Sequential(
            nn.Conv2d(in_channels, embed_dim, kernel_size=patch_size, stride=patch_size),
            nn.Flatten(2),
        )
        self.cls_token = nn.Parameter(torch.randn(1, 1, embed_dim) * 0.02)
        self.position_embeddings = nn.Parameter(torch.randn(1, num_patches + 1, embed_dim) * 0.02)
        self.dropout = nn.Dropout(dropout)

    def forward(self, x):
        cls_token = self.cls_token.expand(x.shape[0], -1, -1)
        x = self.patcher(x).permute(0, 2, 1)
        x = torch.cat([cls_token, x], dim=1)
        x = x + self.position_embeddings
        return self.dropout(x)


class ViT(nn.Module):
    def __init__(self):
        super().__init__()
        self.embeddings_block = PatchEmbedding(EMBED_DIM, PATCH_SIZE, NUM_PATCHES, DROPOUT, IN_CHANNELS)
        encoder_layer = nn.TransformerEncoderLayer(
            d_model=EMBED_DIM, nhead=NUM_HEADS, dim_feedforward=EMBED_DIM * MLP_RATIO,
            dropout=DROPOUT, activation="gelu", batch_first=True, norm_first=True,
        )
        self.encoder_blocks = nn.TransformerEncoder(encoder_layer, num_layers=NUM_ENCODERS,
                                                    enable_nested_tensor=False)
        self.mlp_head = nn.Sequential(nn.LayerNorm(EMBED_DIM), nn.Linear(EMBED_DIM, NUM_CLASSES))

    def forward(self, x):
        x = self.embeddings_block(x)
        x = self.encoder_blocks(x)
        return self.mlp_head(x[:, 0, :])


digits = load_digits()
images = (digits.images / 16.0).astype(np.float32)[:, None]
X_train, X_val, y_train, y_val = train_test_split(
    images, digits.target, test_size=0.25, random_state=0, stratify=digits.target)
train_dataloader = DataLoader(TensorDataset(torch.from_numpy(X_train), torch.from_numpy(y_train)),
                              batch_size=BATCH_SIZE, shuffle=True)
val_dataloader = DataLoader(TensorDataset(torch.from_numpy(X_val), torch.from_numpy(y_val)),
                            batch_size=256, shuffle=False)

model = ViT()
criterion = nn.CrossEntropyLoss()
optimizer = AdamW(model.parameters(), lr=LR, weight_decay=WEIGHT_DECAY)
print(f"ViT with {sum(p.numel() for p in model.parameters())} parameters, {NUM_PATCHES} patches")

for epoch in range(EPOCHS):
    model.train()
    train_labels, train_preds = [], []
    train_running_loss = 0
    for img, label in train_dataloader:
        y_pred = model(img)
        loss = criterion(y_pred, label)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        train_running_loss += loss.item()
        train_labels.extend(label.tolist())
        train_preds.extend(y_pred.argmax(dim=1).tolist())
    train_loss = train_running_loss / len(train_dataloader)

    model.eval()
    val_labels, val_preds = [], []
    val_running_loss = 0
    with torch.no_grad():
        for img, label in val_dataloader:
            y_pred = model(img)
            val_running_loss += criterion(y_pred, label).item()
            val_labels.extend(label.tolist())
            val_preds.extend(y_pred.argmax(dim=1).tolist())
    val_loss = val_running_loss / len(val_dataloader)

    train_acc = np.mean(np.array(train_preds) == np.array(train_labels))
    val_acc = np.mean(np.array(val_preds) == np.array(val_labels))
    print("-" * 30)
    print(f"EPOCH {epoch + 1}")
    print(f"Train Loss EPOCH {epoch + 1}: {train_loss:.4f}")
    print(f"Valid Loss EPOCH {epoch + 1}: {val_loss:.4f}")
    print(f"Train Accuracy EPOCH {epoch + 1}: {train_acc:.4f}")
    print(f"Valid Accuracy EPOCH {epoch + 1}: {val_acc:.4f}")
print("-" * 30)

torch.save(model.state_dict(), "vit_digits.pt")
print("saved vit_digits.pt")
