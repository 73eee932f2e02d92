package dev.logwait.logger.internal;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.CreateTopicsOptions;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the cluster has answered, asked without ever blocking the worker. A logger with a spool
 * hands nothing to its producer until the cluster answered once: the producer's {@code send} waits
 * up to {@code max.block.ms} for the metadata of a cluster it never reached, and meanwhile the
 * worker could neither spool nor take new records. Until then records go to the spool, which the
 * worker re-sends once this says yes.
 *
 * <p>The question is an admin request: creating the schemas topic (compacted) when the logger may,
 * which is also the first thing its worker needs; else asking for the cluster's id. An answer that
 * refuses the creation (no right to create topics, a policy) still is an answer. A request that
 * times out is asked again after a back-off (1 s, doubling to 30 s). Worker thread only.
 */
final class ClusterProbe implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ClusterProbe.class);
  private static final int REQUEST_TIMEOUT_MS = 10_000;
  private static final long FIRST_BACKOFF_NANOS = Duration.ofSeconds(1).toNanos();
  private static final long MAX_BACKOFF_NANOS = Duration.ofSeconds(30).toNanos();

  private final Map<String, Object> adminProps;
  private final String schemasTopic;
  private final boolean createSchemasTopic;
  private final String description;
  private Admin admin;
  private KafkaFuture<?> pending;
  private volatile boolean answered;
  private long retryAtNanos;
  private long backoffNanos = FIRST_BACKOFF_NANOS;
  private volatile String lastFailure;

  ClusterProbe(
      Map<String, Object> adminProps,
      String schemasTopic,
      boolean createSchemasTopic,
      String description) {
    this.adminProps = adminProps;
    this.schemasTopic = schemasTopic;
    this.createSchemasTopic = createSchemasTopic;
    this.description = description;
  }

  /**
   * True once the cluster answered. Otherwise starts the request (or looks whether it came back)
   * and returns false at once.
   */
  boolean answered() {
    if (answered) {
      return true;
    }
    if (pending == null) {
      if (System.nanoTime() - retryAtNanos < 0) {
        return false;
      }
      ask();
    }
    if (pending != null && pending.isDone()) {
      settle();
    }
    return answered;
  }

  /** Whether the cluster answered, without asking (any thread). */
  boolean hasAnswered() {
    return answered;
  }

  /** Why the cluster has not answered yet (for warnings), or null. */
  String lastFailure() {
    return lastFailure;
  }

  private void ask() {
    try {
      if (admin == null) {
        admin = Admin.create(adminProps);
      }
      if (createSchemasTopic) {
        NewTopic spec =
            new NewTopic(schemasTopic, 1, (short) -1)
                .configs(Map.of("cleanup.policy", "compact", "min.compaction.lag.ms", "0"));
        pending =
            admin
                .createTopics(
                    List.of(spec), new CreateTopicsOptions().timeoutMs(REQUEST_TIMEOUT_MS))
                .all();
      } else {
        pending =
            admin
                .describeCluster(new DescribeClusterOptions().timeoutMs(REQUEST_TIMEOUT_MS))
                .clusterId();
      }
    } catch (RuntimeException e) { // e.g. a bootstrap address that does not resolve yet
      failed(e);
    }
  }

  private void settle() {
    KafkaFuture<?> done = pending;
    pending = null;
    try {
      done.get(); // done: does not wait
      answered = true;
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof TopicExistsException) {
        answered = true;
      } else if (cause instanceof RetriableException) { // timed out, disconnected: not reached
        failed(cause);
      } else { // the cluster answered, and refused: the worker publishes to the topic as it is
        LOG.warn(
            "logwait logger {}: cannot create schemas topic {} ({}); publishing to it as it is",
            description,
            schemasTopic,
            cause.toString());
        answered = true;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (answered) {
      lastFailure = null;
      closeAdmin();
    }
  }

  private void failed(Throwable cause) {
    lastFailure = cause.toString();
    retryAtNanos = System.nanoTime() + backoffNanos;
    backoffNanos = Math.min(backoffNanos * 2, MAX_BACKOFF_NANOS);
  }

  private void closeAdmin() {
    if (admin != null) {
      admin.close(Duration.ZERO); // nothing of ours is pending; do not wait for the network
      admin = null;
    }
  }

  @Override
  public void close() {
    pending = null;
    closeAdmin();
  }
}
