package dev.logwait.logger.internal;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/**
 * A bounded, append-only disk spool of encoded Kafka messages, for the engine's worker while Kafka
 * cannot take them. Files {@code spool-<sequence>.seg} in one directory; each entry is {@code [int
 * length][int CRC32C][byte kind][payload]}, the checksum over kind and payload. Kinds: a writer
 * schema ({@code long fingerprint, UTF-8 JSON}), which precedes the first record of that schema in
 * a segment, and a record ({@code int key length, key, value}).
 *
 * <p>Entries are written straight to the file (no buffer in this process), so a killed process
 * loses nothing it appended; {@code fsync} follows {@link Sync}, so a power loss loses at most the
 * entries since the last one. A segment whose tail does not check (a torn write) is read up to the
 * last good entry; the rest is counted in {@link #corruptBytes()} and dropped with the segment.
 *
 * <p>Files are written and read with {@link RandomAccessFile}, not NIO channels: an interrupt of
 * the worker (as {@code close} does to wake it) closes an NIO {@code FileChannel} for good, and
 * every record after it would fail instead of being spooled.
 *
 * <p>Not thread-safe: one thread (the worker, or {@code close} after it) uses it.
 */
public final class Spool implements AutoCloseable {
  /** When appended entries are forced to the disk. */
  public record Sync(int everyRecords, Duration every) {}

  static final byte SCHEMA = 1;
  static final byte RECORD = 2;
  private static final int HEADER = 9;
  private static final String PREFIX = "spool-";
  private static final String SUFFIX = ".seg";

  /** One entry read back. */
  public record Entry(byte kind, long fingerprint, String schema, byte[] key, byte[] value) {}

  /** A sealed segment's entries, in order. */
  public record Segment(Path file, List<Entry> entries, int records) {}

  private final Path dir;
  private final long maxBytes;
  private final long segmentBytes;
  private final Sync sync;
  private final Deque<Path> sealed = new ArrayDeque<>();
  private final java.util.Map<Path, Integer> recordsIn = new java.util.HashMap<>();
  private final java.util.Set<Long> schemasInActive = new java.util.HashSet<>();
  private final java.util.Set<Path> countedCorrupt = new java.util.HashSet<>();
  private RandomAccessFile active;
  private Path activeFile;
  private int activeRecords;
  private long sequence;
  private long bytes;
  private long records;
  private long corruptBytes;
  private int unsynced;
  private final LongSupplier nanoTime;
  private long lastSyncNanos;

  /**
   * Opens (creating) the spool directory and takes over the segments a previous process left.
   *
   * @throws IllegalArgumentException when the directory cannot be created or written, or the budget
   *     is not positive
   */
  public Spool(Path dir, long maxBytes, Sync sync) {
    this(dir, maxBytes, sync, System::nanoTime);
  }

  /** As {@link #Spool(Path, long, Sync)}, with the clock of the sync interval (tests). */
  Spool(Path dir, long maxBytes, Sync sync, LongSupplier nanoTime) {
    if (maxBytes <= 0) {
      throw new IllegalArgumentException("spool maxBytes must be positive, was " + maxBytes);
    }
    this.dir = dir;
    this.maxBytes = maxBytes;
    // well under the producer's buffer.memory (32 MiB), so a segment's replay never blocks on it
    this.segmentBytes = Math.max(64 * 1024, Math.min(8L << 20, maxBytes / 8));
    this.sync = sync;
    this.nanoTime = nanoTime;
    this.lastSyncNanos = nanoTime.getAsLong();
    try {
      Files.createDirectories(dir);
      Path probe = Files.createTempFile(dir, ".probe", ".tmp");
      Files.delete(probe);
    } catch (IOException | SecurityException e) {
      throw new IllegalArgumentException(
          "spool directory " + dir + " cannot be created or written: " + e, e);
    }
    try (Stream<Path> files = Files.list(dir)) {
      List<Path> found =
          files
              .filter(p -> p.getFileName().toString().startsWith(PREFIX))
              .filter(p -> p.getFileName().toString().endsWith(SUFFIX))
              .sorted()
              .toList();
      for (Path p : found) {
        int n = 0;
        for (Entry e : read(p, false)) {
          if (e.kind() == RECORD) {
            n++;
          }
        }
        sealed.add(p);
        recordsIn.put(p, n);
        records += n;
        bytes += Files.size(p);
        sequence = Math.max(sequence, sequenceOf(p));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Records the spool holds. */
  public long records() {
    return records;
  }

  /** Bytes on disk. */
  public long bytes() {
    return bytes;
  }

  /** Bytes found after a segment's last good entry (torn or corrupted writes), so far. */
  public long corruptBytes() {
    return corruptBytes;
  }

  public boolean isEmpty() {
    return records == 0;
  }

  /**
   * Appends a record, preceded by its schema the first time a segment holds that fingerprint.
   *
   * @param schemaJson the writer schema (asked only when the segment lacks it), or null when none
   *     needs publishing
   * @return false when the budget is exhausted (nothing was written)
   */
  public boolean append(
      long fingerprint, java.util.function.Supplier<String> schemaJson, byte[] key, byte[] value) {
    int keyLength = key == null ? -1 : key.length;
    int recordSize = HEADER + 4 + Math.max(0, keyLength) + value.length;
    try {
      byte[] schemaBytes =
          schemaJson == null || schemasInActive.contains(fingerprint)
              ? null
              : schemaJson.get().getBytes(StandardCharsets.UTF_8);
      int size = recordSize + schemaSize(schemaBytes);
      boolean roll = active == null || active.getFilePointer() + size > segmentBytes;
      if (roll && schemaJson != null && schemaBytes == null) {
        // a new segment starts with the schema again: the budget must have room for it too
        schemaBytes = schemaJson.get().getBytes(StandardCharsets.UTF_8);
        size = recordSize + schemaSize(schemaBytes);
      }
      if (bytes + size > maxBytes) {
        return false;
      }
      if (roll) {
        roll();
      }
      if (schemaBytes != null && schemasInActive.add(fingerprint)) {
        ByteBuffer p = ByteBuffer.allocate(8 + schemaBytes.length);
        p.putLong(fingerprint).put(schemaBytes).flip();
        write(SCHEMA, p);
      }
      ByteBuffer p = ByteBuffer.allocate(4 + Math.max(0, keyLength) + value.length);
      p.putInt(keyLength);
      if (key != null) {
        p.put(key);
      }
      p.put(value).flip();
      write(RECORD, p);
      activeRecords++;
      records++;
      if (++unsynced >= sync.everyRecords()) {
        force();
      }
      return true;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write to spool " + dir, e);
    }
  }

  /** Forces appended entries to disk when the sync interval has passed (call when idle). */
  public void maybeSync() {
    if (unsynced > 0 && nanoTime.getAsLong() - lastSyncNanos >= sync.every().toNanos()) {
      force();
    }
  }

  /**
   * How long until {@link #maybeSync()} has entries to force: 0 when now, {@link Long#MAX_VALUE}
   * when every entry is on the disk.
   */
  long nextSyncInNanos() {
    if (unsynced == 0) {
      return Long.MAX_VALUE;
    }
    return Math.max(0, lastSyncNanos + sync.every().toNanos() - nanoTime.getAsLong());
  }

  /**
   * The oldest segment's entries for replay, sealing the active one if it is the only one; null
   * when the spool is empty.
   */
  public Segment oldest() {
    if (sealed.isEmpty() && active != null && activeRecords > 0) {
      seal();
    }
    Path p = sealed.peekFirst();
    if (p == null) {
      return null;
    }
    List<Entry> entries = read(p, true);
    return new Segment(p, entries, recordsIn.getOrDefault(p, 0));
  }

  /** Removes a segment whose records Kafka acknowledged (or that held nothing readable). */
  public void remove(Segment s) {
    try {
      long size = Files.size(s.file());
      Files.deleteIfExists(s.file());
      sealed.remove(s.file());
      records -= recordsIn.getOrDefault(s.file(), 0);
      recordsIn.remove(s.file());
      bytes -= size;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot remove spool segment " + s.file(), e);
    }
  }

  @Override
  public void close() {
    if (active != null) {
      seal();
    }
  }

  /** The bytes a schema entry takes on disk; 0 for none. */
  private static int schemaSize(byte[] schemaBytes) {
    return schemaBytes == null ? 0 : HEADER + 8 + schemaBytes.length;
  }

  private void write(byte kind, ByteBuffer payload) throws IOException {
    CRC32C crc = new CRC32C();
    crc.update(kind);
    crc.update(payload.duplicate());
    byte[] entry = new byte[HEADER + payload.remaining()];
    ByteBuffer.wrap(entry)
        .putInt(1 + payload.remaining())
        .putInt((int) crc.getValue())
        .put(kind)
        .put(payload);
    active.write(entry); // one write call per entry
    bytes += entry.length;
  }

  private void roll() throws IOException {
    if (active != null) {
      seal();
    }
    activeFile = dir.resolve(String.format("%s%020d%s", PREFIX, ++sequence, SUFFIX));
    Files.createFile(activeFile); // never an existing segment
    active = new RandomAccessFile(activeFile.toFile(), "rw");
    activeRecords = 0;
    schemasInActive.clear();
  }

  private void seal() {
    force();
    try {
      active.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    sealed.addLast(activeFile);
    recordsIn.put(activeFile, activeRecords);
    active = null;
    activeFile = null;
    activeRecords = 0;
    schemasInActive.clear();
  }

  private void force() {
    if (active != null && unsynced > 0) {
      try {
        active.getFD().sync();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot fsync spool " + dir, e);
      }
    }
    unsynced = 0;
    lastSyncNanos = nanoTime.getAsLong();
  }

  /** A segment's good entries; with {@code count}, what follows them adds to the corrupt bytes. */
  private List<Entry> read(Path file, boolean count) {
    List<Entry> out = new ArrayList<>();
    byte[] all;
    try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
      all = new byte[Math.toIntExact(in.length())];
      in.readFully(all);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read spool segment " + file, e);
    }
    ByteBuffer b = ByteBuffer.wrap(all);
    while (b.remaining() >= HEADER) {
      int start = b.position();
      int length = b.getInt();
      int crc = b.getInt();
      if (length < 1 || length > b.remaining()) {
        b.position(start);
        break;
      }
      byte kind = b.get();
      ByteBuffer payload = b.slice(b.position(), length - 1);
      CRC32C check = new CRC32C();
      check.update(kind);
      check.update(payload.duplicate());
      if ((int) check.getValue() != crc || (kind != SCHEMA && kind != RECORD)) {
        b.position(start);
        break;
      }
      b.position(b.position() + length - 1);
      if (kind == SCHEMA) {
        long fp = payload.getLong();
        byte[] json = new byte[payload.remaining()];
        payload.get(json);
        out.add(new Entry(kind, fp, new String(json, StandardCharsets.UTF_8), null, null));
      } else {
        int keyLength = payload.getInt();
        byte[] key = null;
        if (keyLength >= 0) {
          key = new byte[keyLength];
          payload.get(key);
        }
        byte[] value = new byte[payload.remaining()];
        payload.get(value);
        out.add(new Entry(kind, 0, null, key, value));
      }
    }
    if (count && b.remaining() > 0 && countedCorrupt.add(file)) {
      corruptBytes += b.remaining();
    }
    return out;
  }

  private static long sequenceOf(Path p) {
    String name = p.getFileName().toString();
    try {
      return Long.parseLong(name.substring(PREFIX.length(), name.length() - SUFFIX.length()));
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
