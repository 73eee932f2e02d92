package com.example.ranker;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import org.junit.jupiter.api.Test;

/**
 * Runs after {@link RankerLoggingIT} in the same JVM (failsafe's alphabetical order): its broker
 * was stopped when that class ended, on this JUnit (5.10), not when the JVM exits.
 */
class RankerLoggingLeavesNoBrokerIT {
  @Test
  void theBrokerOfTheClassBeforeIsGoneWithItsFolder() {
    assertThat(RankerLoggingIT.brokerDir).as("RankerLoggingIT ran first").isNotNull();
    assertThat(RankerLoggingIT.brokerDir).doesNotExist();
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", RankerLoggingIT.PORT), 500);
      throw new AssertionError("a broker still listens on " + RankerLoggingIT.PORT);
    } catch (IOException refused) {
      assertThat(refused).isNotNull(); // nothing listens: stopped with its class
    }
  }
}
