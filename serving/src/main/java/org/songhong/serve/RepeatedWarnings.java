package org.songhong.serve;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which occurrences of a repeated warning to log: the first of each key (a session, say) in each
 * window, and afterwards one line counting those left out, so that a client retrying a refused
 * query in a loop (five times a second) writes two lines a minute, not three hundred, and no
 * refusal goes uncounted. Time is passed in (nanoseconds, as from {@link System#nanoTime}).
 */
final class RepeatedWarnings {
  /** A key's window: when its first warning was logged, and how many came after it. */
  private static final class Window {
    final long startNs;
    long leftOut;

    Window(long startNs) {
      this.startNs = startNs;
    }
  }

  /** Warnings not logged in a window of {@code key}: {@code count} of them. */
  record LeftOut(String key, long count) {}

  private final long windowNs;
  private final Map<String, Window> windows = new LinkedHashMap<>();

  /** Counts of windows that {@link #log} ended (a key's next warning came after its window). */
  private final List<LeftOut> pending = new ArrayList<>();

  RepeatedWarnings(long windowNs) {
    this.windowNs = windowNs;
  }

  /**
   * Whether to log this occurrence of {@code key}'s warning: true for the first in a window (a
   * window of the key that ended first gives its count to {@link #ended}), false for the others,
   * which are counted.
   */
  synchronized boolean log(String key, long nowNs) {
    Window w = windows.get(key);
    if (w != null && nowNs - w.startNs < windowNs) {
      w.leftOut++;
      return false;
    }
    if (w != null && w.leftOut > 0) {
      pending.add(new LeftOut(key, w.leftOut));
    }
    windows.put(key, new Window(nowNs));
    return true;
  }

  /**
   * The windows over by {@code nowNs} that left warnings out, each once; their keys are forgotten.
   */
  synchronized List<LeftOut> ended(long nowNs) {
    List<LeftOut> out = new ArrayList<>(pending);
    pending.clear();
    for (Iterator<Map.Entry<String, Window>> it = windows.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<String, Window> e = it.next();
      if (nowNs - e.getValue().startNs >= windowNs) {
        if (e.getValue().leftOut > 0) {
          out.add(new LeftOut(e.getKey(), e.getValue().leftOut));
        }
        it.remove();
      }
    }
    return out;
  }
}
