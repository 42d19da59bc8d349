"""kg ingest --dask: read and extract on a Dask LocalCluster, N-Quads shards, the same store."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import cli
from kg.distributed import Unit, plan_units

from .test_link import FIRST, SECOND, people
from .test_pipeline import INPUTS, quads, reference  # noqa: F401  (the fixture)

pytestmark = [pytest.mark.slow, pytest.mark.dask]


def test_distributed_units_cut_jsonl_at_line_starts(tmp_path):
    corpus = tmp_path / "big.jsonl"
    corpus.write_text("".join(f'{{"id": "a{n}", "date": "2025-01-02", "text": "Text {n}."}}\n'
                              for n in range(10)))
    units = list(plan_units([INPUTS / "2025", corpus], chunk_bytes=150))
    assert units[0] == Unit(files=(str(INPUTS / "2025/09/vilnius-talks.html"),
                                   str(INPUTS / "2025/10/baltic-notes.atom"),
                                   str(INPUTS / "2025/10/minsk-wire.rss")))
    ranges = [(u.start, u.end, u.first_line) for u in units[1:]]
    assert [first for *_, first in ranges] == [1, 4, 7, 10]
    ids = [a.id for u in units[1:] for a in u.read()]
    assert ids == [f"a{n}" for n in range(10)]


def test_distributed_local_cluster_gives_the_same_triples(tmp_path, reference):  # noqa: F811
    store, shards = tmp_path / "s", tmp_path / "shards"
    result = CliRunner().invoke(cli, ["ingest", str(INPUTS), "--store", str(store), "--workers", "2",
                                      "--shards", str(shards), "--quiet", "--dask"], catch_exceptions=False)
    assert result.exit_code == 1, result.output  # the undated feed item
    assert result.stderr.splitlines()[-1].startswith("6 articles, 1 failed, ")
    assert quads(store) == reference
    assert sorted(p.name for p in shards.iterdir()) == [
        "shard-00000.jsonl", "shard-00000.nq", "shard-00000.pickle",
        "shard-00001.jsonl", "shard-00001.nq", "shard-00001.pickle"]
    again = CliRunner().invoke(cli, ["ingest", str(INPUTS), "--store", str(store), "--quiet", "--dask"],
                               catch_exceptions=False)
    assert again.stderr.splitlines()[-1].startswith("0 articles, 6 unchanged skipped, 1 failed, ")
    assert quads(store) == reference


def test_distributed_links_actors_across_articles_as_one_process_does(tmp_path):
    for name, text in (("first", FIRST), ("second", SECOND)):
        (tmp_path / f"{name}.txt").write_text(text, encoding="utf-8")
    for store, how in ((tmp_path / "one", []), (tmp_path / "dask", ["--workers", "2", "--dask"])):
        result = CliRunner().invoke(cli, ["ingest", str(tmp_path / "first.txt"), str(tmp_path / "second.txt"),
                                          "--store", str(store), "--quiet", *how], catch_exceptions=False)
        assert result.exit_code == 0, result.output
    assert people(tmp_path / "dask")["person/peter-dole"] == {"Peter Dole", "Peter Doale"}
    assert quads(tmp_path / "dask") == quads(tmp_path / "one")


def test_distributed_address_that_is_a_path_is_a_usage_error(tmp_path):
    result = CliRunner().invoke(cli, ["ingest", "--dask", str(INPUTS), str(INPUTS), "--store", str(tmp_path)])
    assert result.exit_code == 2
    assert f"--dask {INPUTS}: not a scheduler address such as tcp://host:8786" in result.stderr


def test_distributed_stdin_is_refused():
    with pytest.raises(Exception, match="stdin cannot be read on a Dask cluster"):
        list(plan_units(["-"]))


def test_distributed_shard_is_loadable_n_quads(tmp_path):
    import pyoxigraph as ox

    from kg.config import Settings
    from kg.distributed import extract_unit

    result = extract_unit(Unit(files=(str(INPUTS / "2025/10/baltic-notes.atom"),)), 3, str(tmp_path), {},
                          Settings(store_path=tmp_path / "unused"))
    store = ox.Store()
    store.bulk_load(path=result.quads, format=ox.RdfFormat.N_QUADS)
    graphs = sorted(g.value for g in store.named_graphs())
    assert graphs == ["https://w3id.org/kg/id/article/latvia-expels-diplomat-6debba4c"]
    assert Path(result.index).read_text().count("\n") == 1
