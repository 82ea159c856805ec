"""python -m demo OUT_DIR [--scale national] [--seed N]: write the demo input files and list them."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from demo.generate import generate


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m demo", description=__doc__)
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--scale", choices=["locality", "national"], default="locality")
    parser.add_argument("--seed", type=int, default=2021)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    paths = generate(args.out_dir, args.scale, args.seed)
    for path in paths:
        print(f"{path.stat().st_size:>12,}  {path}")
    print(f"{len(paths)} files in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
