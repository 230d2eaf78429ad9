package org.songhong.jobs.logistics;

import java.time.ZoneId;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.catalyst.expressions.variant.VariantCastArgs;
import org.apache.spark.sql.catalyst.expressions.variant.VariantGet$;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.types.variant.Variant;
import org.apache.spark.types.variant.VariantUtil;
import org.apache.spark.unsafe.types.UTF8String;
import org.apache.spark.unsafe.types.VariantVal;

/**
 * A parsed JSON line's named top-level fields as strings, all in one call: a struct of {@code
 * is_object} (the line parsed and is a JSON object) and one string per name, each what {@code
 * try_variant_get(v, '$.name', 'string')} answers. Spark's {@code variant_get} builds a literal and
 * a cast expression for every value it returns and reads the session's configuration for each (5-9%
 * of the gate moves' silver job's samples for six fields); here a string field is read as it is,
 * and any other value (a number, a boolean, an object) goes through Spark's own cast of a variant
 * to a string, so the answer is the same for every value.
 */
final class JsonFields implements UDF1<VariantVal, Row> {
  private static final long serialVersionUID = 1L;
  private final String[] names;
  private final String zone;

  private JsonFields(List<String> names, String zone) {
    this.names = names.toArray(String[]::new);
    this.zone = zone;
  }

  /**
   * The function of a variant column (from {@code try_parse_json}) returning the struct; {@code
   * zone} is the session's time zone, as {@code variant_get} uses it.
   */
  static UserDefinedFunction of(List<String> names, String zone) {
    StructType type = new StructType().add("is_object", DataTypes.BooleanType, false);
    for (String n : names) {
      type = type.add(n, DataTypes.StringType, true);
    }
    return functions.udf(new JsonFields(names, zone), type).asNonNullable();
  }

  @Override
  public Row call(VariantVal value) {
    Object[] out = new Object[names.length + 1];
    out[0] = false;
    if (value == null) {
      return RowFactory.create(out);
    }
    Variant v = new Variant(value.getValue(), value.getMetadata());
    if (v.getType() != VariantUtil.Type.OBJECT) {
      return RowFactory.create(out);
    }
    out[0] = true;
    for (int i = 0; i < names.length; i++) {
      out[i + 1] = string(v.getFieldByKey(names[i]));
    }
    return RowFactory.create(out);
  }

  /** A field's value as {@code try_variant_get(..., 'string')} returns it; null when absent. */
  private String string(Variant field) {
    if (field == null) {
      return null;
    }
    VariantUtil.Type type = field.getType();
    if (type == VariantUtil.Type.STRING) {
      return field.getString();
    }
    if (type == VariantUtil.Type.NULL) {
      return null;
    }
    Object cast =
        VariantGet$.MODULE$.cast(
            field,
            DataTypes.StringType,
            VariantCastArgs.apply(false, scala.Option.apply(zone), ZoneId.of(zone)));
    return cast == null ? null : ((UTF8String) cast).toString();
  }
}
