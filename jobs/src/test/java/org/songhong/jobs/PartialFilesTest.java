package org.songhong.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.zip.GZIPOutputStream;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.songhong.jobs.environment.ReadingFiles;
import org.songhong.jobs.logistics.EventFiles;

/**
 * A file read while it is still being written (or cut off in transfer) arrives as a gzip stream
 * without its end: the whole file goes to quarantine with a reason naming it, nothing of it is
 * half-loaded, and the complete file sent again (a new checksum) loads.
 */
class PartialFilesTest {
  private static byte[] gzip(String text) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(text.getBytes(StandardCharsets.UTF_8));
    }
    return out.toByteArray();
  }

  private static final String EVENTS =
      String.join(
              "\n",
              "{\"container_id\":\"CSQU3054383\",\"iso_code\":\"22G1\",\"full_empty\":\"F\",\"direction\":\"IN\",\"event_time\":\"2025-12-02T10:00:00+07:00\",\"terminal\":\"HOANGDIEU\"}",
              "{\"container_id\":\"MSCU1234565\",\"iso_code\":\"42G1\",\"full_empty\":\"F\",\"direction\":\"OUT\",\"event_time\":\"2025-12-02T11:00:00+07:00\",\"terminal\":\"HOANGDIEU\"}")
          + "\n";

  @Test
  void aGateMoveFileCutOffMidStreamIsQuarantinedWholeAndItsResendLoads() throws Exception {
    String path = "file:///landing/logistics/events/gate_moves/2025-12-02/HOANGDIEU.jsonl.gz";
    byte[] whole = gzip(EVENTS.repeat(50));
    byte[] partial = Arrays.copyOf(whole, whole.length / 2);

    List<Row> cut = EventFiles.lines(path, partial, Set.of());
    assertThat(cut)
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.getInt(4)).as("line 0: the whole file").isZero();
              assertThat(r.getString(6)).isEqualTo("unreadable_gzip");
              assertThat(r.getString(7))
                  .startsWith("Cannot ingest " + path + ": it is not a complete gzip file (")
                  .endsWith("it may have been cut off in transfer: resend it");
            });

    List<Row> resent = EventFiles.lines(path, whole, Set.of());
    assertThat(resent).hasSize(100).allSatisfy(r -> assertThat(r.getString(6)).isNull());
    assertThat(resent.get(0).getString(3))
        .as("a new checksum, so the resend is not skipped")
        .isNotEqualTo(cut.get(0).getString(3));
  }

  @Test
  void aMonitorFileCutOffMidStreamIsQuarantinedWhole() throws Exception {
    String path = "file:///landing/environment/readings/2025-06-01/HP-AIR-01.csv.gz";
    StringBuilder csv = new StringBuilder("station_id,timestamp,PM2.5 (µg/m3)\n");
    for (int h = 0; h < 24; h++) {
      csv.append(String.format("HP-AIR-01,2025-06-01 %02d:00,%d%n", h, 20 + h));
    }
    byte[] whole = gzip(csv.toString());
    List<Row> cut = ReadingFiles.readings(path, Arrays.copyOf(whole, whole.length - 12), Set.of());
    assertThat(cut)
        .singleElement()
        .satisfies(
            r ->
                assertThat(r.mkString("|"))
                    .contains("unreadable_gzip")
                    .contains("it is not a complete gzip file (")
                    .contains("resend it"));
    assertThat(ReadingFiles.readings(path, whole, Set.of()))
        .hasSize(24)
        .noneSatisfy(r -> assertThat(r.mkString("|")).contains("unreadable_gzip"));
  }
}
