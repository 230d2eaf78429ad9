"""The launcher's class-data-sharing archive: after the first `songhong demo` or `songhong run` after
a build, a training run in the background archives the classes a Spark session loads, and later
launches load classes from it."""

from __future__ import annotations

import os
import subprocess
import time

import pytest

from conftest import REPO, SONGHONG

TARGET = REPO / "cli" / "target"  # the launcher's distribution


def test_the_first_demo_after_the_build_archived_its_classes_and_launches_use_them(lake):
    if os.environ.get("SONGHONG_CDS", "1") != "1":
        pytest.skip("SONGHONG_CDS turns the archive off")
    jar, jsa = TARGET / "songhong.jar", TARGET / "songhong.jsa"
    if (lake / "_built").stat().st_mtime < jar.stat().st_mtime:
        pytest.skip("the sample lake was built before this build: no demo has run since (run-tests builds both)")
    lock = TARGET / "songhong.jsa.lock"  # held while the training run archives (about a minute)
    deadline = time.monotonic() + 600
    while lock.exists() and time.monotonic() < deadline:
        time.sleep(2)
    log = TARGET / "songhong.jsa.log"
    assert jsa.exists(), ("the demo that built the sample lake left no archive (see the launcher, 'Class-data sharing'):\n"
                          + (log.read_text(errors="replace")[-3000:] if log.exists() else "no training log"))
    assert jsa.stat().st_mtime >= jar.stat().st_mtime, "the archive is older than the jar"
    assert jsa.stat().st_size > 50_000_000, f"an archive of {jsa.stat().st_size} bytes lacks Spark's classes"
    # A launch loads its classes from the archive: the JVM says where each class came from.
    r = subprocess.run([SONGHONG, "--version"], capture_output=True, text=True, timeout=120,
                       env={**os.environ, "SONGHONG_SKIP_BUILD": "1", "SONGHONG_JAVA_OPTS": "-Xlog:class+load=info"})
    assert r.returncode == 0, r.stderr[-2000:]
    shared = [line for line in r.stdout.splitlines() if "org.songhong.cli.Main " in line]
    assert shared and "shared objects file (top)" in shared[0], shared or r.stdout[-2000:]
