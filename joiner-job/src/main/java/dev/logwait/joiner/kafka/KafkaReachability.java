package dev.logwait.joiner.kafka;

import dev.logwait.joiner.config.ConfigKey;
import dev.logwait.joiner.config.JoinerConfig;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;

/**
 * Checks that the configured Kafka cluster answers before a run creates or writes anything: a wrong
 * address fails in seconds with the key and the address named, not after minutes of metadata
 * time-outs with empty tables left behind.
 */
public final class KafkaReachability {
  /** How long a run waits for the cluster to answer. */
  public static final Duration TIMEOUT = Duration.ofSeconds(15);

  private KafkaReachability() {}

  /** Thrown when the cluster does not answer; nothing was created or written. */
  public static final class KafkaUnreachableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    KafkaUnreachableException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /**
   * @throws KafkaUnreachableException when no broker answers within {@code timeout}
   */
  public static void require(JoinerConfig config, Duration timeout) {
    Map<String, Object> props = new HashMap<>(config.kafkaClientProps());
    int ms = (int) timeout.toMillis();
    props.put("default.api.timeout.ms", ms);
    props.put("request.timeout.ms", ms);
    props.put("socket.connection.setup.timeout.max.ms", Math.min(ms, 5000));
    String address = config.get(ConfigKey.BOOTSTRAP_SERVERS);
    try (Admin admin = Admin.create(props)) {
      admin.describeCluster().nodes().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KafkaUnreachableException("Interrupted while reaching Kafka at " + address, e);
    } catch (ExecutionException | TimeoutException | RuntimeException e) {
      Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
      throw new KafkaUnreachableException(
          "Cannot reach Kafka at "
              + ConfigKey.BOOTSTRAP_SERVERS.key
              + "="
              + address
              + " within "
              + timeout.toSeconds()
              + " s ("
              + cause.getClass().getSimpleName()
              + (cause.getMessage() == null ? "" : ": " + cause.getMessage())
              + "). Nothing was created or written. Check the address, that the brokers are up,"
              + " and the security settings under "
              + ConfigKey.KAFKA_PROPERTIES
              + "*.",
          e);
    }
  }
}
