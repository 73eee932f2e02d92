package dev.logwait.joiner.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MetadataTablesTest {
  static final java.util.List<String> TABLES =
      java.util.List.of("raw_predictions", "training_x", "runs");

  @Test
  void shortMetadataTableNamesAreQualifiedLikeTables() {
    assertThat(
            MetadataTables.qualify("SELECT * FROM raw_predictions.refs", "logwait", "ns", TABLES))
        .isEqualTo("SELECT * FROM logwait.ns.raw_predictions.refs");
    assertThat(
            MetadataTables.qualify(
                "SELECT s.committed_at FROM training_x.snapshots s JOIN runs r ON true",
                "logwait",
                "ns",
                TABLES))
        .isEqualTo(
            "SELECT s.committed_at FROM logwait.ns.training_x.snapshots s JOIN runs r ON true");
  }

  @Test
  void qualifiedNamesColumnsAndStringsAreLeftAlone() {
    for (String sql :
        new String[] {
          "SELECT * FROM logwait.ns.raw_predictions.refs",
          "SELECT * FROM ns.raw_predictions.history",
          "SELECT t.files FROM runs t",
          "SELECT ns.files FROM runs ns",
          "SELECT 'raw_predictions.refs' AS s",
          "SELECT counts['quarantined'] FROM runs"
        }) {
      assertThat(MetadataTables.qualify(sql, "logwait", "ns", TABLES)).as(sql).isEqualTo(sql);
    }
  }
}
