"""Copy the pinned npm front-end assets into src/excon/static/vendor (git-ignored), served by WhiteNoise.

GOV.UK Frontend is MIT-licensed, but its GDS Transport font and the crown artwork may only be used on GOV.UK
services, so the fonts are not copied, their @font-face rules are removed and the font stack falls back to the
system sans-serif (see docs/decisions.md).
"""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NODE = ROOT / "node_modules"
DEST = ROOT / "src" / "excon" / "static" / "vendor"
STATIC_URL_PREFIX = "/static/vendor/govuk/assets/"


def main() -> int:
    govuk = NODE / "govuk-frontend" / "dist" / "govuk"
    if not govuk.exists():
        print("node_modules is missing: run `npm ci` first", file=sys.stderr)
        return 1
    if DEST.exists():
        shutil.rmtree(DEST)
    (DEST / "govuk" / "assets").mkdir(parents=True)
    css = (govuk / "govuk-frontend.min.css").read_text(encoding="utf-8")
    css = re.sub(r"@font-face\{[^}]*\}", "", css)
    css = css.replace('"GDS Transport",', "")
    css = css.replace("url(/assets/", f"url({STATIC_URL_PREFIX}")
    (DEST / "govuk" / "govuk-frontend.min.css").write_text(css, encoding="utf-8")
    shutil.copy2(govuk / "govuk-frontend.min.js", DEST / "govuk" / "govuk-frontend.min.js")
    shutil.copytree(govuk / "assets" / "images", DEST / "govuk" / "assets" / "images")
    (DEST / "htmx").mkdir()
    shutil.copy2(NODE / "htmx.org" / "dist" / "htmx.min.js", DEST / "htmx" / "htmx.min.js")
    (DEST / "chartjs").mkdir()
    shutil.copy2(NODE / "chart.js" / "dist" / "chart.umd.min.js", DEST / "chartjs" / "chart.umd.min.js")
    (DEST / "autocomplete").mkdir()
    autocomplete = NODE / "accessible-autocomplete" / "dist"
    for name in ("accessible-autocomplete.min.js", "accessible-autocomplete.min.css"):
        shutil.copy2(autocomplete / name, DEST / "autocomplete" / name)
    print(f"front-end assets copied to {DEST.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
