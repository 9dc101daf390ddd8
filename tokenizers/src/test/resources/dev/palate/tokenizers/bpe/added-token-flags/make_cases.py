# Writes tokenizer.json (a tiny byte-level BPE whose added tokens use every flag) and cases.jsonl (ids, tokens and
# both decodes by the Rust tokenizers). Provenance only: not run by the build.
# Run: PYTHONPATH=<tokenizers 0.23.2 wheel, unzipped> python3 make_cases.py
import json
from tokenizers import Tokenizer

printable = list(range(ord('!'), ord('~') + 1)) + list(range(0xA1, 0xAD)) + list(range(0xAE, 0x100))
byte_chars, n = {}, 0
for b in range(256):
    if b in printable:
        byte_chars[b] = chr(b)
    else:
        byte_chars[b] = chr(256 + n)
        n += 1
vocab = {byte_chars[b]: b for b in range(256)}
merges = [["h", "e"], ["l", "l"], ["he", "ll"], ["hell", "o"], ["Ġ", "w"], ["o", "r"], ["Ġw", "or"], ["Ġ", "Ġ"],
          ["c", "a"], ["ca", "t"], ["Ġ", "ca"], ["Ġca", "t"]]
for a, b in merges:
    vocab[a + b] = len(vocab)
tokenizer = {
    "version": "1.0", "truncation": None, "padding": None,
    "added_tokens": [
        {"id": 1000, "content": "<s>", "single_word": False, "lstrip": False, "rstrip": False, "normalized": False, "special": True},
        {"id": 1001, "content": "<L>", "single_word": False, "lstrip": True, "rstrip": False, "normalized": False, "special": True},
        {"id": 1002, "content": "<R>", "single_word": False, "lstrip": False, "rstrip": True, "normalized": False, "special": False},
        {"id": 1003, "content": "cat", "single_word": True, "lstrip": False, "rstrip": False, "normalized": False, "special": False},
        {"id": 1004, "content": "ﬁx", "single_word": False, "lstrip": False, "rstrip": False, "normalized": True, "special": True},
        {"id": 1005, "content": "he", "single_word": False, "lstrip": False, "rstrip": False, "normalized": False, "special": True},
        {"id": 1006, "content": "<s>x", "single_word": False, "lstrip": False, "rstrip": False, "normalized": False, "special": False},
    ],
    "normalizer": {"type": "NFKC"},
    "pre_tokenizer": {"type": "Sequence", "pretokenizers": [
        {"type": "Split", "pattern": {"Regex": r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"},
         "behavior": "Isolated", "invert": False},
        {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": False, "use_regex": False}]},
    "post_processor": None,
    "decoder": {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": False, "use_regex": False},
    "model": {"type": "BPE", "dropout": None, "unk_token": None, "continuing_subword_prefix": "", "end_of_word_suffix": "",
              "fuse_unk": False, "byte_fallback": False, "ignore_merges": False, "vocab": vocab,
              "merges": [" ".join(m) for m in merges]},
}
with open("tokenizer.json", "w", encoding="utf-8") as f:
    json.dump(tokenizer, f, ensure_ascii=False, indent=1)

texts = ["hello world", "say hello", "a  <L>  b", "<L>x", "x<L>", "a <R>   b", "a<R>\n\nb", "cat", "a cat sat", "concat",
         "cats", "cat!", "_cat", "ﬁx it", "fix it", "ﬁ x", "<s>x<s>", "<s><s>x", "hello<s>he", "  <L><R>  ", "worldcat cat",
         "ＦＵＬＬ ﬁx ①", ""]
tok = Tokenizer.from_file("tokenizer.json")
with open("cases.jsonl", "w", encoding="utf-8") as f:
    for t in texts:
        e = tok.encode(t, add_special_tokens=False)
        f.write(json.dumps({"text": t, "ids": e.ids, "tokens": e.tokens,
                            "decoded": tok.decode(e.ids, skip_special_tokens=False),
                            "decoded_skip_special": tok.decode(e.ids, skip_special_tokens=True)}, ensure_ascii=False) + "\n")
    ids = {t: tok.token_to_id(t) for t in ["<s>", "<L>", "<R>", "cat", "ﬁx", "he", "<s>x"]}
    f.write(json.dumps({"token_to_id": ids, "vocab_size": tok.get_vocab_size(with_added_tokens=True)}, ensure_ascii=False) + "\n")
