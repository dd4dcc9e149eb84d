"""OpenSanctions logic-v2 scores for bench/screening_quality.py, run by an interpreter that has `nomenklatura`
installed (it is not an ExCon dependency): reads [{schema, query, names}] as JSON on stdin, writes one score per
item (the best over the listed names, all names on one entity) as a JSON list on stdout."""

from __future__ import annotations

import json
import sys


def main() -> None:
    from followthemoney import model
    from nomenklatura.matching import LogicV2
    from nomenklatura.matching.types import ScoringConfig

    config = ScoringConfig.defaults()
    scores = []
    for number, item in enumerate(json.load(sys.stdin)):
        query = model.make_entity(item["schema"])
        query.id = f"q{number}"
        query.add("name", item["query"])
        result = model.make_entity(item["schema"])
        result.id = f"r{number}"
        result.add("name", item["names"] or ["-"])
        scores.append(LogicV2.compare(query, result, config).score)
    json.dump(scores, sys.stdout)


if __name__ == "__main__":
    main()
