package org.songhong.contract;

import java.util.List;

/**
 * The catalogue economists read ({@code schemas/CATALOG.md}): the gold marts with their grain, key
 * and columns, then the views and the SQL functions, all from the contracts, so it cannot drift
 * from what the lake holds ({@code ContractCatalogTest} compares the committed file with this).
 * {@code songhong tables --catalog} prints it.
 */
public final class CatalogMarkdown {
  private CatalogMarkdown() {}

  public static String render(ContractCatalog catalog) {
    StringBuilder md = new StringBuilder();
    md.append("# The catalogue of marts\n\n")
        .append(
            "Generated from `schemas/` by `songhong tables --catalog` (a test keeps this file current).\n")
        .append(
            "Query them through the SQL endpoint (`songhong serve sql`), the shell (`songhong sql`) or a notebook.\n")
        .append(
            "Every table also reads as it was: `SELECT ... FROM t VERSION AS OF n` or `TIMESTAMP AS OF '...'`.\n\n");
    md.append("## Gold tables\n\n| table | grain | key |\n|---|---|---|\n");
    List<TableContract> gold =
        catalog.all().stream().filter(t -> t.layer().equals("gold")).toList();
    for (TableContract t : gold) {
      md.append("| [`")
          .append(t.name())
          .append("`](#")
          .append(t.name().replace(".", ""))
          .append(") | ")
          .append(cell(t.grain()))
          .append(" | ")
          .append(String.join(", ", t.primaryKey()))
          .append(" |\n");
    }
    md.append("\n## Views\n\n| view | what |\n|---|---|\n");
    for (ViewContract v : catalog.views()) {
      md.append("| `").append(v.name()).append("` | ").append(cell(v.description())).append(" |\n");
    }
    md.append("\n## SQL functions\n\n| function | returns | what |\n|---|---|---|\n");
    for (FunctionContract f : catalog.functions()) {
      md.append("| `")
          .append(f.name())
          .append('(')
          .append(f.parameters())
          .append(")` | ")
          .append(f.returns())
          .append(" | ")
          .append(cell(f.description()))
          .append(" |\n");
    }
    for (TableContract t : gold) {
      md.append("\n## ").append(t.name()).append("\n\n").append(cell(t.grain()));
      if (t.description() != null) {
        md.append(' ').append(cell(t.description()));
      }
      md.append("\n\n| column | type | description |\n|---|---|---|\n");
      for (ColumnSpec c : t.columns()) {
        md.append("| `")
            .append(c.name())
            .append("` | ")
            .append(cell(c.type()))
            .append(c.isNullable() ? "" : " (not null)")
            .append(" | ")
            .append(c.description() == null ? "" : cell(c.description()))
            .append(" |\n");
      }
    }
    return md.toString();
  }

  private static String cell(String s) {
    return s.strip().replaceAll("\\s+", " ").replace("|", "\\|");
  }
}
