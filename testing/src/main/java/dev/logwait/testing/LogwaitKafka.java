package dev.logwait.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Gives a test class a real Kafka broker: Testcontainers' {@code KafkaContainer} where a Docker
 * engine answers, otherwise a broker process started from Kafka's Maven artifacts. One broker per
 * test class, its topics created before the first test, stopped after the last. Test methods and
 * constructors take it as a {@code dev.logwait.testkit.KafkaBroker} parameter, or its address as a
 * {@code String} parameter annotated {@link BootstrapServers}.
 *
 * <pre>{@code
 * @LogwaitKafka(topics = {"predictions", "labels"})
 * class RankerLoggingIT {
 *   @Test
 *   void logsWhatItServed(@BootstrapServers String servers) { ... }
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
}
