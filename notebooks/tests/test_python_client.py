"""PySpark's Spark Connect client (pyspark-client from PyPI) against `songhong serve sql` on the
sample lake: real queries by name, the helper functions, time travel and the pinned release; every
write refused with the endpoint's reason; refused without the token."""

from __future__ import annotations

import warnings

import pytest

warnings.filterwarnings("ignore", category=FutureWarning)
from pyspark.sql import SparkSession  # noqa: E402


@pytest.fixture(scope="module")
def spark(endpoint):
    s = SparkSession.builder.remote(endpoint["url"]).getOrCreate()
    yield s
    s.stop()


def one(spark, query):
    return spark.sql(query).collect()[0][0]


def test_marts_views_and_helpers_by_name(spark):
    assert one(spark, "SELECT count(*) FROM gold.target_attainment_latest WHERE geo_id = 'VN-31'") == 28
    assert one(spark, "SELECT count(*) FROM gold.scorecard WHERE geo_id = 'VN-31'") == 28
    series = spark.sql("SELECT year, value, yoy_change_pct FROM gold.series('population_avg', 'VN-31')").toPandas()
    assert len(series) > 5 and series["year"].is_monotonic_increasing
    last, prev = series.iloc[-1], series.iloc[-2]
    assert last["yoy_change_pct"] == pytest.approx(100 * (last["value"] - prev["value"]) / prev["value"])
    assert one(spark, "SELECT gold.yoy_pct(110, 100)") == pytest.approx(10.0)
    releases = spark.sql("SELECT vintage FROM silver.releases ORDER BY published_on").toPandas()["vintage"].tolist()
    assert "yearbook-2025" in releases and len(releases) >= 3
    assert one(spark, "SELECT count(*) FROM gold.logistics_throughput_monthly WHERE level = 'terminal'") > 0
    air_stations = one(spark, "SELECT count(*) FROM silver.env_stations WHERE kind = 'ambient_air'")
    assert air_stations > 1 and one(spark, "SELECT count(DISTINCT station_id) FROM gold.aqi_daily") == air_stations


def test_as_published_time_travel_and_the_pin(spark):
    # yearbook-2024 came out on 2025-06-30: absent from what was known in March, there in July
    published = one(spark, "SELECT published_on FROM silver.releases WHERE vintage = 'yearbook-2024'")
    assert str(published) == "2025-06-30"
    before = one(spark, "SELECT count(*) FROM silver.observations_as_published(DATE'2025-03-01') WHERE vintage = 'yearbook-2024'")
    after = one(spark, "SELECT count(*) FROM silver.observations_as_published(DATE'2025-07-01') WHERE vintage = 'yearbook-2024'")
    assert before == 0 and after > 0
    assert one(spark, "SELECT count(*) FROM gold.attainment_as_published(DATE'2025-12-31') WHERE geo_id = 'VN-31'") == 28
    assert one(spark, "SELECT count(*) FROM gold.target_attainment VERSION AS OF 0") == 0
    # The pin reads the version it recorded, not the live table (in this lake both hold the same rows:
    # the pin was made after the demo, so the view's definition is what tells them apart).
    version = one(spark, "SELECT version FROM ops.pinned_versions WHERE pin = 'yearbook-2025' AND table_name = 'gold.target_attainment'")
    described = {r[0]: r[1] for r in spark.sql("DESCRIBE TABLE EXTENDED pin_yearbook_2025.target_attainment").collect()}
    assert f"gold.target_attainment VERSION AS OF {version}" in described["View Text"], described.get("View Text")
    pinned = f"gold.target_attainment VERSION AS OF {version}"
    assert one(spark, "SELECT count(*) FROM pin_yearbook_2025.target_attainment") == one(spark, f"SELECT count(*) FROM {pinned}") > 0
    assert one(spark, f"SELECT count(*) FROM (SELECT * FROM pin_yearbook_2025.target_attainment EXCEPT ALL SELECT * FROM {pinned})") == 0
    ts = spark.sql("DESCRIBE HISTORY gold.scorecard").selectExpr("max(timestamp)").collect()[0][0]
    assert one(spark, f"SELECT count(*) FROM gold.scorecard TIMESTAMP AS OF '{ts}'") > 0


@pytest.mark.parametrize("statement", [
    "DROP TABLE gold.target_attainment",
    "INSERT INTO gold.scorecard SELECT * FROM gold.scorecard",
    "DELETE FROM silver.provincial_observations",
    "UPDATE gold.scorecard SET status = 'achieved'",
    "MERGE INTO gold.scorecard t USING gold.scorecard s ON t.target_id = s.target_id WHEN MATCHED THEN DELETE",
    "ALTER TABLE gold.scorecard SET TBLPROPERTIES ('songhong.note' = 'mine')",
    "TRUNCATE TABLE gold.scorecard",
    "OPTIMIZE gold.scorecard",
    "VACUUM gold.scorecard RETAIN 0 HOURS",
    "RESTORE TABLE gold.scorecard TO VERSION AS OF 0",
    "CREATE TABLE gold.mine (a INT) USING delta",
    "CREATE VIEW gold.mine AS SELECT 1",
    "DROP DATABASE gold CASCADE",
])
def test_each_write_is_refused_with_the_reason(spark, statement):
    with pytest.raises(Exception) as e:
        spark.sql(statement).collect()
    assert "The songhong SQL endpoint is read-only" in str(e.value), str(e.value)[:500]


def test_dataframe_writes_are_refused_and_temporary_views_allowed(spark):
    with pytest.raises(Exception, match="read-only"):
        spark.table("gold.scorecard").write.format("delta").mode("overwrite").saveAsTable("gold.scorecard")
    with pytest.raises(Exception, match="read-only"):
        spark.table("gold.scorecard").write.mode("overwrite").parquet("/tmp/songhong-should-not-exist")
    spark.table("gold.scorecard").where("status = 'achieved'").createOrReplaceTempView("achieved")
    assert spark.table("achieved").count() == one(spark, "SELECT count(*) FROM gold.scorecard WHERE status = 'achieved'")
    assert one(spark, "SELECT count(*) FROM gold.scorecard") > 0  # nothing changed


def test_without_the_token_a_client_is_refused(endpoint):
    for url in (endpoint["bare_url"], endpoint["bare_url"] + "/;token=wrong"):
        s = SparkSession.builder.remote(url).create()
        with pytest.raises(Exception, match="UNAUTHENTICATED"):
            s.sql("SELECT 1").collect()
