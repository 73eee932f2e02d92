package dev.logwait.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Gives a test class a real Kafka broker: Testcontainers' {@code KafkaContainer} where a Docker
 * engine answers (and JUnit 4, which Testcontainers 1.x needs, is on the classpath), otherwise a
 * broker process started from Kafka's Maven artifacts. One broker per test class, its topics
 * created before the first test, stopped (its temporary folder deleted) after the last, on JUnit
 * 5.10 and later; a broker process also ends with the test JVM, however it ends. Test methods and
 * constructors take it as a {@link LogwaitBroker} parameter, or its address as a {@code String}
 * parameter annotated {@link BootstrapServers}.
 *
 * <pre>{@code
 * @LogwaitKafka(topics = {"predictions", "labels"})
 * class RankerLoggingIT {
 *   @Test
 *   void logsWhatItServed(@BootstrapServers String servers, LogwaitBroker broker) { ... }
 * }
 * }</pre>
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(LogwaitKafkaExtension.class)
public @interface LogwaitKafka {
  /**
   * Topics to create.
   *
   * @return topic names
   */
  String[] topics() default {};

  /**
   * Partitions of each topic.
   *
   * @return at least 1
   */
  int partitions() default 1;

  /**
   * The broker's port on 127.0.0.1, for a test that needs a fixed address (a service configured
   * with it, a logger started before the broker); 0, the default, for a free one. A chosen port
   * runs the broker process even where Docker answers.
   *
   * @return 0 or a port; the class fails to start when it is in use
   */
  int port() default 0;
}
