"""Driver of bench/compare/cpu-speed.sh: Palate (JMH, bench/run) and PyTorch (cpu_speed_torch.py) interleaved case by
case, ROUNDS rounds, the same thread count on both sides; prints per case the median images/s of each side, the median
of the per-round ratios Palate / PyTorch, and the 1-minute load average before each run (uptime). Not part of the build.

  python cpu_speed.py [--rounds 3] [--seconds 3] [--cases all|fp32|fp32-b16|bf16|decode] [--csv out.csv]
                      [--openblas default,1]   # Palate once per OpenBLAS pool setting (-Dpalate.openblasThreads), one row each"""
import argparse
import csv
import os
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
RUN = os.path.join(HERE, "..", "run")
TORCH_SIDE = os.path.join(HERE, "cpu_speed_torch.py")


def cases(which):
    out = []
    if which in ("all", "fp32", "fp32-b16"):
        sizes = ("vit-b-16",) if which == "fp32-b16" else ("vit-b-16", "vit-l-14")
        out += [("encode", size, "fp32", t, b) for size in sizes for t in (1, 2) for b in (1, 8)]
    if which in ("all", "bf16"):
        out += [("encode", "vit-b-16", "bf16", t, 1) for t in (1, 2)]
    if which in ("all", "decode"):
        out += [("decode", "jpeg-1024", "uint8", 1, 1)]
    return out


def load():
    with open("/proc/loadavg") as f:
        return float(f.read().split()[0])


def palate(case, seconds, jpeg, work, openblas):
    kind, size, dtype, threads, batch = case
    out = os.path.join(work, "jmh.csv")
    jvm = [] if openblas == "default" else ["-jvmArgsPrepend", f"-Dpalate.openblasThreads={openblas}"]  # Append would replace @Fork's flags
    timing = jvm + ["-f", "1", "-wi", "1", "-w", str(seconds), "-i", "2", "-r", str(seconds), "-rf", "csv", "-rff", out]
    if kind == "encode":
        args = ["ClipEncodeBench.encode", "-p", f"size={size}", "-p", f"dtype={dtype}", "-p", f"threads={threads}",
                "-p", f"batch={batch}"]
        row_name = "dev.palate.bench.ClipEncodeBench.encode:images"
    else:
        args = ["PreprocessBench.decodeAndP1SingleThread", "-p", f"jpegFile={jpeg}"]
        row_name = "dev.palate.bench.PreprocessBench.decodeAndP1SingleThread"
    subprocess.run([RUN] + args + timing, check=True, stdout=subprocess.DEVNULL)
    with open(out) as f:
        for row in csv.DictReader(f):
            if row["Benchmark"] == row_name:
                return float(row["Score"])
    raise RuntimeError(f"no {row_name} row in {out}")


def pytorch(case, seconds, jpeg):
    kind, size, dtype, threads, batch = case
    args = ["encode", size, dtype, str(threads), str(batch), str(seconds)] if kind == "encode" else ["decode", jpeg, str(seconds)]
    env = dict(os.environ, OMP_NUM_THREADS=str(threads))
    return float(subprocess.run([sys.executable, TORCH_SIDE] + args, check=True, capture_output=True, text=True,
                                env=env).stdout.split()[-1])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--seconds", type=int, default=3)
    ap.add_argument("--cases", default="all")
    ap.add_argument("--csv")
    ap.add_argument("--openblas", default="default")
    a = ap.parse_args()
    work = tempfile.mkdtemp(prefix="palate-cpu-speed-")
    jpeg = os.path.join(work, "bench.jpg")
    subprocess.run([sys.executable, TORCH_SIDE, "mkjpeg", jpeg], check=True)
    variants = a.openblas.split(",")
    todo = cases(a.cases)
    def distinct(c):  # openblas=N at N threads is the default itself: not run twice
        return [v for v in variants if v == "default" or "default" not in variants or int(v) != c[3]]

    results = {(c, v): [] for c in todo for v in distinct(c)}  # -> [(palate, torch, load_before_palate, load_before_torch)]
    for r in range(a.rounds):
        for c in todo:
            ps = []
            for v in distinct(c):
                ps.append((v, load(), palate(c, a.seconds, jpeg, work, v)))
            lt = load()
            t = pytorch(c, a.seconds, jpeg)
            for v, lp, p in ps:
                results[(c, v)].append((p, t, lp, lt))
                print(f"round {r + 1} {c} openblas={v}: palate {p:.3f} torch {t:.3f} ratio {p / t:.2f} load {lp:.2f}/{lt:.2f}",
                      file=sys.stderr, flush=True)
    import torch  # only for its version in the header
    print(f"# {a.rounds} rounds, interleaved, {a.seconds} s periods; torch {torch.__version__}; images/s; "
          f"ratio = median over rounds of Palate / PyTorch; load = 1-min load average before each run (min-max)")
    print(f"{'case':<12} {'dtype':<6} {'thr':>3} {'batch':>5} {'openblas':>8} {'palate':>9} {'pytorch':>9} {'ratio':>6}  load")
    rows = []
    for (c, v), rs in results.items():
        kind, size, dtype, threads, batch = c
        ratio = statistics.median(p / t for p, t, _, _ in rs)
        loads = [x for _, _, lp, lt in rs for x in (lp, lt)]
        pm, tm = statistics.median(p for p, *_ in rs), statistics.median(t for _, t, *_ in rs)
        print(f"{size:<12} {dtype:<6} {threads:>3} {batch:>5} {v:>8} {pm:>9.3f} {tm:>9.3f} {ratio:>6.2f}  {min(loads):.2f}-{max(loads):.2f}")
        rows.append((size, dtype, threads, batch, v, pm, tm, ratio, min(loads), max(loads)))
    for v in variants:
        fp32 = [r[7] for r in rows if r[1] == "fp32" and r[4] == v]
        if fp32:
            print(f"# fp32, openblas={v}: median ratio {statistics.median(fp32):.2f}, lowest {min(fp32):.2f}")
    if a.csv:
        with open(a.csv, "w", newline="") as f:
            w = csv.writer(f)
            w.writerow(["case", "dtype", "threads", "batch", "openblas", "palate", "pytorch", "ratio", "load_min", "load_max"])
            w.writerows(rows)


if __name__ == "__main__":
    main()
