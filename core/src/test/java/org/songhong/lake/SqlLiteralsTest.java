package org.songhong.lake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.songhong.SparkTestSession;

/**
 * What Spark's parser reads back from a quoted value is the value, whatever quotes and backslashes
 * it holds.
 */
class SqlLiteralsTest {
  @Test
  void sparkReadsBackEveryValueAsWritten() {
    String[] values = {
      "plain", "Hải Phòng", "it's", "a\\", "a\\'", "\\' OR 1=1 --", "''", "x\\ny", "%_"
    };
    StringBuilder sql = new StringBuilder("SELECT ");
    for (int i = 0; i < values.length; i++) {
      sql.append(i == 0 ? "" : ", ").append(SqlLiterals.string(values[i]));
    }
    Row r = SparkTestSession.get().sql(sql.toString()).first();
    for (int i = 0; i < values.length; i++) {
      assertThat(r.getString(i)).as(values[i]).isEqualTo(values[i]);
    }
    assertThat(
            SparkTestSession.get()
                .sql("SELECT " + SqlLiterals.string(null) + " IS NULL")
                .first()
                .getBoolean(0))
        .isTrue();
  }

  @Test
  void doublesKeepTheirTypeAndValueAndNonFiniteNumbersAreRefused() {
    Row r =
        SparkTestSession.get()
            .sql(
                "SELECT "
                    + SqlLiterals.doubleOrNull(0.1)
                    + ", "
                    + SqlLiterals.doubleOrNull(null)
                    + ", typeof("
                    + SqlLiterals.doubleOrNull(null)
                    + ")")
            .first();
    assertThat(r.getDouble(0)).isEqualTo(0.1);
    assertThat(r.isNullAt(1)).isTrue();
    assertThat(r.getString(2)).isEqualTo("double");
    assertThatThrownBy(() -> SqlLiterals.doubleOrNull(Double.NaN))
        .hasMessageContaining("not a finite number");
  }
}
