"""A few lines every notebook shares: connect to the songhong SQL endpoint, run SQL into pandas.

The endpoint is `songhong serve sql` (README, "For economists"). Where it is comes from the
environment variable SONGHONG_SQL_URL (default sc://localhost:15002); a token, if the endpoint
needs one, goes in the URL: sc://HOST:15002/;token=... (or SONGHONG_SQL_TOKEN).
"""

from __future__ import annotations

import os
import warnings

warnings.filterwarnings("ignore", category=FutureWarning, module="pyspark")

from pyspark.sql import SparkSession  # noqa: E402

_spark = None


def connect() -> SparkSession:
    """The session on the endpoint (one per notebook)."""
    global _spark
    if _spark is None:
        url = os.environ.get("SONGHONG_SQL_URL", "sc://localhost:15002")
        token = os.environ.get("SONGHONG_SQL_TOKEN")
        if token and "token=" not in url:
            url = url.rstrip("/") + "/;token=" + token
        _spark = SparkSession.builder.remote(url).getOrCreate()
    return _spark


def sql(query: str):
    """Runs a query on the endpoint and returns a pandas DataFrame."""
    return connect().sql(query).toPandas()
