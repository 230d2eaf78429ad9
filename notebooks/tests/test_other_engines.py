"""Other engines read the lake's tables directly, with no server: deltalake (delta-rs), Polars, and DuckDB over
deltalake's Arrow dataset, each against the SQL endpoint's (Spark's) answer for the same table version. The tables
must stay readable by them: reader version 1, writer 2 or 3 and no table features (README, "Other engines")."""
import deltalake
import duckdb
import polars as pl
import pytest
from pyspark.sql import SparkSession

TABLES = ["gold.scorecard", "gold.target_attainment", "gold.indicator_series", "silver.provincial_observations"]


@pytest.fixture(scope="module")
def spark(endpoint):
    s = SparkSession.builder.remote(endpoint["url"]).getOrCreate()
    yield s
    s.stop()


def path(lake, table):
    return str(lake / table.replace(".", "/"))


@pytest.mark.parametrize("table", TABLES)
def test_the_table_needs_no_reader_or_writer_feature(lake, table):
    p = deltalake.DeltaTable(path(lake, table)).protocol()
    assert p.min_reader_version == 1, p
    assert p.min_writer_version in (2, 3), p
    assert not p.reader_features and not p.writer_features, p


def test_deltalake_polars_and_duckdb_read_what_spark_reads(lake, spark):
    dt = deltalake.DeltaTable(path(lake, "gold.target_attainment"))
    version = dt.version()
    key = ["target_id", "geo_id", "vintage", "as_of_year"]
    want = sorted(tuple(r) for r in spark.sql(
        f"SELECT target_id, geo_id, vintage, as_of_year, status, measured_value FROM gold.target_attainment VERSION AS OF {version}"
    ).collect())
    assert len(want) > 100

    by_delta_rs = sorted(tuple(r.values()) for r in pl.from_arrow(dt.to_pyarrow_table(
        columns=key + ["status", "measured_value"])).to_dicts())
    by_polars = sorted(tuple(r.values()) for r in pl.read_delta(path(lake, "gold.target_attainment"), version=version)
                       .select(key + ["status", "measured_value"]).to_dicts())
    dataset = dt.to_pyarrow_dataset()  # noqa: F841 (DuckDB scans the Python variable by name)
    by_duckdb = sorted(duckdb.sql("SELECT target_id, geo_id, vintage, as_of_year, status, measured_value FROM dataset").fetchall())
    assert by_delta_rs == want
    assert by_polars == want
    assert by_duckdb == want


def test_polars_answers_an_economists_question_on_the_gold_table(lake, spark):
    """The latest scorecard's statuses counted by Polars equal the SQL endpoint's count."""
    counts = (pl.read_delta(path(lake, "gold.scorecard")).group_by("status").len().sort("status").rows())
    want = [tuple(r) for r in spark.sql("SELECT status, count(*) FROM gold.scorecard GROUP BY status ORDER BY status").collect()]
    assert counts == want
    assert sum(n for _, n in counts) == 28
