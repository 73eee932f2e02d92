package dev.logwait.logger.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The disk spool on its own: order, schemas, budget, reopening, torn tails, refusals. */
class SpoolTest {
  static final Spool.Sync SYNC = new Spool.Sync(100, Duration.ofSeconds(1));

  @TempDir Path dir;

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** Every record of the spool in replay order, removing each segment after reading it. */
  private static List<String> drain(Spool spool) {
    List<String> out = new ArrayList<>();
    Spool.Segment s;
    while ((s = spool.oldest()) != null) {
      for (Spool.Entry e : s.entries()) {
        out.add(
            e.kind() == Spool.SCHEMA
                ? "schema:" + e.fingerprint() + ":" + e.schema()
                : (e.key() == null ? "-" : new String(e.key(), StandardCharsets.UTF_8))
                    + "="
                    + new String(e.value(), StandardCharsets.UTF_8));
      }
      spool.remove(s);
    }
    return out;
  }

  @Test
  void recordsComeBackInOrderWithTheirSchemaOncePerSegment() {
    Spool spool = new Spool(dir, 1 << 20, SYNC);
    for (int i = 0; i < 5; i++) {
      assertThat(spool.append(7L, () -> "{\"type\":\"int\"}", bytes("k" + i), bytes("v" + i)))
          .isTrue();
    }
    assertThat(spool.append(8L, null, null, bytes("no-key"))).isTrue();
    assertThat(spool.records()).isEqualTo(6);
    assertThat(drain(spool))
        .containsExactly(
            "schema:7:{\"type\":\"int\"}", "k0=v0", "k1=v1", "k2=v2", "k3=v3", "k4=v4", "-=no-key");
  }

  @Test
  void anInterruptedWorkerStillSpoolsAndReadsBack() {
    Spool spool = new Spool(dir, 1 << 20, new Spool.Sync(1, Duration.ofSeconds(1)));
    assertThat(spool.append(7L, () -> "{\"type\":\"int\"}", bytes("k0"), bytes("v0"))).isTrue();
    // close() interrupts a worker that waits on Kafka; an NIO channel would close on it for good
    Thread.currentThread().interrupt();
    try {
      for (int i = 1; i < 5; i++) {
        assertThat(spool.append(7L, () -> "{\"type\":\"int\"}", bytes("k" + i), bytes("v" + i)))
            .isTrue();
      }
      spool.close();
      assertThat(drain(spool)).hasSize(6).endsWith("k4=v4");
    } finally {
      Thread.interrupted();
    }
    assertThat(new Spool(dir, 1 << 20, SYNC).records()).isZero();
  }

  @Test
  void aFullSpoolRefusesNewRecordsAndKeepsWhatItHolds() {
    Spool spool = new Spool(dir, 200, SYNC);
    int taken = 0;
    while (spool.append(1L, null, bytes("k"), new byte[40])) {
      taken++;
    }
    assertThat(taken).isBetween(1, 4);
    assertThat(spool.bytes()).isLessThanOrEqualTo(200);
    assertThat(spool.records()).isEqualTo(taken);
  }

  @Test
  void theSchemaASegmentRollWritesCountsAgainstTheBudget() throws Exception {
    // A 4 kB writer schema heads every segment (64 KiB each at this budget); the budget ends just
    // past the first segment, so the record that rolls to a second one needs its schema too.
    String schema = "{\"type\":\"int\",\"doc\":\"" + "x".repeat(4000) + "\"}";
    long maxBytes = 64 * 1024 + 2_000;
    Spool spool = new Spool(dir, maxBytes, SYNC);
    int taken = 0;
    while (spool.append(1L, () -> schema, bytes("k"), new byte[1000])) {
      taken++;
    }
    assertThat(taken).isEqualTo(60); // the first segment: its schema and 60 records of 1,014 B
    assertThat(spool.bytes()).isLessThanOrEqualTo(maxBytes);
    spool.close();
    long onDisk;
    try (Stream<Path> files = Files.list(dir)) {
      onDisk =
          files
              .filter(p -> p.toString().endsWith(".seg"))
              .mapToLong(p -> p.toFile().length())
              .sum();
    }
    assertThat(onDisk).isEqualTo(spool.bytes()).isLessThanOrEqualTo(maxBytes);
  }

  @Test
  void aReopenedSpoolHoldsWhatTheLastOneWroteAndATornTailIsCounted() throws Exception {
    Spool first = new Spool(dir, 1 << 20, SYNC);
    for (int i = 0; i < 100; i++) {
      first.append(1L, null, bytes("k" + i), bytes("value-" + i));
    }
    // no close: as after kill -9, the entries are in the file already
    Spool second = new Spool(dir, 1 << 20, SYNC);
    assertThat(second.records()).isEqualTo(100);
    second.close();

    Path segment;
    try (Stream<Path> files = Files.list(dir)) {
      segment = files.filter(p -> p.toString().endsWith(".seg")).sorted().findFirst().orElseThrow();
    }
    byte[] content = Files.readAllBytes(segment);
    content[content.length - 30] ^= 0x5A; // a torn write near the end
    Files.write(segment, content);
    Spool third = new Spool(dir, 1 << 20, SYNC);
    assertThat(third.records()).isEqualTo(98); // the torn record and the one after it are lost
    List<String> back = drain(third);
    assertThat(back).hasSize(98).startsWith("k0=value-0", "k1=value-1").endsWith("k97=value-97");
    assertThat(third.corruptBytes()).isPositive();
    assertThat(third.records()).isZero();
    assertThat(third.bytes()).isZero();
  }

  @Test
  void anUnwritableDirectoryOrNoBudgetIsRefusedAtOnce() throws Exception {
    assertThatThrownBy(() -> new Spool(dir, 0, SYNC))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxBytes must be positive");
    Path file = Files.writeString(dir.resolve("a-file"), "x");
    assertThatThrownBy(() -> new Spool(file.resolve("spool"), 1000, SYNC))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cannot be created or written");
    Path readOnly = Files.createDirectory(dir.resolve("ro"));
    Files.setPosixFilePermissions(readOnly, PosixFilePermissions.fromString("r-xr-xr-x"));
    if (!Files.isWritable(readOnly)) { // root may write anywhere
      assertThatThrownBy(() -> new Spool(readOnly, 1000, SYNC))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("cannot be created or written");
    }
  }
}
