package dev.logwait.logger.bandit;

import dev.logwait.logger.bandit.RouterStats.Ignored;
import dev.logwait.schema.MalformedMessageException;
import dev.logwait.schema.SingleObjectCodec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the posterior topic on the router's background thread: assigns every partition (no consumer
 * group, no commits), reads from the beginning, and hands the messages under the router's key to
 * the {@link Policy} in order, a batch per poll. Rechecks the topic's partitions every {@value
 * #METADATA_ROUNDS} rounds (10 s by default), so that a topic created later, grown, or deleted is
 * noticed. Never throws: errors are counted, logged and retried on the next round.
 */
final class PosteriorReader implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PosteriorReader.class);
  static final int METADATA_ROUNDS = 10;
  private static final Duration METADATA_TIMEOUT = Duration.ofSeconds(10);

  private final RouterSettings settings;
  private final Policy policy;
  private final byte[] key;
  private final Duration metadataInterval;
  // Set and used on the reader thread (as everything below); read by wakeup() from close().
  private volatile Consumer<byte[], byte[]> consumer;
  private Set<TopicPartition> assigned = Set.of();
  private long nextMetadataCheck = System.nanoTime();
  private boolean warnedMissing;
  private String lastError;

  PosteriorReader(RouterSettings settings, Policy policy) {
    this.settings = settings;
    this.policy = policy;
    this.key = settings.name().getBytes(StandardCharsets.UTF_8);
    this.metadataInterval = settings.tick().multipliedBy(METADATA_ROUNDS);
  }

  /** One round: the topic's partitions when due, then one poll of up to {@code timeout}. */
  void pollOnce(Duration timeout) {
    try {
      if (consumer == null) {
        consumer = new KafkaConsumer<>(settings.consumerProps());
      }
      if (System.nanoTime() - nextMetadataCheck >= 0) {
        nextMetadataCheck = System.nanoTime() + metadataInterval.toNanos();
        assign();
      }
      if (assigned.isEmpty()) {
        LockSupport.parkNanos(this, timeout.toNanos());
        return;
      }
      List<RouterPosterior> batch = new ArrayList<>();
      for (ConsumerRecord<byte[], byte[]> r : consumer.poll(timeout)) {
        if (Arrays.equals(r.key(), key)) { // other routers' messages share the topic
          RouterPosterior p = decode(r);
          if (p != null) {
            batch.add(p);
          }
        }
      }
      if (!batch.isEmpty()) {
        policy.offer(batch);
      }
      lastError = null;
    } catch (WakeupException | InterruptException e) {
      // close() woke the thread up
    } catch (RuntimeException e) {
      policy.readerError();
      // A broker that stays down would repeat the same error every round: log it when it changes.
      if (!e.toString().equals(lastError)) {
        LOG.warn(
            "logwait router {}: reading posterior topic {} failed ({}); retrying, the router keeps"
                + " its current shares",
            settings.name(),
            settings.topic(),
            e.toString());
        lastError = e.toString();
      }
      nextMetadataCheck = System.nanoTime(); // start again from the topic's partitions
      LockSupport.parkNanos(this, timeout.toNanos());
    }
  }

  private void assign() {
    List<PartitionInfo> infos = consumer.partitionsFor(settings.topic(), METADATA_TIMEOUT);
    Set<TopicPartition> now = new HashSet<>();
    if (infos != null) {
      infos.forEach(i -> now.add(new TopicPartition(i.topic(), i.partition())));
    }
    if (now.isEmpty()) {
      policy.readerError();
      if (!warnedMissing) {
        LOG.warn(
            "logwait router {}: posterior topic {} does not exist (yet); the router keeps its"
                + " current shares (a posterior ages into the fallback weights) and checks again"
                + " every {}",
            settings.name(),
            settings.topic(),
            metadataInterval);
        warnedMissing = true;
      }
    } else {
      warnedMissing = false;
    }
    if (!now.equals(assigned)) {
      Set<TopicPartition> added = new HashSet<>(now);
      added.removeAll(assigned);
      consumer.assign(now);
      consumer.seekToBeginning(added); // the compacted topic's whole history, newest last
      assigned = Set.copyOf(now);
    }
  }

  private RouterPosterior decode(ConsumerRecord<byte[], byte[]> r) {
    try {
      return RouterPosterior.decode(r.value());
    } catch (MalformedMessageException e) {
      boolean unknown = e.reason() == MalformedMessageException.Reason.UNKNOWN_FINGERPRINT;
      policy.undecodable(unknown ? Ignored.UNKNOWN_FINGERPRINT : Ignored.UNDECODABLE);
      LOG.warn(
          "logwait router {}: ignored the message at {}-{}@{}: {}",
          settings.name(),
          r.topic(),
          r.partition(),
          r.offset(),
          unknown
              ? "its schema fingerprint "
                  + SingleObjectCodec.hex(SingleObjectCodec.readFingerprint(r.value()))
                  + " is no router posterior version this logwait-serving-logger knows (a newer"
                  + " joiner's? upgrade the service's logwait)"
              : e.getMessage());
      return null;
    } catch (RuntimeException e) { // the codec maps bad bytes to the above; this is a last guard
      policy.undecodable(Ignored.UNDECODABLE);
      LOG.warn(
          "logwait router {}: ignored the message at {}-{}@{}: {}",
          settings.name(),
          r.topic(),
          r.partition(),
          r.offset(),
          e.toString());
      return null;
    }
  }

  /** Makes a poll in progress return (from another thread). */
  void wakeup() {
    Consumer<byte[], byte[]> c = consumer;
    if (c != null) {
      c.wakeup();
    }
  }

  @Override
  public void close() {
    if (consumer != null) {
      try {
        consumer.close();
      } catch (RuntimeException e) {
        LOG.debug("logwait router {}: closing the reader: {}", settings.name(), e.toString());
      }
      consumer = null;
    }
  }
}
