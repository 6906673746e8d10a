"""Reading fact files: strict YAML, the vocabulary, validated records.

This package knows nothing of networkx, Neo4j or pyvis. Its public names:

- :func:`load_factbase` - fact files to a validated :class:`FactBase`
- :func:`load_vocabulary` - the shipped vocabulary, optionally extended
- :class:`PartialDate` - YYYY / YYYY-MM / YYYY-MM-DD kept as written
- :class:`ActorgraphError`, :class:`FactError`, :class:`Diagnostic`
"""

from loaders.dates import PartialDate
from loaders.errors import ActorgraphError, Diagnostic, FactError, ReferenceNotFound
from loaders.factbase import Limits, load_factbase
from loaders.names import fold
from loaders.records import Citation, Entity, FactBase, Location, Relation, Source
from loaders.vocabulary import Kind, Property, RelationType, Vocabulary, load_vocabulary

__all__ = [
    "ActorgraphError", "Citation", "Diagnostic", "Entity", "FactBase", "FactError", "Kind", "Limits",
    "Location", "PartialDate", "Property", "ReferenceNotFound", "Relation", "RelationType", "Source",
    "Vocabulary", "fold", "load_factbase", "load_vocabulary",
]
