package dev.logwait.logger.internal;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.function.LongSupplier;
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
 * times out is asked again after a back-off (1 s, doubling to 30 s). When a request completes, the
 * probe rings the worker's {@link Doorbell}, so that a sleeping worker hears the answer at once.
 * Worker thread only, but {@link #hasAnswered()}.
 */
final class ClusterProbe implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ClusterProbe.class);
  private static final int REQUEST_TIMEOUT_MS = 10_000;
  private static final long FIRST_BACKOFF_NANOS = Duration.ofSeconds(1).toNanos();
  private static final long MAX_BACKOFF_NANOS = Duration.ofSeconds(30).toNanos();

  /**
   * What the probe asks; the cluster answered when the future completes without a retriable error.
   */
  interface Question extends AutoCloseable {
    /** Sends the request. May throw, e.g. for a bootstrap address that does not resolve yet. */
    KafkaFuture<?> ask();

    /** Releases what asking holds, without waiting; a later {@link #ask} starts over. */
    @Override
    void close();
  }

  private final Question question;
  private final String schemasTopic;
  private final String description;
  private final LongSupplier nanoTime;
  private final Runnable onSettled;
  private KafkaFuture<?> pending;
  private volatile boolean answered;
  private long retryAtNanos;
  private long backoffNanos = FIRST_BACKOFF_NANOS;
  private volatile String lastFailure;

  /**
   * @param schemasTopic named in the warning when the question's topic creation is refused
   * @param nanoTime the clock of the back-off
   * @param onSettled run (on the admin client's thread) when a request completes
   */
  ClusterProbe(
      Question question,
      String schemasTopic,
      String description,
      LongSupplier nanoTime,
      Runnable onSettled) {
    this.question = question;
    this.schemasTopic = schemasTopic;
    this.description = description;
    this.nanoTime = nanoTime;
    this.onSettled = onSettled;
    this.retryAtNanos = nanoTime.getAsLong();
  }

  /**
   * A probe that asks with an admin client: it creates the schemas topic when {@code
   * createSchemasTopic}, else asks for the cluster's id.
   */
  static ClusterProbe ofAdmin(
      Map<String, Object> adminProps,
      String schemasTopic,
      boolean createSchemasTopic,
      String description,
      LongSupplier nanoTime,
      Runnable onSettled) {
    return new ClusterProbe(
        new AdminQuestion(adminProps, schemasTopic, createSchemasTopic),
        schemasTopic,
        description,
        nanoTime,
        onSettled);
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
      if (nanoTime.getAsLong() - retryAtNanos < 0) {
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

  /**
   * How long until {@link #answered()} would ask again: 0 when it would now, {@link Long#MAX_VALUE}
   * when it has answered or a request is out (its completion rings).
   */
  long nextAskInNanos() {
    if (answered || pending != null) {
      return Long.MAX_VALUE;
    }
    return Math.max(0, retryAtNanos - nanoTime.getAsLong());
  }

  /** Why the cluster has not answered yet (for warnings), or null. */
  String lastFailure() {
    return lastFailure;
  }

  private void ask() {
    try {
      pending = question.ask();
      pending.whenComplete((v, e) -> onSettled.run());
    } catch (RuntimeException e) {
      pending = null;
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
      question.close();
    }
  }

  private void failed(Throwable cause) {
    lastFailure = cause.toString();
    retryAtNanos = nanoTime.getAsLong() + backoffNanos;
    backoffNanos = Math.min(backoffNanos * 2, MAX_BACKOFF_NANOS);
  }

  @Override
  public void close() {
    pending = null;
    question.close();
  }

  /** The admin request: created at the first question, closed once the cluster answered. */
  private static final class AdminQuestion implements Question {
    private final Map<String, Object> adminProps;
    private final String schemasTopic;
    private final boolean createSchemasTopic;
    private Admin admin;

    AdminQuestion(Map<String, Object> adminProps, String schemasTopic, boolean createSchemasTopic) {
      this.adminProps = adminProps;
      this.schemasTopic = schemasTopic;
      this.createSchemasTopic = createSchemasTopic;
    }

    @Override
    public KafkaFuture<?> ask() {
      if (admin == null) {
        admin = Admin.create(adminProps);
      }
      if (createSchemasTopic) {
        NewTopic spec =
            new NewTopic(schemasTopic, 1, (short) -1)
                .configs(Map.of("cleanup.policy", "compact", "min.compaction.lag.ms", "0"));
        return admin
            .createTopics(List.of(spec), new CreateTopicsOptions().timeoutMs(REQUEST_TIMEOUT_MS))
            .all();
      }
      return admin
          .describeCluster(new DescribeClusterOptions().timeoutMs(REQUEST_TIMEOUT_MS))
          .clusterId();
    }

    @Override
    public void close() {
      if (admin != null) {
        admin.close(Duration.ZERO); // nothing of ours is pending; do not wait for the network
        admin = null;
      }
    }
  }
}
