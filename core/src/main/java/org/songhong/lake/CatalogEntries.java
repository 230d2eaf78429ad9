package org.songhong.lake;

import org.apache.spark.sql.catalyst.TableIdentifier;
import org.apache.spark.sql.catalyst.catalog.CatalogStorageFormat;
import org.apache.spark.sql.catalyst.catalog.CatalogTable;
import org.apache.spark.sql.catalyst.catalog.CatalogTable$;
import org.apache.spark.sql.catalyst.catalog.CatalogTableType;
import org.apache.spark.sql.types.StructType;
import scala.Option;

/**
 * Catalog entries built directly, so that registering a table or a view by name reads nothing:
 * Spark's {@code CatalogTable} is a Scala case class whose optional fields take their defaults
 * here.
 */
final class CatalogEntries {
  private CatalogEntries() {}

  /** A catalog entry; {@code properties} and {@code comment} may be null. */
  static CatalogTable table(
      TableIdentifier id,
      CatalogTableType type,
      CatalogStorageFormat storage,
      StructType schema,
      Option<String> provider,
      scala.collection.immutable.Map<String, String> properties,
      Option<String> viewText,
      String comment) {
    CatalogTable$ d = CatalogTable$.MODULE$;
    return d.apply(
        id,
        type,
        storage,
        schema,
        provider,
        d.apply$default$6(),
        d.apply$default$7(),
        d.apply$default$8(),
        d.apply$default$9(),
        d.apply$default$10(),
        d.apply$default$11(),
        properties == null ? d.apply$default$12() : properties,
        d.apply$default$13(),
        viewText,
        Option.apply(comment == null ? null : comment.strip()),
        d.apply$default$16(),
        d.apply$default$17(),
        d.apply$default$18(),
        d.apply$default$19(),
        d.apply$default$20(),
        viewText,
        d.apply$default$22());
  }
}
