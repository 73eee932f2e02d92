package dev.logwait.joiner.table;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.struct;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/** Shapes rows to a table's schema, by column and struct-field name. */
public final class Alignment {
  private Alignment() {}

  /**
   * Orders the rows' columns as the table's (Iceberg checks the order), fills the table's columns
   * the rows lack with nulls, and puts new columns last, where schema merging adds them.
   */
  static Dataset<Row> alignTo(StructType table, Dataset<Row> rows) {
    Set<String> have = new LinkedHashSet<>(List.of(rows.columns()));
    List<Column> cols = new ArrayList<>();
    for (StructField f : table.fields()) {
      cols.add(have.remove(f.name()) ? col(f.name()) : lit(null).cast(f.dataType()).as(f.name()));
    }
    have.forEach(c -> cols.add(col(c)));
    return rows.select(cols.toArray(Column[]::new));
  }

  /**
   * Gives {@code rows} struct column {@code target} of exactly the target's type: the rows' own
   * fields in the target's order, those they lack (or the whole column) as nulls.
   */
  public static Dataset<Row> alignStruct(Dataset<Row> rows, StructField target) {
    String name = target.name();
    if (!Arrays.asList(rows.columns()).contains(name)) {
      return rows.withColumn(name, lit(null).cast(target.dataType()));
    }
    StructType have = (StructType) rows.schema().apply(name).dataType();
    StructType want = (StructType) target.dataType();
    if (have.sameType(want)) {
      return rows;
    }
    List<Column> fields = new ArrayList<>();
    for (StructField f : want.fields()) {
      Column c =
          Arrays.asList(have.fieldNames()).contains(f.name())
              ? col(name + "." + f.name()).cast(f.dataType())
              : lit(null).cast(f.dataType());
      fields.add(c.as(f.name()));
    }
    return rows.withColumn(name, struct(fields.toArray(Column[]::new)));
  }
}
