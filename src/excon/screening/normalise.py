"""Name normalisation: pure functions, no Django, no database.

A name becomes a tuple of ASCII tokens: transliterated (Cyrillic, Arabic, Greek, Hebrew, CJK … through anyascii),
lower-cased, stripped of diacritics and punctuation. Company legal forms (LLC, OOO, ТОВ, GmbH …) and a few
function words are *weak* tokens: kept, but they neither select candidates nor weigh in the name similarity.
`normalise_name` is idempotent: normalising its output again gives the same string."""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

import jellyfish
from anyascii import anyascii

from excon.refdata.countries import country_code

# Legal forms and function words, in their normalised (transliterated, lower-case, unpunctuated) spelling.
# ТОВ → tov, ООО → ooo, ПАО → pao, АО → ao, ЗАО → zao, ОАО → oao, ТОО → too, ЧП → chp, ПрАТ → prat …
LEGAL_FORMS = frozenset(
    """
    llc llp lp ltd limited inc incorporated corp corporation co company cos plc pte pty pvt sdn bhd gmbh ag kg
    ohg ug mbh ev sa sas sarl sca spa srl sro snc sl slu sae saog saoc sal bsc qsc psc pjsc jsc ojsc cjsc ojsc
    ooo oao zao pao ao tov too pat prat vat zat chp ip fop tdv dp kp nv bv vof cv ab as asa oy oyj aps doo dd
    ad ead ood eood zrt kft nyrt rt spzoo sp zoo fze fzco fzc fz fzllc dmcc est establishment ent enterprise
    enterprises kk yk gk the and of for de du des la le el al
    """.split()  # noqa: SIM905 - a word list reads better as text
)

# Multi-word legal forms: every token of the phrase is weak when the whole phrase occurs.
LEGAL_PHRASES: tuple[tuple[str, ...], ...] = tuple(
    tuple(phrase.split())
    for phrase in (
        "limited liability company",
        "limited liability partnership",
        "joint stock company",
        "public joint stock company",
        "closed joint stock company",
        "open joint stock company",
        "private joint stock company",
        "joint venture",
        "obshchestvo s ogranichennoi otvetstvennostiu",
        "obshchestvo s ogranichennoy otvetstvennostyu",
        "aktsionernoe obshchestvo",
        "aktsionernoye obshchestvo",
        "publichnoe aktsionernoe obshchestvo",
        "tovarystvo z obmezhenoiu vidpovidalnistiu",
        "societe anonyme",
        "sociedad anonima",
        "societa per azioni",
        "free zone establishment",
        "free zone company",
        "general trading",
        "trading company",
    )
)

_CJK = re.compile(r"([\u1100-\u11ff\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\u3040-\u30ff])")
_APOSTROPHES = re.compile(r"['’‘`ʼʻ´]")
_NON_ALNUM = re.compile(r"[^a-z0-9]+")


@dataclass(frozen=True, slots=True)
class NormalisedName:
    """A normalised name: every token in order, and which of them are strong (carry identity)."""

    tokens: tuple[str, ...]
    strong: tuple[str, ...]

    @property
    def text(self) -> str:
        return " ".join(self.tokens)

    @property
    def strong_text(self) -> str:
        return " ".join(self.strong)

    @property
    def weak(self) -> tuple[str, ...]:
        return tuple(token for token in self.tokens if token not in self.strong)


def transliterate(value: str) -> str:
    """ASCII spelling of any script. CJK and Hangul characters become separate syllables ('习近平' → 'Xi Jin Ping')."""
    value = unicodedata.normalize("NFKC", value or "")
    if _CJK.search(value):
        value = _CJK.sub(r" \1 ", value)
    return anyascii(value)


@functools.lru_cache(maxsize=200_000)
def normalise_name(value: str) -> str:
    """The canonical spelling of a name: ASCII, lower-case, single spaces, no punctuation. Idempotent."""
    text = transliterate(value).lower()
    text = _APOSTROPHES.sub("", text)  # O'Brien → obrien, Ma'ruf → maruf
    return " ".join(_NON_ALNUM.sub(" ", text).split())


def tokens_of(value: str) -> tuple[str, ...]:
    return tuple(normalise_name(value).split())


def weak_positions(tokens: tuple[str, ...]) -> set[int]:
    """Indexes of weak tokens: single-word legal forms and every word of a multi-word legal form."""
    weak = {index for index, token in enumerate(tokens) if token in LEGAL_FORMS}
    for phrase in LEGAL_PHRASES:
        width = len(phrase)
        for start in range(len(tokens) - width + 1):
            if tokens[start : start + width] == phrase:
                weak.update(range(start, start + width))
    return weak


def analyse(value: str) -> NormalisedName:
    """Tokens of a name and the strong ones among them. A name made only of weak tokens keeps them all as strong
    (the company called 'Trading Company' must still be findable)."""
    tokens = tokens_of(value)
    weak = weak_positions(tokens)
    strong = tuple(token for index, token in enumerate(tokens) if index not in weak)
    return NormalisedName(tokens=tokens, strong=strong or tokens)


@functools.lru_cache(maxsize=500_000)
def phonetic_key(token: str) -> str:
    """A sound-alike key (metaphone) for one normalised token; digits and one-letter tokens have none."""
    if len(token) < 2 or token.isdigit():
        return ""
    try:
        return jellyfish.metaphone(token)
    except (ValueError, IndexError):  # pragma: no cover - metaphone on odd input
        return ""


def is_initial(token: str) -> bool:
    return len(token) == 1 and token.isalpha()


def normalise_identifier(value: str) -> str:
    """Document and registration numbers compared without spaces, dashes or case: 'AB 12-345' → 'AB12345'."""
    return re.sub(r"[^A-Z0-9]", "", transliterate(value).upper())


def normalise_country(value: str) -> str:
    """ISO 3166 alpha-2 code for a code or an English country name as the lists write them; '' when unknown.
    A state that no longer exists counts as its successor ("USSR" → RU), as the lists' own conventions do."""
    return country_code(value, successor=True) or ""
