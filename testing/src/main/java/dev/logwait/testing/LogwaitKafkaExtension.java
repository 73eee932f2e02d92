package dev.logwait.testing;

import dev.logwait.testkit.KafkaBroker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/** The extension behind {@link LogwaitKafka}. */
public final class LogwaitKafkaExtension implements BeforeAllCallback, ParameterResolver {
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(LogwaitKafkaExtension.class);

  /** Created by JUnit. */
  public LogwaitKafkaExtension() {}

  @Override
  public void beforeAll(ExtensionContext context) {
    broker(context);
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    return type == KafkaBroker.class
        || (type == String.class && parameter.isAnnotated(BootstrapServers.class));
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    KafkaBroker broker = broker(context);
    return parameter.getParameter().getType() == KafkaBroker.class
        ? broker
        : broker.bootstrapServers();
  }

  /** The class's broker, started (and its topics created) on first use; closed with the class. */
  private static KafkaBroker broker(ExtensionContext context) {
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
              try {
                KafkaBroker b = KafkaBroker.start(Files.createTempDirectory("logwait-kafka"));
                LogwaitKafka settings = testClass.getAnnotation(LogwaitKafka.class);
                if (settings != null && settings.topics().length > 0) {
                  b.createTopics(settings.partitions(), settings.topics());
                }
                return b; // AutoCloseable: JUnit closes it with the class's store
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            },
            KafkaBroker.class);
  }
}
