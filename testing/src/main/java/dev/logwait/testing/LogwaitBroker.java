package dev.logwait.testing;

import dev.logwait.testkit.KafkaBroker;
import java.util.Map;

/**
 * The real Kafka broker of a {@link LogwaitKafka} test class, as a test method or constructor
 * parameter: its address and client settings, topics, and an outage ({@link #stop()} then {@link
 * #start()}). The extension starts it before the class's first test and stops it, deleting its
 * folder, after the last.
 */
public final class LogwaitBroker {
  private final KafkaBroker broker;

  LogwaitBroker(KafkaBroker broker) {
    this.broker = broker;
  }

  /**
   * Where clients connect.
   *
   * @return {@code host:port}
   */
  public String bootstrapServers() {
    return broker.bootstrapServers();
  }

  /**
   * Client settings that reach the broker, for consumers, admin clients and {@link TopicReader}.
   *
   * @return {@code bootstrap.servers}
   */
  public Map<String, Object> clientProps() {
    return broker.clientProps();
  }

  /**
   * Creates topics (replication 1).
   *
   * @param partitions partitions of each
   * @param topics their names
   */
  public void createTopics(int partitions, String... topics) {
    broker.createTopics(partitions, topics);
  }

  /** Takes the broker away, keeping its data: an outage, until {@link #start()}. */
  public void stop() {
    broker.stop();
  }

  /** Brings a stopped broker back on the same address. */
  public void start() {
    broker.start();
  }

  /**
   * Which kind of broker runs.
   *
   * @return {@code "process"} (Kafka's jars in a JVM of its own) or {@code "testcontainers"}
   */
  public String mode() {
    return broker.mode();
  }

  /**
   * The broker process's folder: its data and {@code broker.log}, deleted after the class.
   *
   * @return the folder, or null for a container
   */
  public java.nio.file.Path workDir() {
    return broker.workDir();
  }

  void close() {
    broker.close();
  }
}
