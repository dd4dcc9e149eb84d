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
from typing import Any

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
    bin ibn bint binti ould kabushiki kaisha sherkat sharikat shirkat tbk berhad sirketi aktiengesellschaft
    kommanditgesellschaft gesmbh spolka akcyjna sarf sapa scs scrl sprl bvba cvba eirl eurl
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
        "gesellschaft mit beschrankter haftung",
        "societe a responsabilite limitee",
        "societa a responsabilita limitata",
        "sociedad de responsabilidad limitada",
        "sociedad limitada",
        "sociedade anonima",
        "sociedade limitada",
        "spolka z ograniczona odpowiedzialnoscia",
        "sp z oo",
        "sp z o o",
        "zakrytoe aktsionernoe obshchestvo",
        "otkrytoe aktsionernoe obshchestvo",
        "publichnoe aktsionernoe obshchestvo",
        "obshchestvo s ogranichennoi otvetstvennostyu",
        "anonim sirketi",
        "limited sirketi",
        "private limited",
        "public limited company",
        "company limited",
        "sherkat sahami khass",
        "sherkat sahami aam",
        "yugen kaisha",
        "kabushiki kaisha",
        "societe par actions simplifiee",
    )
)

# Abbreviated and translated generic words, each mapped to one spelling so that "Mfg." meets "Manufacturing",
# "Intl" meets "International" and "Internacional", "Bros." meets "Brothers". Only words that mean the same in
# every name they appear in; ambiguous abbreviations (St. = Saint or Street) are left alone.
CANONICAL_WORDS: dict[str, str] = {
    word: canonical
    for canonical, words in {
        "manufacturing": "mfg mfrs mfr manufacturers manufacturer manufactures manufacture",
        "international": "intl int internat internacional internationale internazionale internasional "
        "mezhdunarodnyi mezhdunarodnaya mezhdunarodnoe mezhdunarodnyy beynelmilel",
        "brothers": "bros bro brother freres hermanos fratelli",
        "industries": "ind inds indus industry industrial industria industrie industrielle industriya industrias "
        "industrial industriale sanayi",
        "commercial": "com comm comml commerciale comercial comercio commerce kommercheskaya",
        "engineering": "eng engg engr engineers",
        "technology": "tech techs technologies technologie technologia tecnologia tekhnologii tekhnologiya",
        "services": "svc svcs serv servs service servicios servizi",
        "national": "natl nat nacional nazionale natsionalnyi natsionalnaya",
        "association": "assn assoc associates associated asociacion",
        "university": "univ universitet universidad universite",
        "institute": "inst institut instituto istituto",
        "group": "grp gruppa grupo groupe gruppe",
        "shipping": "shpg shipg",
        "trading": "trdg tradg trade traders tijarat tejarat",
        "management": "mgmt mgt",
        "corporation": "corpn",
        "general": "gen genl",
        "development": "dev devt",
        "holding": "hldg hldgs holdings",
        "petroleum": "petrol",
        "navigation": "navig",
        "laboratory": "lab labs laboratories",
        "factory": "fabrika zavod plant werk works usine",
    }.items()
    for word in words.split()
}

_CJK = re.compile(r"([\u1100-\u11ff\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\u3040-\u30ff])")
_APOSTROPHES = re.compile(r"['’‘`ʼʻ´]")
# Letters written with dots between them are one word when that word is a legal form or a country's short name:
# S.p.A. → spa, L.L.C. → llc, U.A.E. → uae; initials (V.V. Putin) stay initials.
_DOTTED = re.compile(r"(?<![a-z])(?:[a-z]\.){2,}(?:[a-z](?![a-z]))?")
GLUED_ABBREVIATIONS = frozenset({"uae", "usa", "uk", "ussr", "dprk", "prc", "roc", "rok"})
# "No. 3", "Nr 3", "#3": the number is what identifies a vessel or a special-purpose company, the word is not.
_NUMBER_WORD = re.compile(r"(?:\b(?:no|nr|num|number|hao|ho)\s*|#\s*)(?=\d)")
# CJK numerals before 号/號/호 (number) or after 第 (ordinal): 三号 → 3号, 第十三 → 第13.
_CJK_NUMERALS = "〇零一二三四五六七八九十百"
_CJK_NUMBER = re.compile(rf"(?<=第)[{_CJK_NUMERALS}]+|[{_CJK_NUMERALS}]+(?=[号號호])")
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


def cjk_number(numeral: str) -> int:
    """The value of a CJK numeral of up to three digits: 三 → 3, 十三 → 13, 二十 → 20, 一百零五 → 105."""
    digits = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"零": 0}
    total, current = 0, 0
    for char in numeral:
        if char in digits:
            current = current * 10 + digits[char] if current and char not in "十百" else digits[char]
        elif char == "十":
            total += (current or 1) * 10
            current = 0
        elif char == "百":
            total += (current or 1) * 100
            current = 0
    return total + current


def transliterate(value: str) -> str:
    """ASCII spelling of any script. CJK and Hangul characters become separate syllables ('习近平' → 'Xi Jin Ping');
    CJK numerals that number something (三号, 第十三) become digits first."""
    value = unicodedata.normalize("NFKC", value or "")
    if _CJK.search(value):
        value = _CJK_NUMBER.sub(lambda found: f" {cjk_number(found.group())} ", value)
        value = _CJK.sub(r" \1 ", value)
    return anyascii(value)


@functools.lru_cache(maxsize=200_000)
def normalise_name(value: str) -> str:
    """The canonical spelling of a name: ASCII, lower-case, single spaces, no punctuation. Idempotent."""
    text = transliterate(value).lower()
    text = _APOSTROPHES.sub("", text)  # O'Brien → obrien, Ma'ruf → maruf
    text = _DOTTED.sub(_glue_dotted, text)
    text = " ".join(_NON_ALNUM.sub(" ", text).split())
    # Digits and letters are split before the number words and marks go, so "0HO" and "0 ho" normalise alike
    # (splitting after them left a mark that a second pass removed: not idempotent).
    text = re.sub(r"(?<=[a-z])(?=\d)|(?<=\d)(?=[a-z])", " ", text)
    text = _NUMBER_WORD.sub("", text)
    text = _NUMBER_MARKS.sub("", text)
    return " ".join(text.split())


def _glue_dotted(found: re.Match[str]) -> str:
    glued = found.group().replace(".", "")
    return f" {glued} " if glued in LEGAL_FORMS or glued in GLUED_ABBREVIATIONS else found.group()


# What is left of 号 (hao, ho) after a number and of 第 (di) before one.
_NUMBER_MARKS = re.compile(r"(?<=\d) (?:hao|ho)\b|\bdi (?=\d)")


def tokens_of(value: str) -> tuple[str, ...]:
    return tuple(normalise_name(value).split())


def weak_positions(tokens: tuple[str, ...]) -> set[int]:
    """Indexes of weak tokens: single-word legal forms and every word of a multi-word legal form."""
    weak = {index for index, token in enumerate(tokens) if token in LEGAL_FORMS}
    for start, token in enumerate(tokens):
        for phrase in _PHRASES_BY_FIRST_WORD.get(token, ()):
            if tokens[start : start + len(phrase)] == phrase:
                weak.update(range(start, start + len(phrase)))
    return weak


_PHRASES_BY_FIRST_WORD: dict[str, list[tuple[str, ...]]] = {}
for _phrase in LEGAL_PHRASES:
    _PHRASES_BY_FIRST_WORD.setdefault(_phrase[0], []).append(_phrase)


def analyse(value: str) -> NormalisedName:
    """Tokens of a name and the strong ones among them. A name made only of weak tokens keeps them all as strong
    (the company called 'Trading Company' must still be findable)."""
    tokens = tuple(CANONICAL_WORDS.get(token, token) for token in tokens_of(value))
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


# Annotations around a name ---------------------------------------------------------------------------------------
# Written around names in lists and in exporters' paperwork: a vessel's former names, flag and voyage; a company's
# branch, "care of" clause, address or port. They are not the name: the name is split into its main part and the
# aliases the annotations carry (a former name is still a name of the same vessel), and the rest is set aside.

_ALIAS_MARKER = re.compile(
    r"^\s*(?:ex|f\.?\s?k\.?\s?a\.?|a\.?\s?k\.?\s?a\.?|n\.?\s?k\.?\s?a\.?|formerly(?:\s+known\s+as)?|"
    r"former(?:ly)?(?:\s+names?)?|previously(?:\s+known\s+as)?|also\s+known\s+as|now\s+known\s+as|"
    r"trading\s+as|t/a|d/b/a|dba|renamed)\b[\s.:\-–]*",
    re.I,
)
_INLINE_ALIAS = re.compile(
    r"[\s,;]+(?:ex[\s.\-–]+|f\.?k\.?a\.?\s+|a\.?k\.?a\.?\s+|formerly(?:\s+known\s+as)?\s+|former\s+name:?\s+|"
    r"previously(?:\s+known\s+as)?\s+|also\s+known\s+as\s+|trading\s+as\s+|t/a\s+|d/b/a\s+)",
    re.I,
)
_VESSEL_PREFIX = re.compile(r"^\s*(?:M/[TVY]|M\.[TVY]\.|MV|MT|SS|RV|FV|MY|LNG|LPG|ULCC|VLCC)\b[\s.:]*", re.I)
_VESSEL_PREFIX_CASED = re.compile(r"^\s*(?:M/[TVYtvy]|M\.[TVY]\.|MV|MT|SS|RV|FV|LNG|LPG|ULCC|VLCC)\b[\s.:]*")
_SET_ASIDE = re.compile(
    r"\b(?:flag(?:ged)?|flag\s+state|voy(?:age)?|imo|mmsi|call\s+sign|port\s+of\s+registry|registered\s+in|"
    r"branch|office|representative|sucursal|filiale|filial|niederlassung|succursale|in\s+liquidation|"
    r"tonnage|built|gross|dwt)\b",
    re.I,
)
_TRAILING = re.compile(
    r"(?:[\s,;\-–]+(?:flag(?:ged)?(?:\s+state)?\s*[:\-]?\s*[A-Za-z .]+$|[A-Za-z]+[\s\-]flag(?:ged)?\s*$|"
    r"voy(?:age)?\.?\s*(?:no\.?\s*)?[A-Z0-9/\-]+\b.*$|V\.\s?\d+[A-Z]?\b.*$|IMO[\s:]*\d{7}\b.*$|"
    r"port\s+of\s+registry\s*[:\-]?.*$|registered\s+in\s+.*$))",
    re.I,
)
_CARE_OF = re.compile(r"[\s,;(]+(?:c/o|c\.o\.|care\s+of|attn\.?|attention)\b.*$", re.I)
_BRANCH = re.compile(
    r"(?:[\s,;\-–]+(?:[A-Z][\w\-]*\s+)?(?:branch(?:\s+office)?|representative\s+office|rep\.?\s+office|"
    r"liaison\s+office|regional\s+office|head\s+office|sales\s+office|sucursal|filiale|niederlassung|"
    r"zweigniederlassung|succursale)\b(?:\s+(?:in|at|of)\s+[\w\- ]+)?\s*$)|"
    r"^\s*(?:branch|representative\s+office|office)\s+of\s+",
    re.I,
)
_ADDRESS_WORDS = re.compile(
    r"\b(?:street|str|st|road|rd|avenue|ave|boulevard|blvd|lane|building|bldg|floor|fl|suite|unit|tower|block|"
    r"plot|p\.?\s?o\.?\s?box|box|district|province|industrial\s+(?:zone|area|estate|park)|free\s+zone|jafza|"
    r"ulitsa|ul|prospekt|pr|dom|d|korpus|shosse|pereulok|no|nr|house|port|harbou?r|city)\b|\d",
    re.I,
)


def _aliases_in(text: str) -> list[str]:
    parts = (part.strip(" .,;:-–") for part in re.split(r"[;,/]|\s+and\s+", text))
    return [_ALIAS_MARKER.sub("", part).strip(" .,;:-–") for part in parts if part]


@functools.lru_cache(maxsize=1)
def _country_names() -> frozenset[str]:
    import pycountry

    names = set()
    for country in pycountry.countries:
        for attribute in ("name", "official_name", "common_name"):
            if getattr(country, attribute, ""):
                names.add(normalise_name(getattr(country, attribute)))
    return frozenset(names | {"russia", "iran", "north korea", "south korea", "syria", "uae", "usa", "uk"})


def _names_a_country(value: str) -> str:
    """Non-empty when the text is a country's name (exact, normalised; no fuzzy search: this runs per name)."""
    return value if normalise_name(value) in _country_names() else ""


def _set_aside(inner: str) -> bool:
    """A parenthesis that says where or what, not who: a country, a legal form, a flag, a branch …"""
    tokens = tokens_of(inner)
    return (
        not tokens
        or bool(_SET_ASIDE.search(inner))
        or bool(_CARE_OF.match(" " + inner))
        or weak_positions(tokens) >= set(range(len(tokens)))
        or bool(_names_a_country(inner))
    )


def split_annotations(value: str, *, vessel: bool = False) -> tuple[str, tuple[str, ...]]:
    """(main name, aliases) of a name with annotations around it:

    'M/T OCEAN STAR (ex-SEA PEARL) V.023 Panama flag' → ('OCEAN STAR', ('SEA PEARL',));
    'Acme Trading LLC - Dubai Branch, c/o Gulf Agency' → ('Acme Trading LLC', ());
    'Acme Trading LLC, 12 Sheikh Zayed Road, Dubai' → ('Acme Trading LLC', ()).
    A parenthesis that is not an annotation (an acronym, a translation) becomes an alias. A name without
    annotations comes back unchanged, with no aliases."""
    text = " ".join((value or "").split())
    if not text:
        return "", ()
    aliases: list[str] = []

    def bracket(found: re.Match[str]) -> str:
        inner = found.group(1).strip()
        marker = _ALIAS_MARKER.match(inner)
        if marker:
            aliases.extend(_aliases_in(inner[marker.end() :]))
        elif not _set_aside(inner):
            aliases.append(inner)
        return " "

    main = re.sub(r"[(\[]([^()\[\]]*)[)\]]", bracket, text)
    main = _CARE_OF.sub("", main)
    inline = _INLINE_ALIAS.search(main)
    if inline:
        aliases.extend(_aliases_in(_TRAILING.sub("", main[inline.end() :])))
        main = main[: inline.start()]
    previous = None
    while previous != main:  # trailing annotations come in any order: flag, voyage, branch …
        previous = main
        main = _TRAILING.sub("", main)
        main = _BRANCH.sub("", main)
    main = (_VESSEL_PREFIX if vessel else _VESSEL_PREFIX_CASED).sub("", main)
    head, comma, rest = main.partition(",")
    if (
        comma
        and _ADDRESS_WORDS.search(rest)
        and not weak_positions(tokens_of(rest)) >= set(range(len(tokens_of(rest))))
    ):
        main = head  # ", 12 Sheikh Zayed Road, Dubai" is an address; ", Ltd." is not
    main = " ".join(main.split()).strip(" ,;:-–")
    aliases = [alias for alias in (" ".join(a.split()) for a in aliases) if alias and alias != main]
    if not main and aliases:
        main, aliases = aliases[0], aliases[1:]
    return (main or text), tuple(dict.fromkeys(aliases))


# Other romanisations -------------------------------------------------------------------------------------------

_NON_LATIN = re.compile(r"[^\x00-\u024f\u1e00-\u1eff\s\d\W]")
_ABJAD = re.compile(r"[\u0590-\u05ff\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")


@functools.lru_cache(maxsize=1)
def _icu_transliterator() -> Any:
    try:
        import icu
    except ImportError:  # pragma: no cover - PyICU is a dependency; without it anyascii alone serves
        return None
    return icu.Transliterator.createInstance("Any-Latin; Latin-ASCII")


def is_abjad(value: str) -> bool:
    """Written in Arabic or Hebrew script, where short vowels are not written."""
    return bool(_ABJAD.search(value or ""))


_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_HANGUL = re.compile(r"[\uac00-\ud7af\u1100-\u11ff]")
# Revised Romanisation (anyascii, ICU) → the spelling names are commonly written in (McCune–Reischauer without
# its marks): 김정은 gim jeong eun → kim jong un, 박 bak → pak, 최 choe, 이 i → ri/yi/lee are left to the index.
_KOREAN_SYLLABLE = (
    (re.compile(r"^g"), "k"),
    (re.compile(r"^d"), "t"),
    (re.compile(r"^b"), "p"),
    (re.compile(r"^l"), "r"),
    (re.compile(r"(?<!n)g$"), "k"),
    (re.compile(r"eo"), "o"),
    (re.compile(r"eu"), "u"),
)


def korean_popular(text: str, *, aspirate_j: bool = False) -> str:
    out = []
    for syllable in normalise_name(text).split():
        for pattern, replacement in _KOREAN_SYLLABLE:
            syllable = pattern.sub(replacement, syllable)
        if aspirate_j and syllable.startswith("j"):
            syllable = "ch" + syllable[1:]  # Chong, Chol: McCune–Reischauer's spelling of ㅈ
        out.append(syllable)
    return " ".join(out)


@functools.lru_cache(maxsize=100_000)
def spellings(value: str) -> tuple[str, ...]:
    """The ways a name can be spelt in Latin letters: itself (anyascii transliterates it in normalise_name) and,
    for a name in another script, the other conventions where they differ: ICU's transliteration (it knows
    Burmese, မြန်မာ → myanmar, and writes the Arabic alif, where anyascii gives consonant skeletons or nothing
    useful); for Korean the common spelling besides the Revised Romanisation (kim jong un besides gim jeong eun).
    Cyrillic is left to anyascii, which already follows the English (BGN/PCGN-like) convention."""
    if not _NON_LATIN.search(value or ""):
        return (value,)
    found = [value]
    if _HANGUL.search(value):
        found.append(korean_popular(value))
        found.append(korean_popular(value, aspirate_j=True))
    transliterator = _icu_transliterator()
    if transliterator is not None and not _CYRILLIC.search(value):
        found.append(transliterator.transliterate(unicodedata.normalize("NFKC", value)))
    unique: dict[str, str] = {}
    for spelling in found:
        unique.setdefault(normalise_name(spelling), spelling)
    return tuple(unique.values())
