"""NetworkX graphs of kg/network.py -> files Gephi opens: dynamic GEXF, GraphML, CSV.

GEXF is networkx's writer (its GEXFWriter, to reach the XML before it is
written) plus what Gephi reads and networkx cannot write. Each edge gets a
``kind`` (its ``type``): Gephi keeps parallel edges of different kinds apart
and merges only edges of one kind, so a meeting and an attack between the
same actors stay two edges. The edge attribute ``type`` goes out under a
stand-in title, renamed once written, since networkx would take it for the
GEXF edge direction. Edges and fact nodes carry their date as a closed
interval (a month or year date spans the month or year) for Gephi's
timeline; edge weight is the Goldstein score; colours run from violet and
blue (cooperation) to red (conflict) by the PLOVER type's place in
``taxonomy.plover_order``, neighbours one light and one dark so that they
differ; relations are grey.

CSV is the pair nodes.csv and edges.csv of Gephi's spreadsheet import, with
its special columns (Id, Label; Source, Target, Type, Kind, Weight, Interval).
"""

from __future__ import annotations

import colorsys
import csv
from pathlib import Path
from typing import IO, TYPE_CHECKING
from xml.etree.ElementTree import Element

from kg.errors import KgError
from kg.filters import date_interval
from kg.ontology import RELATION_PREDICATES
from kg.taxonomy import plover_order

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["type_colour", "write_csv", "write_gexf", "write_graphml"]

Attributes = dict[str, object]
_TYPE_STAND_IN = "kg_edge_type"
_GREY = {"r": 150, "g": 150, "b": 150, "a": 1.0}


def type_colour(name: str) -> dict[str, int | float] | None:
    """GEXF viz colour of a PLOVER type or relation name; None for anything else."""
    order = plover_order()
    if name in RELATION_PREDICATES:
        return dict(_GREY)
    if name not in order:
        return None
    rank = order.index(name)
    hue = 0.75 * (1 - rank / (len(order) - 1))
    r, g, b = (round(255 * c) for c in colorsys.hsv_to_rgb(hue, 0.85, 0.6 if rank % 2 else 0.95))
    return {"r": r, "g": g, "b": b, "a": 1.0}


def write_gexf(graph: nx.MultiDiGraph, out: IO[bytes]) -> int:
    """Write *graph* as dynamic GEXF 1.2 with typed, weighted, coloured edges; return its edges."""
    import networkx as nx
    from networkx.readwrite.gexf import GEXFWriter

    ready = nx.MultiDiGraph()
    ready.add_nodes_from((node, _gexf_node(data)) for node, data in graph.nodes(data=True))
    ready.add_edges_from((u, v, key, _gexf_edge(key, data))
                         for u, v, key, data in graph.edges(keys=True, data=True))
    writer = GEXFWriter(version="1.2draft")
    writer.add_graph(ready)
    _type_edges(writer.xml, {str(k): str(d["type"]) for _, _, k, d in graph.edges(keys=True, data=True)})
    writer.write(out)
    return int(graph.number_of_edges())


def _gexf_node(data: Attributes) -> Attributes:
    colour = type_colour(str(data.get("type")))
    return {**data, **_interval(data), **({"viz": {"color": colour}} if colour else {})}


def _gexf_edge(key: str, data: Attributes) -> Attributes:
    edge = {k: v for k, v in data.items() if k != "type"}
    edge.update({_TYPE_STAND_IN: data["type"], "id": key, **_interval(data)})
    if "goldstein" in data:
        edge["weight"] = data["goldstein"]
    colour = type_colour(str(data["type"]))
    return {**edge, "viz": {"color": colour}} if colour else edge


def _interval(data: Attributes) -> Attributes:
    interval = date_interval(str(data["date"])) if "date" in data else None
    return {"start": interval[0].isoformat(), "end": interval[1].isoformat()} if interval else {}


def _type_edges(root: Element, kinds: dict[str, str]) -> None:
    for attribute in root.iterfind("graph/attributes[@class='edge']/attribute"):
        if attribute.get("title") == _TYPE_STAND_IN:
            attribute.set("title", "type")
    for edge in root.iterfind("graph/edges/edge"):
        edge.set("kind", kinds[str(edge.get("id"))])


def write_graphml(graph: nx.MultiDiGraph, out: IO[bytes]) -> int:
    """Write *graph* as GraphML, edge ids being the edge keys; return its edges."""
    import networkx as nx

    nx.write_graphml(graph, out)
    return int(graph.number_of_edges())


def write_csv(graph: nx.MultiDiGraph, directory: Path) -> int:
    """Write nodes.csv and edges.csv for Gephi's spreadsheet import into *directory*; return the edges."""
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError) as exc:
        raise KgError(f"{directory}: not a directory; --format csv writes nodes.csv and edges.csv "
                      "into a directory") from exc
    except OSError as exc:
        raise KgError(f"{directory}: cannot write ({exc.strerror})") from exc
    nodes = [{"Id": node, "Label": data.get("label", node), **_gephi_interval(data),
              **{k: v for k, v in data.items() if k != "label"}} for node, data in graph.nodes(data=True)]
    edges = [_csv_edge(u, v, key, data) for u, v, key, data in graph.edges(keys=True, data=True)]
    _write_table(directory / "nodes.csv", nodes, ["Id", "Label", "Interval"])
    _write_table(directory / "edges.csv", edges,
                 ["Source", "Target", "Type", "Kind", "Id", "Label", "Weight", "Interval"])
    return int(graph.number_of_edges())


def _csv_edge(source: str, target: str, key: str, data: Attributes) -> Attributes:
    edge: Attributes = {"Source": source, "Target": target, "Type": "Directed", "Kind": data["type"],
                        "Id": key, **_gephi_interval(data)}
    if "label" in data:
        edge["Label"] = data["label"]
    if "goldstein" in data:
        edge["Weight"] = data["goldstein"]
    return {**edge, **{k: v for k, v in data.items() if k not in ("type", "label")}}


def _gephi_interval(data: Attributes) -> Attributes:
    interval = _interval(data)
    return {"Interval": f"<[{interval['start']}, {interval['end']}]>"} if interval else {}


def _write_table(path: Path, rows: list[Attributes], first: list[str]) -> None:
    present = {k for row in rows for k in row}
    fields = [k for k in first if k in present] + sorted(present - set(first))
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows({k: _cell(v) for k, v in row.items()} for row in rows)


def _cell(value: object) -> object:
    return str(value).lower() if isinstance(value, bool) else value
