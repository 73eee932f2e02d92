package dev.logwait.testing;

import dev.logwait.testkit.KafkaBroker;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * The extension behind {@link LogwaitKafka}. The broker is stopped, and its temporary folder
 * deleted, in {@code afterAll}: on every JUnit 5 version from 5.10 on (JUnit closes values of its
 * store that are only {@code AutoCloseable} from 5.13 on, so the store alone would leave the broker
 * running). A broker process also ends with the JVM that started it, however that JVM ends.
 */
public final class LogwaitKafkaExtension
    implements BeforeAllCallback, AfterAllCallback, ParameterResolver {
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(LogwaitKafkaExtension.class);

  /** Created by JUnit. */
  public LogwaitKafkaExtension() {}

  @Override
  public void beforeAll(ExtensionContext context) {
    broker(context);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    Object held = context.getStore(NAMESPACE).remove(context.getRequiredTestClass());
    if (held instanceof LogwaitBroker broker) {
      broker.close();
    }
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    return type == LogwaitBroker.class
        || (type == String.class && parameter.isAnnotated(BootstrapServers.class));
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    LogwaitBroker broker = broker(context);
    return parameter.getParameter().getType() == LogwaitBroker.class
        ? broker
        : broker.bootstrapServers();
  }

  /** The class's broker, started (and its topics created) on first use. */
  private static LogwaitBroker broker(ExtensionContext context) {
    ExtensionContext classContext = context;
    while (classContext.getTestMethod().isPresent() && classContext.getParent().isPresent()) {
      classContext = classContext.getParent().get();
    }
    Class<?> testClass = classContext.getRequiredTestClass();
    return classContext
        .getStore(NAMESPACE)
        .getOrComputeIfAbsent(
            testClass,
            c -> {
              LogwaitKafka settings = findSettings(testClass);
              int port = settings == null ? 0 : settings.port();
              KafkaBroker b = KafkaBroker.startTemporary(port);
              try {
                if (settings != null && settings.topics().length > 0) {
                  b.createTopics(settings.partitions(), settings.topics());
                }
              } catch (RuntimeException e) {
                b.close();
                throw e;
              }
              // Not AutoCloseable: afterAll closes it, on every JUnit version (see above).
              return new LogwaitBroker(b);
            },
            LogwaitBroker.class);
  }

  private static LogwaitKafka findSettings(Class<?> testClass) {
    for (Class<?> c = testClass; c != null; c = c.getEnclosingClass()) {
      LogwaitKafka settings = c.getAnnotation(LogwaitKafka.class);
      if (settings != null) {
        return settings;
      }
    }
    return null;
  }
}
