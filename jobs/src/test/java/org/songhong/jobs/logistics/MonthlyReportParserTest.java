package org.songhong.jobs.logistics;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

class MonthlyReportParserTest {
  private static MonthlyReportParser.Report parse(String text) {
    return MonthlyReportParser.parse("r.csv", text.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void aPortReportBecomesOneFigurePerFilledCellWithItsReleaseDate() {
    var r =
        parse(
            """
        \uFEFFBÁO CÁO SẢN LƯỢNG HÀNG HÓA
        Ngày báo cáo: 10/04/2025

        Tháng,Khu vực cảng,Bến cảng,Loại hàng,Nhập khẩu (tấn),Xuất khẩu (tấn),Nội địa (tấn),Container (TEU),Lượt tàu
        03/2025,Lạch Huyện,HICT,Container,"412.345","398.112","12.000","61.234",58
        03/2025,Sông Cấm,Hoàng Diệu,Hàng rời khô,"1.000",2,3,,4
        """);
    assertThat(r.kind()).isEqualTo("port");
    assertThat(r.publishedOn()).isEqualTo(LocalDate.of(2025, 4, 10));
    assertThat(r.vintage()).isEqualTo("port-2025-04-10");
    assertThat(r.rejects()).isEmpty();
    // 5 figures on the first row, 4 on the second (no TEU for bulk)
    assertThat(r.figures()).hasSize(9);
    var teu =
        r.figures().stream()
            .filter(f -> f.measure().equals("container_teu"))
            .findFirst()
            .orElseThrow();
    assertThat(teu.value()).isEqualTo("61.234");
    assertThat(teu.line()).isEqualTo(5);
    assertThat(teu.column()).isEqualTo(8);
    assertThat(teu.unitName()).isEqualTo("HICT");
    assertThat(
            r.figures().stream()
                .filter(f -> f.flow().equals("import"))
                .map(MonthlyReportParser.Figure::value))
        .containsExactly("412.345", "1.000");
  }

  @Test
  void anAirportReportIsRecognisedByItsColumns() {
    var r =
        parse(
            """
        Ngày báo cáo: 05/02/2025
        Tháng;Cảng hàng không;Hành khách quốc nội;Hành khách quốc tế;Hàng hóa (tấn);Lượt cất hạ cánh
        01/2025;Cát Bi;245.123;32.100;1.234,5;1.850
        """);
    assertThat(r.kind()).isEqualTo("airport");
    assertThat(r.figures())
        .extracting(MonthlyReportParser.Figure::measure)
        .containsExactly("passengers", "passengers", "air_cargo_tonnes", "aircraft_movements");
  }

  @Test
  void aReportWithoutItsDateOrWithAnUnknownColumnIsRejectedWholeSayingWhatToDo() {
    var noDate = parse("Tháng,Bến cảng,Container (TEU)\n03/2025,HICT,1\n");
    assertThat(noDate.figures()).isEmpty();
    assertThat(noDate.rejects())
        .singleElement()
        .satisfies(
            j -> {
              assertThat(j.rule()).isEqualTo("no_report_date");
              assertThat(j.reason()).contains("r.csv", "Ngày báo cáo");
            });
    var badDate = parse("Ngày báo cáo: 2025-04-10\nTháng,Bến cảng,Container (TEU)\n");
    assertThat(badDate.rejects())
        .singleElement()
        .satisfies(j -> assertThat(j.reason()).contains("line 1", "dd/mm/yyyy"));
    var unknown =
        parse("Ngày báo cáo: 10/04/2025\nTháng,Bến cảng,Sản lượng quy đổi\n03/2025,HICT,5\n");
    assertThat(unknown.rejects())
        .singleElement()
        .satisfies(
            j -> {
              assertThat(j.rule()).isEqualTo("unknown_column");
              assertThat(j.reason()).contains("line 2", "Sản lượng quy đổi");
            });
    var ragged = parse("Ngày báo cáo: 10/04/2025\nTháng,Bến cảng,Container (TEU)\n03/2025,HICT\n");
    assertThat(ragged.rejects())
        .singleElement()
        .satisfies(
            j -> {
              assertThat(j.rule()).isEqualTo("wrong_field_count");
              assertThat(j.line()).isEqualTo(3);
            });
  }

  @Test
  void aReportSentAsAWorkbookReadsLikeItsCsv() throws Exception {
    java.nio.file.Path dir = java.nio.file.Path.of("..", "data", "sample", "logistics", "reports");
    var r =
        MonthlyReportParser.parseXlsx(
            "cang-vu-hai-phong_2025-11.xlsx",
            java.nio.file.Files.readAllBytes(dir.resolve("cang-vu-hai-phong_2025-11.xlsx")));
    assertThat(r.rejects()).isEmpty();
    assertThat(r.kind()).isEqualTo("port");
    assertThat(r.publishedOn()).isEqualTo(LocalDate.of(2025, 12, 10));
    var teu =
        r.figures().stream()
            .filter(f -> f.measure().equals("container_teu") && f.unitName().equals("HICT"))
            .findFirst()
            .orElseThrow();
    assertThat(teu.month()).isEqualTo("11/2025");
    assertThat(teu.line())
        .isEqualTo(7); // the sheet: title, 3 lines, a blank row, the table header, then HICT
    assertThat(org.songhong.io.StatNumbers.parse(teu.value(), "vi"))
        .isBetween(100_000.0, 120_000.0);
    assertThat(
            MonthlyReportParser.parseXlsx(
                    "x.xlsx", "not a workbook".getBytes(StandardCharsets.UTF_8))
                .rejects())
        .singleElement()
        .satisfies(j -> assertThat(j.rule()).isEqualTo("not_xlsx"));
  }
}
