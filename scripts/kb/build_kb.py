#!/usr/bin/env python3
"""Build data/kb/kb.tsv, the knowledge base newsgrid compiles into its binary.

Sources (each output row names its own in the last column):
  us-congress  ../shared/data/kb/us-congress/legislators-current.yaml (CC0,
               unitedstates/congress-legislators): current members of Congress, with
               official names, nicknames, party, state and Wikidata ids;
  us-executive ../shared/data/kb/us-congress/executive.yaml (CC0): presidents and vice
               presidents whose terms end in 1977 or later (earlier ones share
               surnames with places and with modern politicians);
  curated      data/kb/curated.tsv: rows hand-curated from public facts (world leaders,
               international organisations, news outlets, US parties, institutions and
               agencies, laws, religions, ideologies, diseases); see its header.

A curated row whose QID or folded name matches a Congress/executive row is merged into
it (the curated name, type and country win; aliases are united). A person's surname is
added as a weak alias ("~Schumer") when no other person in the knowledge base has that
surname and no row has it as a strong alias; the pipeline uses weak aliases only for a
name standing alone that the tagger typed PER or that is no place name, or for a full
name with that surname and a compatible first name. A surname several persons share
(and that is no common word) is marked "?Bush": standing alone it is a person, linked
to nobody.

Output columns: kb_id ("-" when none)<TAB>name<TAB>type<TAB>country ("-" when
none)<TAB>aliases ("|"-separated, weak ones prefixed "~", shared surnames "?")<TAB>source.

Usage: python3 scripts/kb/build_kb.py [path/to/us-congress] > data/kb/kb.tsv
"""
import sys
import unicodedata
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
CONGRESS = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared/data/kb/us-congress"
GENERATIONAL = {"jr", "sr", "ii", "iii", "iv"}
# Surnames that are also common words, months, first names or very common surnames: a
# lone "May", "King", "Justice" or "Brown" is no evidence of one person, so they get no
# weak alias (curated by the maintainers).
COMMON_SURNAMES = set(
    """may king young green brown bishop jordan allen adams case clark crow dean foster
    franklin golden guest hunt james justice jack mann mills norman rose ross roy self simon
    strong taylor turner webster walker roberts rice daniels gates khan fine bell gill gray
    fields downing frost luna moody fry min il hussein salman silva nieto laden harper haley
    conway garland francis graves griffith lucas murray neal norton paul reed sherman simpson
    waters wagner cole costa courtney crawford castor chu sullivan banks marshall stevens
    craig hayes curtis levin owens flood mace carey edwards fuller armstrong gallagher randall
    riley barrett mcdonald jacobs tiffany baldwin warner baird bean harder underwood davids
    cline dunn ruiz soto gonzalez gomez ramirez vargas salazar correa padilla escobar rivas
    tran lee scott johnson smith williams davis miller wilson moore thomas jackson white
    harris martin thompson garcia martinez robinson lewis walker hall wright lopez hill
    nelson carter mitchell perez phillips evans collins stewart morris murphy cook rogers
    morgan cooper peterson reed bailey kelly howard cox ward richardson wood watson brooks
    bennett wood kim long price warren cloud bacon mast hassan issa hudson titus budd bost
    weber fischer washington wolf singh""".split()
) - {"warren"}


# Usual short forms of formal given names (curated): the Congress data lists some
# nicknames, not all.
NICKNAMES = {
    "christopher": ["Chris"], "richard": ["Dick", "Rick"], "robert": ["Bob"], "william": ["Bill"],
    "james": ["Jim"], "michael": ["Mike"], "charles": ["Chuck"], "thomas": ["Tom"], "joseph": ["Joe"],
    "edward": ["Ed"], "daniel": ["Dan"], "david": ["Dave"], "stephen": ["Steve"], "steven": ["Steve"],
    "anthony": ["Tony"], "patrick": ["Pat"], "timothy": ["Tim"], "benjamin": ["Ben"], "kenneth": ["Ken"],
    "ronald": ["Ron"], "donald": ["Don"], "gerald": ["Jerry"], "jerrold": ["Jerry"], "matthew": ["Matt"],
    "gregory": ["Greg"], "jeffrey": ["Jeff"], "nicholas": ["Nick"], "andrew": ["Andy"], "elizabeth": ["Liz"],
    "katherine": ["Kate"], "kathleen": ["Kathy"], "deborah": ["Debbie"], "patricia": ["Patty"],
    "margaret": ["Maggie"], "bernard": ["Bernie"], "samuel": ["Sam"], "frederick": ["Fred"],
    "lawrence": ["Larry"], "raymond": ["Ray"], "douglas": ["Doug"], "gary": [], "bradley": ["Brad"],
}

TITLED = {"prince", "princess", "queen", "king", "pope", "dalai", "mullah", "sheikh", "ayatollah"}


def fold(s):
    """Close to gazetteer::lookup_key: no diacritics, lowercase, no periods, hyphens as spaces."""
    s = "".join(c for c in unicodedata.normalize("NFD", s) if not unicodedata.combining(c))
    s = s.lower().replace(".", "").replace("-", " ").replace("\u2019", "'")
    s = " ".join(s.split())
    return s[4:] if s.startswith("the ") else s


def person_rows(path, source, keep):
    rows = []
    people = [p for p in yaml.safe_load(open(path)) if p.get("terms") and keep(p["terms"])]
    names = [f"{p['name'].get('first', '')} {p['name'].get('last', '')}" for p in people]
    shared = {n for n in names if names.count(n) > 1}
    for p in people:
        terms = p.get("terms", [])
        if not terms or not keep(terms):
            continue
        n = p["name"]
        first, last = n.get("first", ""), n.get("last", "")
        # The name news use: nickname or first name, middle initials (executive rows,
        # which have no official_full), last name, suffix.
        given = n.get("nickname") or first
        # Middle initials only where two people would share a name (the Bushes).
        middle = " ".join(w[0] + "." for w in n.get("middle", "").replace(".", " ").split()) if f"{first} {last}" in shared else ""
        full = " ".join(x for x in (given, middle, last, n.get("suffix", "")) if x)
        aliases = {f"{first} {last}"}
        if n.get("official_full"):
            aliases.add(n["official_full"])
        if n.get("nickname"):
            aliases.add(f"{n['nickname']} {last}")
        if n.get("middle"):
            aliases.add(f"{first} {n['middle']} {last}")
        if n.get("suffix"):
            aliases.add(f"{first} {last} {n['suffix']}")
        # Short given names news use ("Chris Murphy" for Christopher Murphy).
        for short in NICKNAMES.get(fold(first), ()):
            aliases.add(f"{short} {last}")
        aliases.discard(full)
        # Members who first took office after 2020 were not in the news of 2012-2020 the
        # pipeline reads most: their surnames standing alone are no evidence of them.
        served_2012_2020 = min(t.get("start", "9999") for t in terms) <= "2020-12-31"
        rows.append(
            {
                "weak_ok": served_2012_2020,
                "kb_id": p["id"].get("wikidata") or "-",
                "name": full,
                "type": "PER",
                "country": "USA",
                "aliases": sorted(aliases),
                "surname": last,
                "source": source,
            }
        )
    return rows


def curated_rows(path):
    rows = []
    for line in open(path, encoding="utf-8"):
        line = line.rstrip("\n")
        if not line or line.startswith("#"):
            continue
        f = line.split("\t")
        if len(f) != 6:
            raise SystemExit(f"curated.tsv: bad row {line!r}")
        kb_id, name, ty, country, aliases, section = f
        if ty not in ("PER", "ORG", "LOC", "MISC"):
            raise SystemExit(f"curated.tsv: bad type {line!r}")
        words = [w for w in name.split() if fold(w) not in GENERATIONAL]
        # "Prince Harry", "Queen Elizabeth II", "Pope Benedict XVI": a given name after a
        # title is no surname.
        if words and fold(words[0]) in TITLED:
            words = []
        rows.append(
            {
                "kb_id": kb_id,
                "name": name,
                "type": ty,
                "country": country,
                "aliases": [a for a in aliases.split("|") if a],
                "surname": words[-1] if ty == "PER" and len(words) > 1 else None,
                "source": f"curated:{section}",
            }
        )
    return rows


def main():
    rows = person_rows(CONGRESS / "legislators-current.yaml", "us-congress", lambda t: True)
    rows += person_rows(
        CONGRESS / "executive.yaml", "us-executive", lambda t: any(x.get("end", "") >= "1977" for x in t)
    )
    # The same person in Congress and the executive (a VP who was a senator): one row.
    merged, by_qid, by_name = [], {}, {}
    for r in rows + curated_rows(ROOT / "data/kb/curated.tsv"):
        hit = None
        if r["kb_id"] != "-" and r["kb_id"] in by_qid:
            hit = by_qid[r["kb_id"]]
        elif r["type"] == "PER" and (r["type"], fold(r["name"])) in by_name:
            hit = by_name[(r["type"], fold(r["name"]))]
        elif r["type"] == "PER" and r["source"].startswith("curated"):
            # A curated person whose name or aliases name exactly one known person.
            names = {fold(a) for a in [r["name"]] + r["aliases"]}
            cands = {id(m): m for m in merged if m["type"] == "PER" and names & {fold(a) for a in [m["name"]] + m["aliases"]}}
            if len(cands) == 1:
                hit = next(iter(cands.values()))
        if hit is None:
            merged.append(r)
            hit = r
        else:
            cur = r["source"].startswith("curated")
            if cur:
                old = hit["name"]
                hit.update({k: r[k] for k in ("name", "type", "country")})
                if fold(old) != fold(r["name"]):
                    hit["aliases"].append(old)
                if r["surname"]:
                    hit["surname"] = r["surname"]
                hit["source"] = hit["source"] + "+" + r["source"]
            if hit["kb_id"] == "-":
                hit["kb_id"] = r["kb_id"]
            hit["aliases"] = sorted(set(hit["aliases"]) | set(r["aliases"]) - {hit["name"]})
        if hit["kb_id"] != "-":
            by_qid[hit["kb_id"]] = hit
        by_name[(hit["type"], fold(hit["name"]))] = hit
    strong = {}
    for r in merged:
        for a in [r["name"]] + r["aliases"]:
            strong.setdefault(fold(a), set()).add(id(r))
    surnames = {}
    for r in merged:
        if r["type"] == "PER" and r.get("surname"):
            surnames.setdefault(fold(r["surname"]), []).append(r)
    out = sys.stdout
    out.write("# Generated by scripts/kb/build_kb.py; do not edit (edit data/kb/curated.tsv).\n")
    out.write("# kb_id\tname\ttype\tcountry\taliases\tsource\n")
    for r in merged:
        aliases = list(r["aliases"])
        s = r.get("surname")
        if r["type"] == "PER" and s and r.get("weak_ok", True):
            k = fold(s)
            if k not in COMMON_SURNAMES and len(surnames[k]) == 1 and not (strong.get(k, set()) - {id(r)}) and k not in {fold(a) for a in aliases}:
                aliases.append("~" + s)
            elif k not in COMMON_SURNAMES and len(surnames[k]) > 1:
                # Shared by several people ("Bush", "Clinton"): a person, but which one
                # only the article can tell.
                aliases.append("?" + s)
        fields = [r["kb_id"], r["name"], r["type"], r["country"], "|".join(aliases), r["source"]]
        assert all("\t" not in f and "\n" not in f for f in fields), fields
        out.write("\t".join(fields) + "\n")


if __name__ == "__main__":
    main()
