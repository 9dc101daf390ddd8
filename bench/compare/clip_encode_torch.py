"""Reference timing for bench/compare/clip-encode.sh: the open_clip ViT image tower (conv patches, class token,
ln_pre, pre-norm blocks with nn.MultiheadAttention, ln_post, projection) in PyTorch eager, random weights,
fp32 CPU, inference mode. Prints one line per batch size: "torch <batch> <images/s>".
Not part of Palate's build or tests; needs a Python with torch."""
import sys
import time

import torch
from torch import nn


class Block(nn.Module):
    def __init__(self, width, heads, mlp):
        super().__init__()
        self.ln_1 = nn.LayerNorm(width)
        self.attn = nn.MultiheadAttention(width, heads, batch_first=True)
        self.ln_2 = nn.LayerNorm(width)
        self.c_fc = nn.Linear(width, mlp)
        self.c_proj = nn.Linear(mlp, width)

    def forward(self, x):
        h = self.ln_1(x)
        x = x + self.attn(h, h, h, need_weights=False)[0]
        h = self.c_fc(self.ln_2(x))
        return x + self.c_proj(h * torch.sigmoid(1.702 * h))  # QuickGELU, as OpenAI ViT-B/16


class Vision(nn.Module):
    def __init__(self, width=768, layers=12, heads=12, patch=16, size=224, mlp=3072, embed=512):
        super().__init__()
        self.conv1 = nn.Conv2d(3, width, patch, patch, bias=False)
        grid = size // patch
        self.class_embedding = nn.Parameter(torch.randn(width))
        self.positional_embedding = nn.Parameter(torch.randn(grid * grid + 1, width))
        self.ln_pre = nn.LayerNorm(width)
        self.blocks = nn.ModuleList([Block(width, heads, mlp) for _ in range(layers)])
        self.ln_post = nn.LayerNorm(width)
        self.proj = nn.Parameter(torch.randn(width, embed))

    def forward(self, x):
        x = self.conv1(x).flatten(2).transpose(1, 2)
        cls = self.class_embedding.expand(x.shape[0], 1, -1)
        x = torch.cat([cls, x], 1) + self.positional_embedding
        x = self.ln_pre(x)
        for b in self.blocks:
            x = b(x)
        return self.ln_post(x[:, 0]) @ self.proj


def main():
    threads = int(sys.argv[1])
    seconds = float(sys.argv[2])
    batches = [int(b) for b in sys.argv[3].split(",")]
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    model = Vision().eval()
    for batch in batches:
        x = torch.randn(batch, 3, 224, 224)
        with torch.inference_mode():
            for _ in range(2):
                model(x).sum().item()
            n, start = 0, time.perf_counter()
            while time.perf_counter() - start < seconds:
                model(x).sum().item()
                n += batch
            print(f"torch {batch} {n / (time.perf_counter() - start):.3f}", flush=True)


if __name__ == "__main__":
    main()
