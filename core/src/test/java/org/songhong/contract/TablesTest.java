package org.songhong.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class TablesTest {
  @Test
  void theConstantsAreExactlyTheContractsTablesAndViewsEachNamedAfterIt() throws Exception {
    ContractCatalog catalog = ContractCatalog.load(SchemaResources.open(""));
    var contracts =
        java.util.stream.Stream.concat(
                catalog.all().stream().map(TableContract::name),
                catalog.views().stream().map(ViewContract::name))
            .sorted()
            .toList();
    var constants =
        Arrays.stream(Tables.class.getDeclaredFields())
            .filter(f -> Modifier.isStatic(f.getModifiers()))
            .toList();
    assertThat(constants.stream().map(f -> value(f)).sorted().toList()).isEqualTo(contracts);
    for (Field f : constants) {
      assertThat(f.getName()).isEqualTo(value(f).replace('.', '_').toUpperCase(Locale.ROOT));
    }
  }

  private static String value(Field f) {
    try {
      return (String) f.get(null);
    } catch (IllegalAccessException e) {
      throw new IllegalStateException(e);
    }
  }
}
