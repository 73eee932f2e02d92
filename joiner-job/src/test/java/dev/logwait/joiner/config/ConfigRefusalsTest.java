package dev.logwait.joiner.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.logwait.joiner.cli.JoinerMain;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the configuration refuses before any work starts, each error naming its key. */
class ConfigRefusalsTest {
  @TempDir Path dir;

  private Path yaml(String text) throws Exception {
    Path f = Files.createTempFile(dir, "joiner", ".yaml");
    Files.writeString(f, text);
    return f;
  }

  @Test
  void labelNamesWhoseGeneratedColumnsCollideAreRefusedNamingBoth() throws Exception {
    Path f =
        yaml(
            "labels:\n  - {name: click, window: 30m, aggregation: exists}\n"
                + "  - {name: click_at, window: 30m, aggregation: max}\n");
    assertThatThrownBy(() -> JoinerConfig.load(f, Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(
            "labels: 'click' and 'click_at' both generate column 'label_click_at'");
    // and the CLI exits 2 before any Spark session starts
    assertThat(JoinerMain.execute("run", "--config", f.toString())).isEqualTo(2);
  }

  @Test
  void everyDurationIsBoundedAndNamesItsKey() throws Exception {
    assertThatThrownBy(
            () ->
                JoinerConfig.load(
                    yaml("labels:\n  - {name: click, window: 999999999999d}\n"), Map.of()))
        .hasMessageContaining(
            "labels[0].window: '999999999999d' is longer than the longest duration allowed, 3650d");
    Path huge = yaml("labels:\n  - {name: click, window: 99999999999999999999d}\n");
    assertThatThrownBy(() -> JoinerConfig.load(huge, Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("labels[0].window: '99999999999999999999d' is longer than");
    assertThat(JoinerMain.execute("run", "--config", huge.toString())).isEqualTo(2);
    assertThatThrownBy(() -> JoinerConfig.load(null, Map.of("allowed-lateness", "3651d")))
        .hasMessageContaining("allowed-lateness: '3651d' is longer than");
    assertThat(Durations.parse("k", "3650d")).isEqualTo(Durations.MAX);
  }

  @Test
  void restatementIsPerSpecOrForAllAndOnlyTrueOrFalse() throws Exception {
    Path f =
        yaml(
            "labels:\n  - {name: click, window: 30m, restate: true}\n"
                + "  - {name: spend, window: 1h, aggregation: sum}\n");
    assertThat(JoinerConfig.load(f, Map.of()).restatedLabels())
        .extracting(LabelSpec::name)
        .containsExactly("click");
    assertThat(JoinerConfig.load(f, Map.of("restate-late-labels", "true")).restatedLabels())
        .extracting(LabelSpec::name)
        .containsExactly("click", "spend");
    assertThatThrownBy(
            () ->
                JoinerConfig.load(
                    yaml("labels:\n  - {name: click, window: 30m, restate: yes please}\n"),
                    Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("labels[0].restate: must be true or false");
    assertThatThrownBy(() -> JoinerConfig.load(f, Map.of("restate-late-labels", "maybe")))
        .hasMessageContaining("restate-late-labels: must be true or false, was 'maybe'");
    // the CLI refuses bad backfill and requeue arguments before any Spark session starts
    assertThat(JoinerMain.execute("backfill", "--config", f.toString(), "--chunk", "0s"))
        .isEqualTo(2);
    assertThat(JoinerMain.execute("backfill", "--config", f.toString(), "--from", "yesterday"))
        .isEqualTo(2);
    assertThat(JoinerMain.execute("requeue", "--config", f.toString(), "--reason", "NOPE"))
        .isEqualTo(2);
  }

  @Test
  void theDiscardPolicyIsOffOrARetention() {
    assertThat(JoinerConfig.defaults().discardAfter()).isNull();
    assertThat(JoinerConfig.load(null, Map.of("discard-after", "30d")).discardAfter())
        .isEqualTo(java.time.Duration.ofDays(30));
    assertThatThrownBy(() -> JoinerConfig.load(null, Map.of("discard-after", "0s")))
        .hasMessageContaining("discard-after: must be longer than zero, or off");
    assertThatThrownBy(() -> JoinerConfig.load(null, Map.of("discard-after", "a month")))
        .hasMessageContaining("discard-after: ")
        .hasMessageContaining("(or off)");
    // refused before a Spark session starts, by maintain and by stream
    assertThat(JoinerMain.execute("maintain", "--set", "discard-after=never")).isEqualTo(2);
    assertThat(JoinerMain.execute("stream", "--maintain-every", "0s")).isEqualTo(2);
  }

  @Test
  void aKeySetTwiceIsRefused() throws Exception {
    Path f = yaml("allowed-lateness: 1m\nallowed-lateness: 24h\n");
    assertThatThrownBy(() -> JoinerConfig.load(f, Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("key 'allowed-lateness' is set twice in one mapping (line 2)");
    Path nested = yaml("kafka:\n  labels-topic: a\n  labels-topic: b\n");
    assertThatThrownBy(() -> JoinerConfig.load(nested, Map.of()))
        .hasMessageContaining("key 'labels-topic' is set twice");
  }

  @Test
  void aMisspeltCatalogPropertyIsRefusedNeverADefaultLocation() throws Exception {
    Path typo = yaml("catalog:\n  properties: {type: hadoop, warehose: /x}\n");
    assertThatThrownBy(() -> JoinerConfig.load(typo, Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(
            "catalog.properties.warehose: unknown catalog property; did you mean"
                + " 'catalog.properties.warehouse'?")
        .hasMessageContaining(
            "catalog.properties.warehouse: a Hadoop catalog needs a warehouse location");
    assertThatThrownBy(
            () -> JoinerConfig.load(yaml("catalog:\n  properties: {type: hadoop}\n"), Map.of()))
        .hasMessageContaining("a Hadoop catalog needs a warehouse");
    assertThatThrownBy(
            () -> JoinerConfig.load(yaml("catalog:\n  properties: {type: jdbc}\n"), Map.of()))
        .hasMessageContaining("catalog.properties.uri: a jdbc catalog needs a uri")
        .hasMessageContaining("catalog.properties.jdbc.schema-version: set it to V1");
    assertThatThrownBy(
            () -> JoinerConfig.load(yaml("catalog:\n  properties: {type: oracle}\n"), Map.of()))
        .hasMessageContaining("catalog.properties.type: 'oracle' is not one of");
    // the embedded defaults, and a configured catalog with its own warehouse, are fine
    assertThat(JoinerConfig.defaults().withPrefix(ConfigKey.CATALOG_PROPERTIES))
        .containsEntry("warehouse", ".local/warehouse");
    JoinerConfig rest =
        JoinerConfig.load(
            yaml(
                "catalog:\n  properties: {type: rest, uri: 'https://c/api', s3.endpoint: 'x',"
                    + " my-plugin-flag: 'y'}\n"),
            Map.of());
    assertThat(rest.withPrefix(ConfigKey.CATALOG_PROPERTIES)).doesNotContainKey("warehouse");
    assertThat(rest.warnings())
        .containsExactly(
            "catalog.properties.my-plugin-flag: not a property logwait knows for Iceberg"
                + " catalogs; passed on as spark.sql.catalog.<name>.my-plugin-flag");
  }

  @Test
  void unknownKafkaPropertiesAreWarnedNamingTheKey() {
    JoinerConfig c =
        JoinerConfig.load(
            null,
            Map.of(
                "kafka.properties.security.protcol", "SSL",
                "kafka.properties.fetch.max.bytes", "1"));
    assertThat(c.warnings())
        .containsExactly(
            "kafka.properties.security.protcol: not a Kafka consumer property; did you mean"
                + " 'kafka.properties.security.protocol'? (passed on as it is)");
  }

  @Test
  void theConfigHashLeavesSecretsOut() {
    String a =
        JoinerConfig.load(
                null,
                Map.of(
                    "kafka.properties.sasl.jaas.config", "... password=\"one\";",
                    "kafka.properties.ssl.truststore.password", "one"))
            .hash();
    String b =
        JoinerConfig.load(
                null,
                Map.of(
                    "kafka.properties.sasl.jaas.config", "... password=\"two\";",
                    "kafka.properties.ssl.truststore.password", "two"))
            .hash();
    assertThat(a).isEqualTo(b);
    assertThat(JoinerConfig.load(null, Map.of("allowed-lateness", "2m")).hash())
        .isNotEqualTo(JoinerConfig.defaults().hash());
    assertThat(ConfigChecks.isSecret("catalog.properties.s3.secret-access-key")).isTrue();
    assertThat(ConfigChecks.isSecret("catalog.properties.credential")).isTrue();
    assertThat(ConfigChecks.isSecret("kafka.properties.ssl.key.password")).isTrue();
    assertThat(ConfigChecks.isSecret("kafka.properties.security.protocol")).isFalse();
  }
}
