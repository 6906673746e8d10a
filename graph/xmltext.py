"""XML that gives back exactly the text put in.

An XML parser turns every carriage return in element text into a line feed
(XML 1.0, section 2.11), and ElementTree, which networkx's GraphML and GEXF
writers use, writes a carriage return in element text as it is. So a
description with Windows line ends ("a\\r\\nb") would come back from Gephi
or ``networkx.read_graphml`` as "a\\nb". Written as the character reference
``&#13;`` it survives. The writers never emit a carriage return of their
own, so every one in their output belongs to a value.
"""

from __future__ import annotations


def keep_carriage_returns(xml: str) -> str:
    r"""``xml`` with each carriage return written as ``&#13;``.

    Examples
    --------
    >>> import io, networkx as nx
    >>> G = nx.Graph()
    >>> G.add_node("a", name="one\r\ntwo")
    >>> buffer = io.BytesIO()
    >>> nx.write_graphml(G, buffer)
    >>> text = keep_carriage_returns(buffer.getvalue().decode())
    >>> nx.read_graphml(io.StringIO(text)).nodes["a"]["name"]
    'one\r\ntwo'
    """
    return xml.replace("\r", "&#13;")
