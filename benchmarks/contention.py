"""The reference solves on a machine whose cores are held by other work.

    python benchmarks/contention.py [--busy 6] [--runs 3] [SCENARIO ...]

benchmarks/run.py with --busy N (default 6: on 2 cores a solve then gets about a quarter of the
machine), first on the default wall-clock limit, then on one worker and a work budget
(--work-limit, default 20), whose figures hold on any machine. Every option of run.py is passed
through.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

RUN = Path(__file__).resolve().with_name("run.py")


def main() -> None:
    args = sys.argv[1:]
    if "--busy" not in args:
        args = ["--busy", "6", *args]
    wall = subprocess.run([sys.executable, str(RUN), *args]).returncode
    if "--work-limit" not in args:
        args = ["--work-limit", "20", *args]
    print()
    work = subprocess.run([sys.executable, str(RUN), *args]).returncode
    sys.exit(wall or work)


if __name__ == "__main__":
    main()
