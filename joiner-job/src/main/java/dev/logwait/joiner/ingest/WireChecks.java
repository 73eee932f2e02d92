package dev.logwait.joiner.ingest;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.hex;
import static org.apache.spark.sql.functions.length;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.substring;
import static org.apache.spark.sql.functions.when;

import dev.logwait.joiner.semantics.EventTimeGuard;
import dev.logwait.schema.MalformedMessageException.Reason;
import dev.logwait.schema.SingleObjectCodec;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The checks around a decode: the single-object header before it ({@code EMPTY}, {@code TOO_SHORT},
 * {@code BAD_MAGIC}), the event time after it ({@code EVENT_TIME_OUT_OF_RANGE}).
 */
final class WireChecks {
  private WireChecks() {}

  /**
   * Adds {@code _fp} (the header's fingerprint bytes as hex: a matching key), {@code _body}, and
   * the header checks' {@code _reason} and {@code _detail}.
   */
  static Dataset<Row> header(Dataset<Row> kafka) {
    Column len = length(col("value"));
    Column magicOk = expr("substring(value, 1, 2) = X'C301'");
    return kafka
        .withColumn(
            "_fp",
            when(
                len.geq(SingleObjectCodec.HEADER_LENGTH).and(magicOk),
                hex(substring(col("value"), 3, 8))))
        .withColumn(
            "_body", expr("substring(value, " + (SingleObjectCodec.HEADER_LENGTH + 1) + ")"))
        .withColumn(
            "_reason",
            when(col("value").isNull().or(len.equalTo(0)), lit(Reason.EMPTY.name()))
                .when(len.lt(SingleObjectCodec.HEADER_LENGTH), lit(Reason.TOO_SHORT.name()))
                .when(magicOk.isNull().or(magicOk.equalTo(false)), lit(Reason.BAD_MAGIC.name())))
        .withColumn(
            "_detail",
            when(
                    col("_reason").equalTo(Reason.TOO_SHORT.name()),
                    concat(
                        lit("message of "),
                        len.cast("string"),
                        lit(" bytes is shorter than the 10-byte single-object header")))
                .when(
                    col("_reason").equalTo(Reason.BAD_MAGIC.name()),
                    concat(lit("expected magic C3 01, found "), hex(substring(col("value"), 1, 2))))
                .when(col("_reason").equalTo(Reason.EMPTY.name()), lit("no bytes")));
  }

  /**
   * The header's fingerprint in the one form a person sees ({@link SingleObjectCodec#hex}): the
   * little-endian wire bytes read as a 64-bit value.
   */
  static Column fingerprintShown() {
    List<Column> bigEndian = new ArrayList<>();
    for (int i = 7; i >= 0; i--) {
      bigEndian.add(substring(col("value"), 3 + i, 1));
    }
    return lower(hex(concat(bigEndian.toArray(Column[]::new))));
  }

  /**
   * Quarantines decoded rows whose event time is implausible ({@link EventTimeGuard}), then keeps
   * the original bytes only where the quarantine needs them, unless {@code keepBytes} (the raw
   * table keeps a prediction's exact bytes).
   */
  static Dataset<Row> guarded(
      Dataset<Row> d, String time, EventTimeGuard guard, long nowMicros, boolean keepBytes) {
    Column implausible =
        col("reason").isNull().and(guard.outOfRange(col(time), col("kafka_timestamp"), nowMicros));
    Column reason = when(implausible, lit(EventTimeGuard.REASON)).otherwise(col("reason"));
    List<Column> cols = new ArrayList<>();
    for (String c : d.columns()) {
      cols.add(
          switch (c) {
            case "reason" -> reason.as(c);
            case "detail" ->
                when(implausible, guard.detail(time, col(time), col("kafka_timestamp"), nowMicros))
                    .otherwise(col("detail"))
                    .as(c);
            case "raw_key", "raw_value" ->
                keepBytes ? col(c) : when(reason.isNotNull(), col(c)).as(c);
            default -> col(c);
          });
    }
    return d.select(cols.toArray(Column[]::new));
  }
}
