package dev.logwait.joiner.kafka;

import dev.logwait.joiner.config.JoinerConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.common.config.ConfigResource;

/**
 * How long a topic keeps a message: its {@code retention.ms}, and {@code segment.ms} (Kafka deletes
 * whole segments, so a message can outlive its retention by up to the time its segment stays open).
 * What {@code forget} tells about the copies Kafka still holds.
 *
 * @param retention null: kept for ever ({@code retention.ms = -1})
 */
public record TopicRetention(String topic, Duration retention, Duration segment) {
  /**
   * The latest time a message appended at {@code appended} can still be in the topic (null: kept
   * for ever).
   */
  public Instant goneBy(Instant appended) {
    return retention == null ? null : appended.plus(retention).plus(segment);
  }

  /**
   * The retention settings of {@code topics}, asked of the cluster (null for each when it does not
   * answer within {@code timeout}).
   */
  public static Map<String, TopicRetention> of(
      JoinerConfig config, List<String> topics, Duration timeout) {
    Map<String, Object> props = new HashMap<>(config.kafkaClientProps());
    int ms = (int) timeout.toMillis();
    props.put("default.api.timeout.ms", ms);
    props.put("request.timeout.ms", ms);
    Map<String, TopicRetention> out = new HashMap<>();
    try (Admin admin = Admin.create(props)) {
      List<ConfigResource> resources =
          topics.stream().map(t -> new ConfigResource(ConfigResource.Type.TOPIC, t)).toList();
      Map<ConfigResource, Config> configs =
          admin.describeConfigs(resources).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      for (ConfigResource r : resources) {
        Config c = configs.get(r);
        long retention = Long.parseLong(c.get("retention.ms").value());
        long segment = Long.parseLong(c.get("segment.ms").value());
        out.put(
            r.name(),
            new TopicRetention(
                r.name(),
                retention < 0 ? null : Duration.ofMillis(retention),
                Duration.ofMillis(segment)));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) { // unreachable, unknown topic, not authorized: say "unknown"
      return Map.of();
    }
    return out;
  }
}
