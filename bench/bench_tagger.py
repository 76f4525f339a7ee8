"""Throughput of the whole tagger on the real ReliefWeb bodies, beside spaCy's tokenizer.

Usage (from the repository root):
    .venv/bin/python -m bench.bench_tagger [--repeat 5]

Both are timed in the same run on the same texts. The machine is shared, so the two are
timed in alternation (tokenizer pass, tagger pass, repeat): each pair sees the same load,
and the figure reported is the median of the pair ratios, beside the best time of each.
The ratio tagger / tokenizer words per second must stay at or above 0.5.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable

from bench.eval_tagger import reliefweb_bodies
from nlp.pipeline import build_pipeline
from nlp.tagger import tag_text


def timed(run: Callable[[], object]) -> float:
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    texts = [text for _, text in reliefweb_bodies()]
    if not texts:
        print("no ReliefWeb bodies under ../shared/corpus/reliefweb", file=sys.stderr)
        return 1
    nlp = build_pipeline()
    words = sum(len(text.split()) for text in texts)
    for text in texts[:20]:
        tag_text(nlp, text)  # warm the vocabulary and caches
    pairs = []
    for _ in range(args.repeat):
        tokenizer = timed(lambda: [nlp.make_doc(t) for t in texts])
        tagger = timed(lambda: [tag_text(nlp, t) for t in texts])
        pairs.append((tokenizer, tagger))
    best_tokenizer = min(p[0] for p in pairs)
    best_tagger = min(p[1] for p in pairs)
    ratios = [tok / tag for tok, tag in pairs]
    print(f"documents: {len(texts)}, words: {words}")
    print(f"spaCy tokenizer alone: {words / best_tokenizer:,.0f} words/s (best of {args.repeat})")
    print(f"whole tagger (tag_text): {words / best_tagger:,.0f} words/s (best of {args.repeat})")
    print(f"ratio tagger / tokenizer, per pair: {', '.join(f'{r:.2f}' for r in ratios)}")
    print(f"ratio tagger / tokenizer: {statistics.median(ratios):.2f} (median of the pairs)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
