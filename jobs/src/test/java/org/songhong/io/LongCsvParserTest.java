package org.songhong.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.songhong.jobs.provincial.LongCsvParser;
import org.songhong.jobs.provincial.LongCsvParser.Parsed;

class LongCsvParserTest {
  private static Parsed parse(String text) {
    return LongCsvParser.parse("f.csv", text.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void readsFieldsInAnyOrderWithBomQuotesAndLineNumbers() {
    Parsed p =
        parse(
            "\uFEFFyear,unit,indicator,province,value\r\n2024,%,grdp_growth_real,\"Hải Phòng\",11.01\r\n\r\n"
                + "2023,%,grdp_growth_real,\"Hà Nội, TP\",\"6,9\"\n");
    assertThat(p.rejects()).isEmpty();
    assertThat(p.records()).hasSize(2);
    assertThat(p.records().get(0))
        .isEqualTo(
            new LongCsvParser.Record(
                2,
                "2024,%,grdp_growth_real,\"Hải Phòng\",11.01",
                "grdp_growth_real",
                "Hải Phòng",
                "2024",
                "11.01",
                "%"));
    assertThat(p.records().get(1).line()).isEqualTo(4);
    assertThat(p.records().get(1).province()).isEqualTo("Hà Nội, TP");
    assertThat(p.records().get(1).value()).isEqualTo("6,9");
  }

  @Test
  void semicolonFilesAreRead() {
    Parsed p =
        parse(
            "indicator;province;year;value;unit\ngrdp_current;Hải Phòng;2024;445995;billion VND\n");
    assertThat(p.records())
        .singleElement()
        .extracting(LongCsvParser.Record::value)
        .isEqualTo("445995");
  }

  @Test
  void aLineWithTheWrongNumberOfFieldsIsRejectedWithItsLine() {
    Parsed p = parse("indicator,province,year,value,unit\na,b,2024,1,%\na,b,2024,1,%,extra\n");
    assertThat(p.records()).hasSize(1);
    assertThat(p.rejects())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.line()).isEqualTo(3);
              assertThat(r.rule()).isEqualTo("csv_field_count");
              assertThat(r.reason())
                  .isEqualTo(
                      "f.csv line 3 has 6 fields, expected 5 (is the delimiter ','? quote values that contain it)");
            });
  }

  @Test
  void aMissingColumnRejectsTheWholeFile() {
    Parsed p = parse("indicator,province,year,value\na,b,2024,1\n");
    assertThat(p.records()).isEmpty();
    assertThat(p.rejects())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.rule()).isEqualTo("bad_header");
              assertThat(r.reason())
                  .isEqualTo(
                      "Cannot ingest f.csv: line 1 is the header and lacks column(s) unit "
                          + "(expected indicator,province,year,value,unit in any order)");
            });
  }

  @Test
  void emptyAndBinaryFilesAreRejectedWhole() {
    assertThat(parse("\n\n").rejects())
        .singleElement()
        .extracting(org.songhong.io.Reject::rule)
        .isEqualTo("empty_file");
    Parsed binary =
        LongCsvParser.parse("f.csv", new byte[] {'P', 'K', 3, 4, (byte) 0xC3, (byte) 0x28});
    assertThat(binary.rejects())
        .singleElement()
        .extracting(org.songhong.io.Reject::rule)
        .isEqualTo("not_utf8");
  }

  @Test
  void anUnclosedQuoteIsRejected() {
    Parsed p = parse("indicator,province,year,value,unit\na,\"b,2024,1,%\n");
    assertThat(p.rejects())
        .singleElement()
        .extracting(org.songhong.io.Reject::rule)
        .isEqualTo("csv_syntax");
  }
}
