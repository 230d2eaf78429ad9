package org.songhong.serve;

import java.util.Locale;
import org.apache.spark.sql.catalyst.FunctionIdentifier;
import org.apache.spark.sql.catalyst.TableIdentifier;
import org.apache.spark.sql.catalyst.analysis.UnresolvedRelation;
import org.apache.spark.sql.catalyst.analysis.UnresolvedTableValuedFunction;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.parser.ParameterContext;
import org.apache.spark.sql.catalyst.parser.ParseException;
import org.apache.spark.sql.catalyst.parser.ParserInterface;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructType;
import org.songhong.error.Errors;
import scala.collection.immutable.Seq;

/**
 * The SQL endpoint's parser: Spark's (and Delta's), then a look for {@code format.`path`} (a file
 * queried directly, {@code text.`/etc/passwd`}, {@code delta.`/some/table`}), refused before the
 * analyzer would open the file to infer its schema. Only once the {@link EndpointGuard} is locked.
 */
final class GuardedParser implements ParserInterface {
  private final ParserInterface delegate;

  GuardedParser(ParserInterface delegate) {
    this.delegate = delegate;
  }

  @Override
  public LogicalPlan parsePlan(String sql) throws ParseException {
    return checked(delegate.parsePlan(sql));
  }

  @Override
  public LogicalPlan parsePlanWithParameters(String sql, ParameterContext parameters)
      throws ParseException {
    return checked(delegate.parsePlanWithParameters(sql, parameters));
  }

  @Override
  public LogicalPlan parseQuery(String sql) throws ParseException {
    return checked(delegate.parseQuery(sql));
  }

  private static LogicalPlan checked(LogicalPlan plan) {
    if (!EndpointGuard.locked()) {
      return plan;
    }
    EndpointGuard.walk(
        plan,
        node -> {
          if (node instanceof UnresolvedRelation r) {
            Seq<String> parts = r.multipartIdentifier();
            if (parts.size() == 2
                && EndpointGuard.FILE_SOURCES.contains(parts.head().toLowerCase(Locale.ROOT))) {
              throw Errors.endpointRefuses(
                  "reading a file or a path directly (" + parts.head() + ".`" + parts.last() + "`)",
                  EndpointGuard.INSTEAD_TABLES);
            }
          }
          if (node instanceof UnresolvedTableValuedFunction f
              && f.name().last().equalsIgnoreCase("read_files")) {
            throw Errors.endpointRefuses(
                "read_files (it reads files of the server)", EndpointGuard.INSTEAD_TABLES);
          }
        });
    return plan;
  }

  @Override
  public Expression parseExpression(String sqlText) throws ParseException {
    return delegate.parseExpression(sqlText);
  }

  @Override
  public TableIdentifier parseTableIdentifier(String sqlText) throws ParseException {
    return delegate.parseTableIdentifier(sqlText);
  }

  @Override
  public FunctionIdentifier parseFunctionIdentifier(String sqlText) throws ParseException {
    return delegate.parseFunctionIdentifier(sqlText);
  }

  @Override
  public Seq<String> parseMultipartIdentifier(String sqlText) throws ParseException {
    return delegate.parseMultipartIdentifier(sqlText);
  }

  @Override
  public StructType parseRoutineParam(String sqlText) throws ParseException {
    return delegate.parseRoutineParam(sqlText);
  }

  @Override
  public StructType parseTableSchema(String sqlText) throws ParseException {
    return delegate.parseTableSchema(sqlText);
  }

  @Override
  public DataType parseDataType(String sqlText) throws ParseException {
    return delegate.parseDataType(sqlText);
  }
}
