package org.songhong.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

class NamedRowTest {
  private static final StructType TYPE =
      new StructType()
          .add("published_value", DataTypes.DoubleType)
          .add("computed_value", DataTypes.DoubleType)
          .add("year", DataTypes.IntegerType);

  @Test
  void valuesLandInTheTypesColumnOrderWhateverOrderTheyAreGivenIn() {
    Row r =
        NamedRow.of(TYPE)
            .set("year", 2024)
            .set("computed_value", 2.0)
            .set("published_value", 1.0)
            .row();
    assertThat(r.get(0)).isEqualTo(1.0);
    assertThat(r.get(1)).isEqualTo(2.0);
    assertThat(r.<Integer>getAs("year")).isEqualTo(2024);
    // The same values against the type with its two doubles swapped: they move with their names.
    StructType swapped =
        new StructType()
            .add("computed_value", DataTypes.DoubleType)
            .add("published_value", DataTypes.DoubleType)
            .add("year", DataTypes.IntegerType);
    Row s =
        NamedRow.of(swapped)
            .set("year", 2024)
            .set("computed_value", 2.0)
            .set("published_value", 1.0)
            .row();
    assertThat(s.get(0)).isEqualTo(2.0);
    assertThat(s.<Double>getAs("published_value")).isEqualTo(1.0);
  }

  @Test
  void anUnknownRepeatedOrMissingColumnIsNamed() {
    assertThatThrownBy(() -> NamedRow.of(TYPE).set("published", 1.0))
        .hasMessageContaining("no column published");
    assertThatThrownBy(() -> NamedRow.of(TYPE).set("year", 1).set("year", 2))
        .hasMessageContaining("column year given twice");
    assertThatThrownBy(() -> NamedRow.of(TYPE).set("year", 1).row())
        .hasMessageContaining("[published_value, computed_value]");
  }

  @Test
  void theElementTypeOfAnArrayOfStructsColumnComesFromTheContract() {
    TableContract scorecard = ContractCatalog.load(SchemaResources.open("")).get("gold.scorecard");
    assertThat(NamedRow.element(scorecard, "sparkline").fieldNames())
        .containsExactly("year", "value");
    assertThatThrownBy(() -> NamedRow.element(scorecard, "status"))
        .hasMessageContaining("not an array of structs");
  }
}
