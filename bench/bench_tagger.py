"""Throughput of the whole tagger on the real ReliefWeb bodies, beside spaCy's tokenizer.

Usage (from the repository root):
    .venv/bin/python -m bench.bench_tagger [--repeat 3]

Both are timed in the same run on the same texts (best of --repeat); the ratio
tagger / tokenizer words per second must stay at or above 0.5.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable

from bench.eval_tagger import reliefweb_bodies
from nlp.pipeline import build_pipeline
from nlp.tagger import tag_text


def best_time(run: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    texts = [text for _, text in reliefweb_bodies()]
    if not texts:
        print("no ReliefWeb bodies under ../shared/corpus/reliefweb", file=sys.stderr)
        return 1
    nlp = build_pipeline()
    words = sum(len(text.split()) for text in texts)
    tokenizer = best_time(lambda: [nlp.make_doc(t) for t in texts], args.repeat)
    tagger = best_time(lambda: [tag_text(nlp, t) for t in texts], args.repeat)
    print(f"documents: {len(texts)}, words: {words}")
    print(f"spaCy tokenizer alone: {words / tokenizer:,.0f} words/s")
    print(f"whole tagger (tag_text): {words / tagger:,.0f} words/s")
    print(f"ratio tagger / tokenizer: {tokenizer / tagger:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
