package org.songhong.jobs.marts;

import java.util.Locale;
import org.songhong.domain.targets.Attainment;

/** The one-line explanation of a status, in Vietnamese and English, for the scorecard. */
public final class Explanations {
  private Explanations() {}

  /** A number as Vietnamese writes it: comma for decimals, one decimal place. */
  public static String vi(double v) {
    return String.format(Locale.ROOT, "%.1f", v).replace('.', ',');
  }

  public static String en(double v) {
    return String.format(Locale.ROOT, "%.1f", v);
  }

  public static String vietnamese(Attainment a, int asOfYear) {
    return switch (a.status()) {
      case Attainment.INSUFFICIENT_DATA -> "Chưa đủ số liệu để đánh giá";
      case Attainment.ACHIEVED ->
          "Đã đạt mục tiêu (năm " + asOfYear + ": " + vi(a.measuredValue()) + ")";
      default -> {
        Double r = a.cagrNeededFromNowPct();
        if (r == null) {
          yield "Chưa đạt mục tiêu (năm " + asOfYear + ": " + vi(a.measuredValue()) + ")";
        }
        if (Math.abs(r) < 0.05) {
          yield "Đang ở ngưỡng mục tiêu ("
              + vi(a.measuredValue())
              + "), cần vượt qua ngưỡng để đạt";
        }
        yield (r >= 0 ? "Cần tăng " : "Cần giảm ")
            + vi(Math.abs(r))
            + "%/năm từ nay để đạt mục tiêu";
      }
    };
  }

  public static String english(Attainment a, int asOfYear) {
    return switch (a.status()) {
      case Attainment.INSUFFICIENT_DATA -> "Not enough data: " + a.note();
      case Attainment.ACHIEVED -> "Target met (" + asOfYear + ": " + en(a.measuredValue()) + ")";
      default -> {
        Double r = a.cagrNeededFromNowPct();
        if (r == null) {
          yield "Target not met (" + asOfYear + ": " + en(a.measuredValue()) + ")";
        }
        if (Math.abs(r) < 0.05) {
          yield "At the threshold (" + en(a.measuredValue()) + "); must pass it to meet the target";
        }
        yield (r >= 0 ? "Needs " : "Needs to fall ")
            + en(Math.abs(r))
            + "%/yr from now to reach the target";
      }
    };
  }
}
