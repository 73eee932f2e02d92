package dev.logwait.joiner.cli;

import java.lang.reflect.Proxy;

/**
 * SIGTERM and SIGINT handled by the stream itself instead of starting the JVM's shutdown (which
 * would run Spark's shutdown hook and stop the session under the batch in flight). Uses the JDK's
 * {@code sun.misc.Signal} (module {@code jdk.unsupported}, exported to all code, as Spark itself
 * uses it), reached by reflection so that the build's warnings-as-errors hold.
 */
final class Signals {
  private Signals() {}

  static void onTermOrInt(Runnable action) {
    try {
      Class<?> signal = Class.forName("sun.misc.Signal");
      Class<?> handler = Class.forName("sun.misc.SignalHandler");
      Object h =
          Proxy.newProxyInstance(
              Signals.class.getClassLoader(),
              new Class<?>[] {handler},
              (proxy, method, args) -> {
                if (method.getName().equals("handle")) {
                  action.run();
                  return null;
                }
                if (method.getName().equals("toString")) {
                  return "logwait stream signal handler";
                }
                throw new UnsupportedOperationException(method.getName());
              });
      for (String name : new String[] {"TERM", "INT"}) {
        signal
            .getMethod("handle", signal, handler)
            .invoke(null, signal.getConstructor(String.class).newInstance(name), h);
      }
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(
          "cannot handle SIGTERM on this JVM (sun.misc.Signal): " + e, e);
    }
  }
}
