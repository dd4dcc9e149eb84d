"""List parsers, one module per published format. Each exposes `parse(paths, result) -> Iterator[ParsedEntry]`."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

from . import eu_xml, ftm, ofac_csv, ofac_xml, uk_csv, un_xml
from .base import ImportRefused, ParsedEntry, ParseResult

Parser = Callable[[list[Path], ParseResult], Iterator[ParsedEntry]]


def parser_for(source: str, paths: list[Path]) -> Parser:
    """The parser for a source, chosen by the files' format where a source publishes several."""
    suffixes = {path.suffix.lower() for path in paths}
    if source == "un":
        return un_xml.parse
    if source == "ofac":
        return ofac_xml.parse if suffixes == {".xml"} else ofac_csv.parse
    if source == "eu":
        return eu_xml.parse
    if source == "uk":
        return uk_csv.parse
    if source == "opensanctions":
        return ftm.parse
    raise ImportRefused(f"no importer for source {source!r}", details={"source": source})


__all__ = ["ImportRefused", "ParseResult", "ParsedEntry", "Parser", "parser_for"]
