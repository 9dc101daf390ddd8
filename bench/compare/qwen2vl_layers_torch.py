"""Reference timing for bench/compare/qwen2vl-layers.sh: transformers' own Qwen2VLDecoderLayer and
Qwen2VLVisionBlock (modeling_qwen2_vl.py) at Qwen2-VL-7B sizes, random weights, SDPA attention, CPU, inference mode,
one sequence of <tokens> tokens (the decoder layer with causal attention and 1-D M-RoPE positions, the vision block
over one image of that many patches). Prints "torch <layer> <dtype> <tokens/s>" per configuration.
Not part of Palate's build or tests; needs a Python with torch and transformers (5.x).
usage: qwen2vl_layers_torch.py THREADS SECONDS TOKENS LAYERS(decoder,vision) DTYPES(fp32,bf16)"""
import math
import sys
import time

import torch
from transformers import Qwen2VLConfig
from transformers.models.qwen2_vl import modeling_qwen2_vl as m

DTYPES = {"fp32": torch.float32, "bf16": torch.bfloat16, "fp16": torch.float16}


def grid_rows(n):
    for h in range(int(math.isqrt(n)), 1, -1):
        if n % h == 0 and h % 2 == 0 and (n // h) % 2 == 0:
            return h
    raise SystemExit(f"{n} patches do not form a grid with even sides")


def build(layer, dtype, tokens):
    config = Qwen2VLConfig()  # Qwen2-VL-7B-Instruct sizes: hidden 3584, 28/4 heads, vision 1280/16
    config.text_config.hidden_size, config.text_config.intermediate_size = 3584, 18944
    config.text_config.num_attention_heads, config.text_config.num_key_value_heads = 28, 4
    config.text_config.rope_parameters = {"rope_type": "default", "rope_theta": 1e6, "mrope_section": [16, 24, 24]}
    config.text_config._attn_implementation = "sdpa"
    config.vision_config._attn_implementation = "sdpa"
    if layer == "decoder":
        module = m.Qwen2VLDecoderLayer(config.text_config, 0)
        rotary = m.Qwen2VLRotaryEmbedding(config.text_config)
        x = torch.randn(1, tokens, 3584, dtype=dtype)
        pos = torch.arange(tokens).view(1, 1, -1).expand(3, 1, -1)

        def run():
            cos, sin = rotary(x, pos)
            return module(x, attention_mask=None, position_embeddings=(cos, sin))
    else:
        module = m.Qwen2VLVisionBlock(config.vision_config)
        rotary = m.Qwen2VLVisionRotaryEmbedding(config.vision_config)
        rows = grid_rows(tokens)
        grid = torch.tensor([[1, rows, tokens // rows]])
        x = torch.randn(tokens, 1280, dtype=dtype)
        ids = m.get_vision_position_ids(grid, 2)
        cu = torch.tensor([0, tokens], dtype=torch.int32)

        def run():
            cos, sin = rotary(x, ids)
            return module(x, cu_seqlens=cu, position_embeddings=(cos, sin))
    for p in module.parameters():
        torch.nn.init.normal_(p, std=0.02)
    module = module.to(dtype).eval()
    return run


def main():
    threads, seconds, tokens = int(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3])
    layers, dtypes = sys.argv[4].split(","), sys.argv[5].split(",")
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    for layer in layers:
        for name in dtypes:
            run = build(layer, DTYPES[name], tokens)
            with torch.inference_mode():
                run()
                n, start = 0, time.perf_counter()
                while n == 0 or time.perf_counter() - start < seconds:
                    out = run()
                    (out[0] if isinstance(out, tuple) else out).float().sum().item()
                    n += tokens
                print(f"torch {layer} {name} {n / (time.perf_counter() - start):.3f}", flush=True)


if __name__ == "__main__":
    main()
