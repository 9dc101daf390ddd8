"""Reference timing for bench/compare/qwen3vl-layer.sh: transformers' own Qwen3VLTextDecoderLayer
(modeling_qwen3_vl.py) at Qwen3-VL-8B sizes (hidden 4096, 32/8 heads x 128, MLP 12288), random weights, SDPA, CPU,
inference mode: "prefill" = a CONTEXT-token prompt into an empty DynamicCache; "decode" = one token per row against a
cache of CONTEXT tokens (re-cropped after each step). Prints "torch <mode> <dtype> <tokens/s>".
Not part of Palate's build or tests; needs a Python with torch and transformers (5.x).
usage: qwen3vl_layer_torch.py THREADS SECONDS CONTEXT BATCH DTYPES(bf16,fp32)"""
import sys
import time

import torch
from transformers import Qwen3VLConfig
from transformers.cache_utils import DynamicCache
from transformers.models.qwen3_vl import modeling_qwen3_vl as m

DTYPES = {"fp32": torch.float32, "bf16": torch.bfloat16, "fp16": torch.float16}


def layer(dtype):
    c = Qwen3VLConfig().text_config
    c.hidden_size, c.intermediate_size, c.num_attention_heads, c.num_key_value_heads, c.head_dim = 4096, 12288, 32, 8, 128
    c.num_hidden_layers = 1
    c.rope_parameters = {"rope_type": "default", "rope_theta": 5e6, "mrope_section": [24, 20, 20], "mrope_interleaved": True}
    c._attn_implementation = "sdpa"
    module = m.Qwen3VLTextDecoderLayer(c, 0)
    for p in module.parameters():
        torch.nn.init.normal_(p, std=0.02)
    return module.to(dtype).eval(), m.Qwen3VLTextRotaryEmbedding(c), c


def timed(run, tokens, seconds):
    run()
    n, start = 0, time.perf_counter()
    while n == 0 or time.perf_counter() - start < seconds:
        run()
        n += tokens
    return n / (time.perf_counter() - start)


def main():
    threads, seconds, context, batch = int(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    for name in sys.argv[5].split(","):
        dtype = DTYPES[name]
        module, rotary, config = layer(dtype)
        with torch.inference_mode():
            prompt = torch.randn(1, context, 4096, dtype=dtype)
            pos = torch.arange(context).view(1, 1, -1).expand(3, 1, -1)
            cos_sin = rotary(prompt, pos)

            def prefill():
                cache = DynamicCache(config=config)
                module(prompt, position_embeddings=cos_sin, attention_mask=None, past_key_values=cache).float().sum().item()
            print(f"torch prefill {name} {timed(prefill, context, seconds):.3f}", flush=True)

            cache = DynamicCache(config=config)
            ctx = torch.randn(batch, context, 4096, dtype=dtype)
            module(ctx, position_embeddings=rotary(ctx, pos.expand(3, batch, -1)), attention_mask=None, past_key_values=cache)
            token = torch.randn(batch, 1, 4096, dtype=dtype)
            step_cs = rotary(token, torch.full((3, batch, 1), context))

            def decode():
                module(token, position_embeddings=step_cs, attention_mask=None, past_key_values=cache).float().sum().item()
                cache.crop(-1)  # drop the step just added
            print(f"torch decode {name} {timed(decode, batch, seconds):.3f}", flush=True)


if __name__ == "__main__":
    main()
