package dev.logwait.it;

import static org.assertj.core.api.Assertions.assertThat;

/** Two scenarios (catalogs) that read the same topics hold equal tables. */
final class TableAssert {
  private TableAssert() {}

  static void sameTables(Scenario actual, Scenario expected, String training) {
    assertThat(actual.rows("raw_predictions", "prediction_id"))
        .as("raw_predictions")
        .isEqualTo(expected.rows("raw_predictions", "prediction_id"));
    assertThat(actual.rows("raw_labels", "event_id"))
        .as("raw_labels")
        .isEqualTo(expected.rows("raw_labels", "event_id"));
    assertThat(quarantine(actual)).as("quarantine").isEqualTo(quarantine(expected));
    assertThat(actual.rows(training, "prediction_id"))
        .as(training)
        .isEqualTo(expected.rows(training, "prediction_id"));
  }

  private static java.util.List<String> quarantine(Scenario s) {
    return s.spark()
        .sql(
            "SELECT concat(topic, '@', kafka_offset, ':', reason) FROM "
                + s.table("quarantine")
                + " ORDER BY 1")
        .as(org.apache.spark.sql.Encoders.STRING())
        .collectAsList();
  }
}
