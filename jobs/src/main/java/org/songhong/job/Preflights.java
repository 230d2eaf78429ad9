package org.songhong.job;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.songhong.io.LandingFiles;
import org.songhong.ops.InputFile;
import org.songhong.ops.LedgerHistory;

/**
 * The ways jobs decide, without Spark, that they have nothing to do (see {@link Preflight}): ingest
 * jobs compare the checksums of their landing files with those earlier runs processed; conforming
 * jobs compare what their upstream job processed with what they did; jobs that rebuild marts
 * compare the versions of the tables they read, and their settings, with their last successful run.
 */
public final class Preflights {
  /** The parameter a run records with the fingerprint of the schemas folder it used. */
  public static final String SCHEMAS_PARAMETER = "songhong.schemas.sha256";

  /** The parameter a run records with its logical date. */
  public static final String DATE_PARAMETER = "logical_date";

  private Preflights() {}

  /** Whether {@code job} has work: empty when it has none. A job without a preflight always has. */
  public static Optional<String> check(Job job, PreflightContext ctx) {
    if (job.preflight().isEmpty()) {
      return Optional.of("it always runs");
    }
    List<LedgerHistory.Entry> unfinished = ctx.ledger().unfinished(job.name());
    if (!unfinished.isEmpty()) {
      return Optional.of("run " + unfinished.get(0).runId() + " never finished");
    }
    try {
      return job.preflight().get().work(ctx);
    } catch (RuntimeException e) {
      // Undecided: the job runs, and says what is wrong in its own words (and in the ledger).
      return Optional.of(
          "could not tell without running ("
              + org.songhong.error.Errors.firstLine(String.valueOf(e.getMessage()))
              + ")");
    }
  }

  /**
   * Work when one of the landing files {@code relativePaths} has a checksum no successful run of
   * {@code job} processed.
   */
  public static Optional<String> newFiles(
      PreflightContext ctx, String job, LandingFiles landing, List<String> relativePaths) {
    return newFiles(ctx, job, relativePaths.stream().map(landing::uri).toList());
  }

  /**
   * Work when one of the files at {@code uris} has a checksum no successful run of {@code job}
   * processed.
   */
  public static Optional<String> newFiles(PreflightContext ctx, String job, List<String> uris) {
    Set<String> done = ctx.ledger().processedChecksums(job);
    List<String> fresh = new ArrayList<>();
    for (String uri : uris) {
      if (!done.contains(LandingFiles.checksumOf(uri, ctx.hadoop()))) {
        fresh.add(uri);
      }
    }
    return fresh.isEmpty()
        ? Optional.empty()
        : Optional.of(fresh.size() + " new file(s), e.g. " + fresh.get(0));
  }

  /**
   * Work when the successful runs of {@code upstream} processed a file that {@code job} has not.
   */
  public static Optional<String> upstreamPending(
      PreflightContext ctx, String job, String upstream) {
    Set<String> done = ctx.ledger().processedChecksums(job);
    List<InputFile> pending =
        ctx.ledger().processedInputs(upstream).stream()
            .filter(f -> !done.contains(f.checksum()))
            .toList();
    return pending.isEmpty()
        ? Optional.empty()
        : Optional.of(
            pending.size()
                + " file(s) landed by "
                + upstream
                + " not conformed yet, e.g. "
                + pending.get(0).path());
  }

  /**
   * Work unless the last successful run of {@code job} read the same versions of {@code tables} as
   * are current, with the same parameters (the logical date excepted unless {@code dateMatters}).
   */
  public static Optional<String> inputsUnchanged(
      PreflightContext ctx, String job, List<String> tables, boolean dateMatters) {
    Optional<LedgerHistory.Entry> last = ctx.ledger().lastSucceeded(job);
    if (last.isEmpty()) {
      return Optional.of("it never ran");
    }
    Map<String, String> before = new TreeMap<>(last.get().parameters());
    Map<String, String> now = new TreeMap<>(ctx.parameters());
    if (!dateMatters) {
      before.remove(DATE_PARAMETER);
      now.remove(DATE_PARAMETER);
    }
    if (!before.equals(now)) {
      String key = changedKey(before, now);
      return Optional.of("setting " + key + " changed since run " + last.get().runId());
    }
    Map<String, Long> read = last.get().readVersions();
    for (String t : tables) {
      long current = ctx.kernel().version(t);
      Long then = read.get(t);
      if (then == null || then != current) {
        return Optional.of(
            t
                + " is at version "
                + current
                + ", run "
                + last.get().runId()
                + " read "
                + (then == null ? "no version" : then));
      }
    }
    return Optional.empty();
  }

  private static String changedKey(Map<String, String> a, Map<String, String> b) {
    Set<String> keys = new java.util.TreeSet<>(a.keySet());
    keys.addAll(b.keySet());
    for (String k : keys) {
      if (!Objects.equals(a.get(k), b.get(k))) {
        return k;
      }
    }
    return "?";
  }

  /**
   * The parameters a run records: the settings in effect, the logical date, the schemas'
   * fingerprint.
   */
  public static Map<String, String> parameters(
      org.songhong.config.SonghongConfig config,
      org.songhong.contract.SchemaResources schemas,
      LocalDate logicalDate) {
    Map<String, String> params = new java.util.LinkedHashMap<>(config.effective());
    params.put(DATE_PARAMETER, logicalDate == null ? "" : logicalDate.toString());
    params.put(SCHEMAS_PARAMETER, schemas.fingerprint());
    return params;
  }

  /** The logical date of a run, today (UTC) when none was given. */
  public static LocalDate date(PreflightContext ctx) {
    return ctx.logicalDate() == null ? LocalDate.now(java.time.ZoneOffset.UTC) : ctx.logicalDate();
  }
}
