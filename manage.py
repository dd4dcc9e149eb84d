#!/usr/bin/env python
"""Django's manage.py for ExCon; the `excon` command does the same with friendlier names."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent / "src"))

from excon.cli import main  # noqa: E402

if __name__ == "__main__":
    main()
