"""Deterministic synthetic fact bases in the real fact format, for benchmarks.

``python -m benchmarks.generate SIZE [--out DIR]`` writes a fact base of the
named size (``1k``, ``10k``, ``100k`` relations) under ``benchmarks/data/``.
The same size and seed always give the same bytes, so figures from two runs
or two machines describe the same input.

The files look like hand-written ones: sources, entities and relations are
spread over K files, references cross files, some use a name or an alias
instead of the id, relations carry dates, type properties and one to three
citations with quotes, and a few records repeat a relation to merge
citations. Every file is valid against the shipped vocabulary.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import shutil
from dataclasses import dataclass
from pathlib import Path

from loaders import fold, load_vocabulary


@dataclass(frozen=True)
class Size:
    name: str
    relations: int
    entities: int
    files: int
    sources: int


SIZES = {
    "1k": Size("1k", 1_000, 200, 2, 20),
    "10k": Size("10k", 10_000, 2_000, 20, 200),
    "100k": Size("100k", 100_000, 20_000, 200, 2_000),
}
SEED = 20250115
DATA = Path(__file__).resolve().parent / "data"

# Share of each root kind among entities; the kinds themselves come from
# the shipped vocabulary, so the generator follows it when it grows.
_KIND_WEIGHTS = {"person": 40, "organization": 30, "policy": 15, "event": 10, "place": 5}
_FIRST = ("Ana", "Brandon", "Carmen", "Dario", "Elena", "Felipe", "Gloria", "Hector", "Irene", "Jorge",
          "Karina", "Luis", "Marta", "Nestor", "Olga", "Pablo", "Quinn", "Rosa", "Samuel", "Teresa",
          "Ulises", "Vera", "Walter", "Ximena", "Yusuf", "Zoe", "Amir", "Beatriz", "Chen", "Dmitri",
          "Esther", "Farid", "Greta", "Hiro", "Ines", "Jamal", "Kofi", "Lena", "Mateo", "Nadia")
_LAST = ("Lopez", "Tabares", "Johnson", "Homan", "Fuentes", "Vasquez", "Okafor", "Nowak", "Kim", "Garcia",
         "Brennan", "Moreau", "Castillo", "Duarte", "Ekwueme", "Fischer", "Grant", "Haddad", "Ivanova",
         "Jensen", "Kowalski", "Larsen", "Mendoza", "Nakamura", "Oyelaran", "Petrov", "Quintero", "Rahman",
         "Sato", "Torres", "Ueda", "Valdez", "Wozniak", "Xu", "Yilmaz", "Zamora", "Abbott", "Bianchi")
_WORDS = ("council", "ordinance", "vote", "federal", "agents", "city", "police", "immigration", "mayor",
          "alderman", "amendment", "sanctuary", "residents", "said", "would", "budget", "hearing", "law",
          "state", "court", "crime", "deportation", "office", "public", "safety", "policy", "the", "a",
          "of", "to", "and", "in", "on", "for", "with", "that", "is", "was", "not", "will", "about",
          "enforcement", "detainers", "cooperation", "funding", "threat", "lawsuit", "“welcoming”", "neighborhoods")
_ORG_WORDS = ("Council", "Coalition", "Committee", "Department", "Alliance", "Office", "Board", "Union",
              "Network", "Caucus", "Association", "Task Force")
_PLACES = ("Ward", "District", "County", "City", "State")
_PROPERTY_TEXT = ("prosecution", "funding cuts", "arrests", "detainer requests", "lawsuit",
                  "data sharing", "chair", "member", "alderman", "mayor", "spokesperson")


def _partial_date(rng: random.Random) -> str:
    year = rng.randint(2015, 2025)
    roll = rng.random()
    if roll < 0.2:
        return f"{year}"
    if roll < 0.5:
        return f"{year}-{rng.randint(1, 12):02d}"
    return f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"


def _quote(rng: random.Random) -> str:
    words = " ".join(rng.choice(_WORDS) for _ in range(rng.randint(8, 24)))
    return words[0].upper() + words[1:] + "."


def _q(text: str) -> str:
    """A YAML double-quoted scalar."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


class _Generator:
    def __init__(self, size: Size, seed: int) -> None:
        self.size = size
        self.rng = random.Random(f"{seed}:{size.name}")
        self.vocab = load_vocabulary()
        self.entities: list[dict[str, object]] = []
        self.by_kind: dict[str, list[int]] = {}
        # Which labels are unique once folded, so that a reference by name
        # or alias never becomes ambiguous.
        self.label_count: dict[str, int] = {}

    # -- entities --------------------------------------------------------
    def _kinds_under(self, root: str) -> list[str]:
        return [k for k, spec in self.vocab.kinds.items() if spec.lineage[0] == root]

    def make_entities(self) -> None:
        rng = self.rng
        roots = list(_KIND_WEIGHTS)
        weights = list(_KIND_WEIGHTS.values())
        people = [(f, l) for f in _FIRST for l in _LAST]
        used_ids: set[str] = set()
        for i in range(self.size.entities):
            root = rng.choices(roots, weights)[0]
            kind = rng.choice(self._kinds_under(root))
            aliases: list[str] = []
            if root == "person":
                first, last = rng.choice(people)
                middle = rng.choice(_LAST)
                name = f"{first} {middle}-{last} {i}" if rng.random() < 0.5 else f"{first} {last} {i}"
                aliases = [f"{first[0]}. {last} {i}"] + ([f"{first} {last}"] if rng.random() < 0.3 else [])
            elif root == "organization":
                name = f"{rng.choice(_LAST)} {rng.choice(_ORG_WORDS)} {i}"
                if rng.random() < 0.4:
                    aliases = ["".join(w[0] for w in name.split()[:2]).upper() + str(i)]
            elif root == "policy":
                name = f"{rng.choice(_LAST)}–{rng.choice(_LAST)} {kind.replace('_', ' ')} {i}"
            elif root == "event":
                name = f"{rng.choice(_ORG_WORDS)} {kind} {i}"
            else:
                name = f"{rng.choice(_LAST)} {rng.choice(_PLACES)} {i}"
            eid = "-".join(fold(name).replace("–", "-").replace(".", "").split())
            while eid in used_ids:
                eid += "-x"
            used_ids.add(eid)
            props: dict[str, str] = {}
            spec = self.vocab.kinds[kind].properties
            if "party" in spec and rng.random() < 0.5:
                props["party"] = rng.choice(("Democratic", "Republican", "Independent", "no"))
            if "date" in spec and rng.random() < 0.7:
                props["date"] = _partial_date(rng)
            if "status" in spec and rng.random() < 0.5:
                props["status"] = rng.choice(("proposed", "passed", "in force", "repealed"))
            if "place" in spec and self.by_kind.get("place") and rng.random() < 0.3:
                props["place"] = self._reference(rng.choice(self.by_kind["place"]))
            if kind == "vote":
                yes = rng.randint(0, 50)
                props.update(yes=str(yes), no=str(50 - yes), result=rng.choice(("passed", "failed", "blocked")))
            entity = {"id": eid, "kind": kind, "name": name, "aliases": aliases, "props": props,
                      "description": f"Synthetic {kind.replace('_', ' ')} number {i}" if rng.random() < 0.6 else None}
            self.entities.append(entity)
            for label in (eid, name, *aliases):
                self.label_count[fold(label)] = self.label_count.get(fold(label), 0) + 1
            for ancestor in self.vocab.kinds[kind].lineage:
                self.by_kind.setdefault(ancestor, []).append(i)

    def _reference(self, index: int) -> str:
        """Mostly the id; sometimes an unambiguous name or alias, as people write."""
        entity = self.entities[index]
        if self.rng.random() < 0.85:
            return str(entity["id"])
        labels = [str(entity["name"]), *entity["aliases"]]  # type: ignore[misc]
        unique = [label for label in labels if self.label_count[fold(label)] == 1]
        return self.rng.choice(unique) if unique else str(entity["id"])

    # -- relations -------------------------------------------------------
    def make_relations(self) -> list[dict[str, object]]:
        rng = self.rng
        types = [t for t in self.vocab.relations.values()
                 if any(k in self.by_kind for k in t.from_kinds) and any(k in self.by_kind for k in t.to_kinds)]
        pools = {t.name: ([i for k in t.from_kinds for i in self.by_kind.get(k, ())],
                          [i for k in t.to_kinds for i in self.by_kind.get(k, ())]) for t in types}
        sources = [f"s-{i:05d}" for i in range(self.size.sources)]
        seen: set[tuple[str, ...]] = set()
        relations: list[dict[str, object]] = []
        while len(relations) < self.size.relations:
            if relations and rng.random() < 0.03:
                # The same relation again, from another source: citations merge.
                again = dict(rng.choice(relations))
                again["cite"] = [(rng.choice(sources), _quote(rng))]
                relations.append(again)
                continue
            spec = rng.choice(types)
            froms, tos = pools[spec.name]
            a, b = rng.choice(froms), rng.choice(tos)
            if a == b:
                continue
            dates: dict[str, str] = {}
            roll = rng.random()
            if roll < 0.7:
                dates["date"] = _partial_date(rng)
            elif roll < 0.8:
                first, second = sorted((_partial_date(rng), _partial_date(rng)), key=lambda t: t[:4])
                if first[:4] == second[:4]:
                    first = first[:4]
                dates.update(start=first, end=second)
            ends = sorted((a, b)) if spec.symmetric else [a, b]
            identity = (spec.name, str(ends[0]), str(ends[1]), *dates.values())
            if identity in seen:
                continue
            seen.add(identity)
            props: dict[str, str] = {}
            for name, prop in spec.properties.items():
                if rng.random() < 0.3:
                    if prop.type == "integer":
                        props[name] = str(rng.randint(0, 50))
                    elif prop.values:
                        props[name] = rng.choice(prop.values)
                    elif prop.type == "string":
                        props[name] = rng.choice(_PROPERTY_TEXT)
            cites = [(rng.choice(sources), _quote(rng) if rng.random() < 0.8 else None)
                     for _ in range(rng.choice((1, 1, 1, 2, 2, 3)))]
            relations.append({"type": spec.name, "from": self._reference(a), "to": self._reference(b),
                              "dates": dates, "props": props, "cite": cites,
                              "description": f"Synthetic {spec.label} relation" if rng.random() < 0.2 else None})
        return relations

    # -- writing ---------------------------------------------------------
    def write(self, out: Path) -> list[Path]:
        self.make_entities()
        relations = self.make_relations()
        files = self.size.files
        buckets: list[dict[str, list[str]]] = [{"sources": [], "entities": [], "relations": []} for _ in range(files)]
        for i in range(self.size.sources):
            lines = [f"  - id: s-{i:05d}", f"    publisher: Synthetic Outlet {i % 17}",
                     f"    published: {_partial_date(self.rng)}",
                     f"    title: {_q('Report ' + str(i) + ' on the ' + self.rng.choice(_WORDS))}"]
            buckets[i % files]["sources"].append("\n".join(lines))
        for i, e in enumerate(self.entities):
            lines = [f"  - id: {e['id']}", f"    kind: {e['kind']}", f"    name: {e['name']}"]
            if e["aliases"]:
                lines.append(f"    aliases: [{', '.join(e['aliases'])}]")  # type: ignore[arg-type]
            if e["description"]:
                lines.append(f"    description: {e['description']}")
            lines += [f"    {k}: {v}" for k, v in e["props"].items()]  # type: ignore[attr-defined]
            buckets[i % files]["entities"].append("\n".join(lines))
        for i, r in enumerate(relations):
            lines = [f"  - type: {r['type']}", f"    from: {r['from']}", f"    to: {r['to']}"]
            lines += [f"    {k}: {v}" for k, v in r["dates"].items()]  # type: ignore[attr-defined]
            if r["description"]:
                lines.append(f"    description: {r['description']}")
            lines += [f"    {k}: {v}" for k, v in r["props"].items()]  # type: ignore[attr-defined]
            lines.append("    cite:")
            for source, quote in r["cite"]:  # type: ignore[attr-defined]
                lines.append(f"      - source: {source}")
                if quote is not None:
                    lines.append(f"        quote: {_q(quote)}")
            buckets[(i * 7) % files]["relations"].append("\n".join(lines))
        if out.exists():
            shutil.rmtree(out)
        out.mkdir(parents=True)
        written = []
        for n, bucket in enumerate(buckets):
            text = [f"# Synthetic fact file {n} of {files} (benchmarks/generate.py, seed {SEED})\n"]
            for section in ("sources", "entities", "relations"):
                if bucket[section]:
                    text.append(f"{section}:\n" + "\n".join(bucket[section]) + "\n")
            path = out / f"part-{n:03d}.yaml"
            path.write_text("\n".join(text), encoding="utf-8")
            written.append(path)
        return written


def generate(size: str, out: str | os.PathLike[str] | None = None, *, seed: int = SEED) -> Path:
    """Write the fact base of ``size`` (reusing it when already complete).

    Returns the folder. A ``.complete`` marker holding the size and seed is
    written last, so an interrupted run is redone rather than half-used.
    """
    spec = SIZES[size]
    folder = Path(out) if out is not None else DATA / size
    marker = folder / ".complete"
    # The generator's own source is part of the stamp: a changed generator
    # regenerates the data instead of reusing stale files.
    code = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:16]
    stamp = f"{spec}:{seed}:{code}\n"
    if marker.exists() and marker.read_text() == stamp:
        return folder
    _Generator(spec, seed).write(folder)
    marker.write_text(stamp)
    return folder


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("size", choices=sorted(SIZES, key=lambda s: SIZES[s].relations))
    parser.add_argument("--out", help="folder to write (default benchmarks/data/SIZE)")
    args = parser.parse_args(argv)
    print(generate(args.size, args.out))


if __name__ == "__main__":
    main()
