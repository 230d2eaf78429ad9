"""What `songhong serve sql` refuses, and the limits it keeps, seen from PySpark's Spark Connect
client (pyspark-client) as a client that is allowed to connect (it has the token).

Every statement of the security review (shell commands through TRANSFORM, files read directly,
reflection, Delta tables by path, caching, ADD FILE/ARCHIVE) and more of the same kind is refused
before it runs, each with the endpoint's one-line reason; a second client's tables are unchanged
by all of them. Then the limits: a runaway query from one client leaves a second client's query
answering in about its usual time and ends with a message when the time limit passes; a session
cannot run more than its share of queries at once, nor the server more than its total (and of two
clients asking at once for the last place, one runs); a query
whose session is released, or whose client dies, stops at once or after the detach timeout, not at
the time limit; an answer past the row cap stops with the reason.

The endpoint of conftest.py runs with a 40 s time limit and a 100,000-row cap (QUERY_TIMEOUT,
MAX_ROWS) and the defaults of 2 queries per session and 4 in all."""

from __future__ import annotations

import concurrent.futures
import os
import re
import signal
import statistics
import subprocess
import sys
import textwrap
import threading
import time
import uuid
import warnings

import pytest
from conftest import MAX_ROWS, QUERY_TIMEOUT

warnings.filterwarnings("ignore", category=FutureWarning)
from pyspark.sql import SparkSession  # noqa: E402
from pyspark.sql.functions import udf  # noqa: E402

LAKE_ONLY = "The songhong SQL endpoint answers from the lake's tables, views, functions and pinned releases only"
RUNAWAY = "SELECT * FROM range(1000000000000) ORDER BY id DESC LIMIT 1"


def session(endpoint, session_id: str | None = None) -> SparkSession:
    url = endpoint["url"] + (f";session_id={session_id}" if session_id else "")
    return SparkSession.builder.remote(url).create()


@pytest.fixture(scope="module")
def spark(endpoint):
    s = session(endpoint)
    yield s
    s.stop()


@pytest.fixture(scope="module")
def other(endpoint):
    """A second client, whose view of the lake must not change."""
    s = session(endpoint)
    yield s
    s.stop()


def one(spark, query):
    return spark.sql(query).collect()[0][0]


# (statement, what the refusal names): the review's table first, then more of the same kinds.
REFUSED = [
    ("SELECT TRANSFORM(target_id) USING 'cat' AS (x) FROM gold.scorecard", "TRANSFORM ... USING"),
    ("SELECT TRANSFORM(target_id) USING 'id' FROM (SELECT target_id FROM gold.scorecard)", "TRANSFORM ... USING"),
    ("SELECT * FROM text.`/etc/passwd`", "reading a file or a path directly (text.`/etc/passwd`)"),
    ("SELECT * FROM csv.`/etc/passwd`", "reading a file or a path directly (csv."),
    ("SELECT * FROM json.`/etc/passwd`", "reading a file or a path directly (json."),
    ("SELECT * FROM parquet.`/etc/passwd`", "reading a file or a path directly (parquet."),
    ("SELECT * FROM orc.`/etc/passwd`", "reading a file or a path directly (orc."),
    ("SELECT * FROM avro.`/etc/passwd`", "reading a file or a path directly (avro."),
    ("SELECT * FROM binaryFile.`/etc/passwd`", "reading a file or a path directly (binaryFile."),
    ("WITH t AS (SELECT * FROM text.`/etc/passwd`) SELECT * FROM t", "reading a file or a path directly (text."),
    ("SELECT count(*) FROM gold.scorecard WHERE target_id IN (SELECT value FROM text.`/etc/passwd`)", "reading a file or a path"),
    ("SELECT * FROM delta.`/tmp`", "reading a file or a path directly (delta."),
    ("SELECT * FROM read_files('/etc/passwd')", "read_files"),
    ("SELECT java_method('java.lang.System', 'getProperty', 'user.home')", "reflect/java_method"),
    ("SELECT reflect('java.lang.System', 'getenv', 'HOME')", "reflect/java_method"),
    ("SELECT try_reflect('java.lang.System', 'exit', 0)", "try_reflect"),
    ("SELECT target_id FROM gold.scorecard WHERE (SELECT reflect('java.lang.System', 'getProperty', 'user.home')) IS NOT NULL",
     "reflect/java_method"),
    ("CACHE TABLE gold.scorecard", "CACHE TABLE"),
    ("CACHE LAZY TABLE mine AS SELECT * FROM gold.scorecard", "CACHE TABLE"),
    ("ADD FILE /etc/passwd", "ADD FILE"),
    ("ADD ARCHIVE /etc/passwd.zip", "ADD ARCHIVE"),
    ("ADD JAR /tmp/evil.jar", "read-only"),
    ("LIST FILE", "LIST FILE"),
    ("CREATE TEMPORARY FUNCTION f AS 'org.apache.spark.sql.hive.HiveUDF'", "CREATE FUNCTION ... AS 'class'"),
    ("CREATE GLOBAL TEMPORARY VIEW shared AS SELECT * FROM gold.scorecard", "read-only"),
    ("SET spark.sql.leafNodeDefaultParallelism=64", "changing the server's setting spark.sql.leafNodeDefaultParallelism"),
    ("SET songhong.sql.query.timeout.seconds=100000", "changing the server's setting songhong.sql.query.timeout.seconds"),
    ("SET spark.sql.runSQLOnFiles=true", "changing the server's setting spark.sql.runSQLOnFiles"),
    ("SET spark.sql.catalog.mine=org.apache.spark.sql.execution.datasources.v2.jdbc.JDBCTableCatalog",
     "changing the server's setting spark.sql.catalog.mine"),
    ("SET spark.hadoop.fs.s3a.access.key=x", "changing the server's setting spark.hadoop."),
]


@pytest.mark.parametrize("statement,names", REFUSED, ids=[s for s, _ in REFUSED])
def test_each_statement_that_reaches_beyond_the_lake_is_refused_with_the_reason(spark, statement, names):
    with pytest.raises(Exception) as e:
        spark.sql(statement).collect()
    message = str(e.value)
    assert names in message, message[:600]
    assert "is refused" in message or "read-only" in message, message[:600]


def test_dataframe_requests_beyond_the_lake_are_refused_with_the_reason(endpoint, spark, other, tmp_path):
    before = lake_state(other)
    refusals = {
        "spark.read.text": lambda: spark.read.text("/etc/passwd").collect(),
        "spark.read.format(delta).load": lambda: spark.read.format("delta").load("/tmp").collect(),
        "a temporary view over a file": lambda: spark.sql(
            "CREATE OR REPLACE TEMPORARY VIEW pw AS SELECT * FROM text.`/etc/passwd`").collect(),
        "df.cache()": lambda: spark.table("gold.scorecard").cache().count(),
        "a Python UDF": lambda: spark.table("gold.scorecard").select(udf(lambda x: x)("target_id")).collect(),
        "spark.conf.set of a limit": lambda: spark.conf.set("songhong.sql.max.result.rows", "999999999"),
        "spark.conf.set of parallelism": lambda: spark.conf.set("spark.sql.leafNodeDefaultParallelism", "64"),
        "addArtifacts": lambda: spark.addArtifacts(str(write(tmp_path / "evil.py", "import os\n")), pyfile=True),
        "a global temporary view": lambda: spark.table("gold.scorecard").createOrReplaceGlobalTempView("shared"),
        "mapInPandas": lambda: spark.table("gold.scorecard").mapInPandas(lambda it: it, "target_id string").collect(),
    }
    expected = {
        "spark.read.text": "reading files or a path directly", "spark.read.format(delta).load": "reading files or a path directly",
        "a temporary view over a file": "reading a file or a path directly", "df.cache()": "persist/cache",
        "a Python UDF": "a user-defined function sent by the client", "spark.conf.set of a limit": "changing the server's setting",
        "spark.conf.set of parallelism": "changing the server's setting", "addArtifacts": "adding artifacts",
        "a global temporary view": "a global temporary view", "mapInPandas": "client code",
    }
    for name, attempt in refusals.items():
        with pytest.raises(Exception) as e:
            attempt()
        assert LAKE_ONLY in str(e.value) and expected[name] in str(e.value), f"{name}: {str(e.value)[:600]}"
    # Allowed: a session option, the client's own temporary view of a lake table.
    spark.conf.set("spark.sql.session.timeZone", "Asia/Ho_Chi_Minh")
    assert spark.conf.get("spark.sql.session.timeZone") == "Asia/Ho_Chi_Minh"
    spark.table("gold.scorecard").where("status = 'achieved'").createOrReplaceTempView("achieved")
    assert spark.table("achieved").count() == one(spark, "SELECT count(*) FROM gold.scorecard WHERE status = 'achieved'")
    assert lake_state(other) == before  # the second client sees the lake as it was


def write(path, text):
    path.write_text(text, encoding="utf-8")
    return path


def lake_state(s):
    """Each gold and silver table's latest version and row count, as a client sees them."""
    tables = [r.tableName for r in s.sql("SHOW TABLES IN gold").collect() if not r.isTemporary][:6]
    state = {}
    for t in ["silver.provincial_observations"] + [f"gold.{t}" for t in tables]:
        version = s.sql(f"DESCRIBE HISTORY {t}").selectExpr("max(version)").collect()[0][0]
        state[t] = (version, one(s, f"SELECT count(*) FROM {t}"))
    return state


def test_an_answer_past_the_row_cap_stops_with_the_reason(spark):
    assert len(spark.range(MAX_ROWS).collect()) == MAX_ROWS  # at the cap: whole
    with pytest.raises(Exception) as e:
        spark.sql(f"SELECT * FROM range({MAX_ROWS + 1})").collect()
    assert f"its answer has more than {MAX_ROWS:,} rows" in str(e.value), str(e.value)[:600]
    assert "songhong.sql.max.result.rows" in str(e.value)
    assert one(spark, f"SELECT count(*) FROM range({MAX_ROWS * 10})") == MAX_ROWS * 10  # counting is not returning


def latency(s, runs=3) -> float:
    times = []
    for _ in range(runs):
        t = time.monotonic()
        assert one(s, "SELECT count(*) FROM gold.scorecard") > 0
        times.append(time.monotonic() - t)
    return statistics.median(times)


def test_a_runaway_query_leaves_others_answering_and_ends_at_its_time_limit(endpoint, other, tmp_path):
    usual = latency(other)
    runaway = session(endpoint)
    opened = [runaway]  # interrupted and stopped at the end, so that no client thread outlives a failure
    dead = None
    pool = concurrent.futures.ThreadPoolExecutor(max_workers=8)
    started = time.monotonic()
    first = pool.submit(lambda: runaway.sql(RUNAWAY).collect())
    try:
        time.sleep(3)
        assert not first.done(), first.result()
        loaded = latency(other)
        print(f"second client's query: {usual:.2f} s alone, {loaded:.2f} s beside the runaway")
        assert loaded < max(4 * usual, usual + 2.0), (usual, loaded)

        # The runaway's session may run one more query, not a third.
        second = pool.submit(lambda: runaway.sql(RUNAWAY).collect())
        time.sleep(1.5)
        with pytest.raises(Exception, match=r"this session already runs 2 queries.*songhong.sql.max.queries.per.session = 2"):
            runaway.sql("SELECT count(*) FROM gold.scorecard").collect()
        # The server's log names the refused query's session and why: what the operator sizes the limits by.
        wait_for_line(endpoint, rf"refused query \S+ of session {re.escape(runaway.session_id)}: this session already runs 2 "
                      r"queries \(songhong.sql.max.queries.per.session = 2\)", 10, "no refusal of the runaway's session")

        # A session released while its query runs stops it at once.
        released_id = str(uuid.uuid4())
        released = session(endpoint, released_id)
        opened.append(released)
        third = pool.submit(lambda: released.sql(RUNAWAY).collect())
        time.sleep(1.5)
        # Two clients at once for the last place: one of them runs (admissions are taken one at a
        # time: when each counted the other, both could be refused).
        racer = session(endpoint)
        try:
            for _ in range(4):
                gate = threading.Barrier(2)

                def race(s):
                    gate.wait()
                    try:
                        s.sql("SELECT count(*) FROM gold.scorecard").collect()
                        return "ran"
                    except Exception as e:
                        assert re.search(r"the server already runs 4 queries", str(e)), str(e)[:600]
                        return "refused"

                outcomes = list(pool.map(race, [other, racer]))
                assert "ran" in outcomes, outcomes
        finally:
            racer.stop()
        # A client that dies (kill -9) leaves its query detached: stopped after the detach timeout.
        dead_id = str(uuid.uuid4())
        # (a script file: pyspark's client takes `python -c` for a doctest run and exits)
        # It retries while the server is full (the poll below is a query too).
        script = write(tmp_path / "dying_client.py", textwrap.dedent(f"""
            import time
            from pyspark.sql import SparkSession
            spark = SparkSession.builder.remote({endpoint['url'] + ';session_id=' + dead_id!r}).create()
            while True:
                try:
                    spark.sql({RUNAWAY!r}).collect()
                except Exception as e:
                    if "already runs" not in str(e):
                        raise
                    time.sleep(0.2)
            """))
        dead = subprocess.Popen([sys.executable, str(script)], start_new_session=True)
        # Once the dying client's query runs, the server runs 4: the runaway's 2, the released session's and that one.
        deadline = time.monotonic() + 30
        while True:
            try:
                other.sql("SELECT count(*) FROM gold.scorecard").collect()
            except Exception as e:
                assert re.search(r"the server already runs 4 queries.*songhong.sql.max.queries = 4", str(e)), str(e)[:600]
                break
            assert time.monotonic() < deadline, "the dying client's query never ran"
            time.sleep(2)
        os.killpg(dead.pid, signal.SIGKILL)
        released.stop()
        released_at = time.monotonic()
        with pytest.raises(Exception):
            third.result(timeout=60)
        line = wait_for_log(endpoint, released_id, timeout=20)
        assert time.monotonic() - released_at < 15, line  # at the release, not at the limit

        # The runaway ends with the reason once its limit passes.
        with pytest.raises(Exception) as e:
            first.result(timeout=QUERY_TIMEOUT + 60)
        took = time.monotonic() - started
        assert f"it ran longer than {QUERY_TIMEOUT} s" in str(e.value), str(e.value)[:600]
        assert "songhong.sql.query.timeout.seconds" in str(e.value)
        assert QUERY_TIMEOUT - 1 <= took < QUERY_TIMEOUT + 30, took
        with pytest.raises(Exception, match="ran longer than"):
            second.result(timeout=60)
        # The dead client's query ended through the detach timeout (20 s), before its own time limit.
        dead_line = wait_for_log(endpoint, dead_id, timeout=40)
        assert "cancelled at its time limit" not in dead_line, dead_line
        assert latency(other) < max(4 * usual, usual + 2.0)  # and the server is quiet again
    finally:
        if dead is not None and dead.poll() is None:
            os.killpg(dead.pid, signal.SIGKILL)
        for s in opened:
            try:
                s.interruptAll()
                s.stop()
            except Exception:  # the session may already be gone
                pass
        pool.shutdown(wait=False, cancel_futures=True)


def wait_for_log(endpoint, session_id: str, timeout: float) -> str:
    """The server's line saying that a query of this session ended."""
    return wait_for_line(endpoint, rf"query \S+ of session {re.escape(session_id)} ended after \d+ s.*", timeout,
                         f"no end of session {session_id}'s query")


def wait_for_line(endpoint, regex: str, timeout: float, what: str) -> str:
    """The first line of the server's log matching regex, waiting for it up to timeout seconds."""
    deadline = time.monotonic() + timeout
    pattern = re.compile(regex)
    while True:
        text = endpoint["log"].read_text(encoding="utf-8")
        m = pattern.search(text)
        if m:
            return m.group(0)
        assert time.monotonic() < deadline, f"{what} in the log:\n{text[-3000:]}"
        time.sleep(0.5)
