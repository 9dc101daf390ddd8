"""Reference timing for bench/compare/qwen35-layers.sh: transformers' own Qwen3_5GatedDeltaNet and Qwen3_5Attention
(modeling_qwen3_5.py; the delta-net on its PyTorch fallbacks, as without the fla/causal_conv1d kernels) at
Qwen3.5-9B sizes, random weights, CPU, inference mode: "prefill" = a CONTEXT-token prompt into an empty
DynamicCache, "decode" = one token against the cache after CONTEXT tokens (restored after each step).
Prints "torch <mode> <mixer> <dtype> <tokens/s>". Not part of Palate's build or tests.
usage: qwen35_layers_torch.py THREADS SECONDS CONTEXT MIXERS(deltanet,attention) DTYPE"""
import copy
import sys
import time

import torch
from transformers import Qwen3_5Config
from transformers.cache_utils import DynamicCache
from transformers.models.qwen3_5 import modeling_qwen3_5 as m

DTYPES = {"fp32": torch.float32, "bf16": torch.bfloat16}


def config(linear):
    c = Qwen3_5Config().text_config
    c.hidden_size, c.num_attention_heads, c.num_key_value_heads, c.head_dim = 4096, 16, 4, 256
    c.linear_num_key_heads, c.linear_num_value_heads, c.linear_key_head_dim, c.linear_value_head_dim = 16, 32, 128, 128
    c.num_hidden_layers = 1
    c.layer_types = ["linear_attention" if linear else "full_attention"]
    c._attn_implementation = "sdpa"
    return c


def timed(run, tokens, seconds):
    run()
    n, start = 0, time.perf_counter()
    while n == 0 or time.perf_counter() - start < seconds:
        run()
        n += tokens
    return n / (time.perf_counter() - start)


def main():
    threads, seconds, context = int(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3])
    dtype_name = sys.argv[5]
    dtype = DTYPES[dtype_name]
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    for mixer in sys.argv[4].split(","):
        linear = mixer == "deltanet"
        c = config(linear)
        module = m.Qwen3_5GatedDeltaNet(c, 0) if linear else m.Qwen3_5Attention(c, 0)
        for p in module.parameters():
            torch.nn.init.normal_(p, std=0.02)
        module = module.to(dtype).eval()
        rotary = m.Qwen3_5TextRotaryEmbedding(c)
        prompt = torch.randn(1, context, 4096, dtype=dtype)
        token = torch.randn(1, 1, 4096, dtype=dtype)

        def call(x, cache, start):
            if linear:
                return module(x, cache_params=cache)
            pos = torch.arange(start, start + x.shape[1]).view(1, 1, -1).expand(3, 1, -1)
            return module(x, position_embeddings=rotary(x, pos), attention_mask=None, past_key_values=cache)[0]

        with torch.inference_mode():
            print(f"torch prefill {mixer} {dtype_name} {timed(lambda: call(prompt, DynamicCache(config=c), 0).float().sum().item(), context, seconds):.3f}", flush=True)
            cache = DynamicCache(config=c)
            call(prompt, cache, 0)
            saved = copy.deepcopy(cache)

            def step():
                nonlocal cache
                call(token, cache, context).float().sum().item()
                cache = copy.deepcopy(saved) if linear else cache
                if not linear:
                    cache.crop(-1)
            print(f"torch decode {mixer} {dtype_name} {timed(step, 1, seconds):.3f}", flush=True)


if __name__ == "__main__":
    main()
