package org.songhong.logging;

import java.util.Map;
import org.apache.logging.log4j.core.util.ContextDataProvider;

/**
 * Adds the current run id to every log event, from every thread (Spark's own included), so that
 * each line of the JSON log says which run wrote it. Registered through {@code
 * META-INF/services/org.apache.logging.log4j.core.util.ContextDataProvider}.
 */
public final class RunIdContext implements ContextDataProvider {
  private static volatile String current = "-";

  public static void set(String runId) {
    current = runId == null ? "-" : runId;
  }

  public static String get() {
    return current;
  }

  @Override
  public Map<String, String> supplyContextData() {
    return Map.of("run_id", current);
  }
}
