"""The PyTorch side of bench/compare/cpu-speed.sh and clip-encode.sh: open_clip's own image towers and image transform,
PIL decoding, timed the way Palate's JMH runs are (one warm-up period, then timed periods of at least SECONDS each and at
least one call each; the rate is the mean over the timed periods). Not part of Palate's build or tests.

  python cpu_speed_torch.py encode ARCH DTYPE THREADS BATCH SECONDS   # ARCH: vit-b-16 | vit-l-14; DTYPE: fp32 | bf16
  python cpu_speed_torch.py decode JPEG SECONDS                        # decode + open_clip's val transform, 1 thread
  python cpu_speed_torch.py mkjpeg PATH [SEED]                         # the 1024x1024 test JPEG (PIL, quality 95)
  python cpu_speed_torch.py hpsv2-loop MODEL_DIR IMAGE_DIR PROMPT       # HPSv2's per-image loop, for peak-rss.sh
encode and decode print one number: images/s."""
import io
import logging
import sys
import time

PERIODS = 2  # timed periods after the warm-up one, as JMH's -wi 1 -i 2

# OpenAI-trained towers: QuickGELU, as Palate's ClipEncodeBench configurations (ClipConfig vit-b-16 / vitL14)
ARCHS = {"vit-b-16": "ViT-B-16-quickgelu", "vit-l-14": "ViT-L-14-quickgelu"}


def rate(call, images_per_call, seconds):
    start = time.perf_counter()
    while True:  # warm-up period
        call()
        if time.perf_counter() - start >= seconds:
            break
    rates = []
    for _ in range(PERIODS):
        n, start = 0, time.perf_counter()
        while True:
            call()
            n += images_per_call
            elapsed = time.perf_counter() - start
            if elapsed >= seconds:
                break
        rates.append(n / elapsed)
    return sum(rates) / len(rates)


def encode(arch, dtype, threads, batch, seconds):
    import torch
    import open_clip
    logging.disable(logging.WARNING)  # "No pretrained weights loaded": random weights are the point
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    dt = {"fp32": torch.float32, "bf16": torch.bfloat16}[dtype]
    visual = open_clip.create_model(ARCHS[arch], pretrained=None).visual.eval().to(dt)
    size = visual.image_size[0] if isinstance(visual.image_size, tuple) else visual.image_size
    x = torch.randn(batch, 3, size, size).to(dt)
    with torch.inference_mode():
        return rate(lambda: visual(x).sum().item(), batch, seconds)


def decode(jpeg, seconds):
    import torch
    import open_clip
    from PIL import Image
    torch.set_num_threads(1)
    preprocess = open_clip.image_transform(224, is_train=False)  # Resize(224, BICUBIC), CenterCrop, RGB, ToTensor, Normalize
    data = open(jpeg, "rb").read()
    return rate(lambda: preprocess(Image.open(io.BytesIO(data))), 1, seconds)


def hpsv2_loop(model_dir, image_dir, prompt):
    """HPSv2 img_score.score() as its README runs it: one image at a time, open, preprocess, encode image and text,
    cosine. The model is the open_clip config + state dict in MODEL_DIR (open_clip_config.json, open_clip_state.pt);
    the transform is open_clip's 'longest' resize + pad, HPSv2's ResizeMaxSize + pad in open_clip 3.x."""
    import json
    import os
    import torch
    import open_clip
    from open_clip import factory
    from PIL import Image
    logging.disable(logging.WARNING)
    with open(os.path.join(model_dir, "open_clip_config.json")) as f:
        cfg = json.load(f)
    factory._MODEL_CONFIGS["palate-rss"] = cfg
    model = open_clip.create_model("palate-rss", pretrained=None).eval()
    state = torch.load(os.path.join(model_dir, "open_clip_state.pt"), weights_only=True)
    state = state.get("state_dict", state)  # HPSv2's {"state_dict": ...} layout, keys maybe under "module."
    model.load_state_dict({k.removeprefix("module."): v for k, v in state.items()})
    size = cfg["vision_cfg"]["image_size"]
    preprocess = open_clip.image_transform(size, is_train=False, resize_mode="longest")
    tokenizer = open_clip.get_tokenizer("ViT-B-16")
    scores = []
    with torch.inference_mode():
        for name in sorted(os.listdir(image_dir)):
            image = preprocess(Image.open(os.path.join(image_dir, name))).unsqueeze(0)
            img = model.encode_image(image)
            txt = model.encode_text(tokenizer([prompt]))
            img, txt = img / img.norm(dim=-1, keepdim=True), txt / txt.norm(dim=-1, keepdim=True)
            scores.append((img @ txt.T).item())
    return len(scores)


def mkjpeg(path, seed=7):
    import numpy as np
    from PIL import Image
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:1024, 0:1024]
    img = np.stack([np.minimum(255, (x + y * (c + 1)) // 12 + rng.integers(0, 40, size=x.shape)) for c in range(3)], -1)
    Image.fromarray(img.astype(np.uint8)).save(path, quality=95)
    return 0


if __name__ == "__main__":
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == "encode":
        print(f"{encode(args[0], args[1], int(args[2]), int(args[3]), float(args[4])):.4f}")
    elif cmd == "decode":
        print(f"{decode(args[0], float(args[1])):.4f}")
    elif cmd == "mkjpeg":
        mkjpeg(args[0], int(args[1]) if len(args) > 1 else 7)
    elif cmd == "hpsv2-loop":
        print(hpsv2_loop(args[0], args[1], args[2]))
    else:
        sys.exit("usage: cpu_speed_torch.py encode|decode|mkjpeg ...")
