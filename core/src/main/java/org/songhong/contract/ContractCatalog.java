package org.songhong.contract;

import java.nio.file.Path;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.songhong.error.Errors;

/** Every table contract of {@code schemas/tables/}, validated when loaded. */
public final class ContractCatalog {
  private static final Set<String> LAYERS = Set.of("bronze", "silver", "gold", "ops");
  private final Map<String, TableContract> byName;
  private final Map<String, ViewContract> views;
  private final Map<String, FunctionContract> functions;

  private ContractCatalog(
      Map<String, TableContract> byName,
      Map<String, ViewContract> views,
      Map<String, FunctionContract> functions) {
    this.functions = functions;
    this.byName = byName;
    this.views = views;
  }

  public static ContractCatalog load(SchemaResources schemas) {
    Map<String, TableContract> out = new LinkedHashMap<>();
    for (Path file : schemas.list("tables", ".yaml")) {
      String shown = schemas.describe(file);
      TableContract c = Yaml.read(file, shown, TableContract.class);
      validate(c, shown);
      if (out.put(c.name(), c) != null) {
        throw Errors.badContract(shown, "table " + c.name() + " is declared twice");
      }
    }
    Map<String, ViewContract> views = new LinkedHashMap<>();
    for (Path file : schemas.list("views", ".yaml")) {
      String shown = schemas.describe(file);
      ViewContract v = Yaml.read(file, shown, ViewContract.class);
      if (!v.name().matches("[a-z]+\\.[a-z0-9_]+")
          || out.containsKey(v.name())
          || views.put(v.name(), v) != null) {
        throw Errors.badContract(
            shown, "view " + v.name() + " must be named layer.name and not clash with another");
      }
    }
    Map<String, FunctionContract> functions = new LinkedHashMap<>();
    for (Path file : schemas.list("functions", ".yaml")) {
      String shown = schemas.describe(file);
      FunctionContract f = Yaml.read(file, shown, FunctionContract.class);
      if (!f.name().matches("[a-z]+\\.[a-z0-9_]+")
          || out.containsKey(f.name())
          || views.containsKey(f.name())
          || functions.put(f.name(), f) != null) {
        throw Errors.badContract(
            shown,
            "function "
                + f.name()
                + " must be named layer.name and not clash with a table, view or function");
      }
    }
    return new ContractCatalog(out, views, functions);
  }

  static void validate(TableContract c, String file) {
    if (!c.name().matches("[a-z]+\\.[a-z0-9_]+") || !LAYERS.contains(c.layer())) {
      throw Errors.badContract(
          file, "table must be named layer.name with layer one of " + LAYERS + ", got " + c.name());
    }
    Set<String> seen = new HashSet<>();
    for (ColumnSpec col : c.columns()) {
      if (!seen.add(col.name())) {
        throw Errors.badContract(file, "column " + col.name() + " is declared twice");
      }
      try {
        TableContract.type(col.type());
      } catch (Exception e) {
        throw Errors.badContract(
            file, "column " + col.name() + " has unknown type '" + col.type() + "'");
      }
    }
    for (String k : c.primaryKey()) {
      if (!seen.contains(k)) {
        throw Errors.badContract(file, "primary key column " + k + " is not a column");
      }
      if (c.column(k).orElseThrow().isNullable()) {
        throw Errors.badContract(file, "primary key column " + k + " must be nullable: false");
      }
    }
    for (String p : c.partitionedBy()) {
      if (!seen.contains(p)) {
        throw Errors.badContract(file, "partition column " + p + " is not a column");
      }
    }
    for (String s : c.statsColumnsChosen().orElse(List.of())) {
      if (!seen.contains(s)) {
        throw Errors.badContract(file, "stats column " + s + " is not a column");
      }
      if (c.partitionedBy().contains(s)) {
        throw Errors.badContract(
            file, "stats column " + s + " is a partition column (Delta keeps no statistics on it)");
      }
      String type = c.column(s).orElseThrow().type().toLowerCase(java.util.Locale.ROOT).strip();
      if (type.equals("boolean") || type.equals("binary") || type.contains("<")) {
        throw Errors.badContract(
            file,
            "stats column "
                + s
                + " is "
                + type
                + ": Delta keeps statistics on numbers, strings, dates and timestamps only");
      }
    }
  }

  public TableContract get(String name) {
    TableContract c = byName.get(name);
    if (c == null) {
      throw Errors.unknownTable(name);
    }
    return c;
  }

  public Collection<TableContract> all() {
    return byName.values();
  }

  /** The SQL functions of {@code schemas/functions/}, registered after the views they may read. */
  public Collection<FunctionContract> functions() {
    return functions.values();
  }

  public Collection<ViewContract> views() {
    return views.values();
  }
}
