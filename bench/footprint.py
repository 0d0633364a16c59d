"""How light is tratado? Median `import tratado` time and the size of a core install.

Run from the repository root::

    python bench/footprint.py            # import time of the tratado on sys.path
    python bench/footprint.py --install  # also builds a fresh venv with the core install

Import time is measured in fresh interpreter processes (the median of ``--repeat``
runs), next to the import time of numpy alone, which is most of it.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import venv
from pathlib import Path

PROBE = "import time; t = time.perf_counter(); import {module}; print(time.perf_counter() - t)"


def import_time(python: str, module: str, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        out = subprocess.run([python, "-c", PROBE.format(module=module)], capture_output=True,
                             text=True, check=True)
        times.append(float(out.stdout))
    return statistics.median(times)


def folder_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--install", action="store_true", help="measure a fresh core install")
    args = parser.parse_args()
    python = sys.executable
    if args.install:
        folder = Path(tempfile.mkdtemp()) / "venv"
        venv.create(folder, with_pip=True)
        python = str(folder / "bin" / "python")
        root = Path(__file__).resolve().parents[1]
        subprocess.run([python, "-m", "pip", "install", "--quiet", str(root)], check=True)
        site = next(folder.glob("lib/python*/site-packages"))
        tooling = sum(folder_size(p) for p in site.iterdir()
                      if p.name.split("-")[0] in ("pip", "setuptools", "_distutils_hack"))
        total = folder_size(site) - tooling
        print(f"core install (site-packages without pip/setuptools): {total / 2**20:.0f} MiB")
    numpy_time = import_time(python, "numpy", args.repeat)
    tratado_time = import_time(python, "tratado", args.repeat)
    print(f"import numpy   : {numpy_time * 1000:.0f} ms (median of {args.repeat})")
    print(f"import tratado : {tratado_time * 1000:.0f} ms (median of {args.repeat}, numpy included)")


if __name__ == "__main__":
    main()
