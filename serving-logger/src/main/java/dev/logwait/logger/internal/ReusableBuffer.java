package dev.logwait.logger.internal;

import dev.logwait.schema.SingleObjectCodec;

/**
 * A growable byte buffer, reused for every record, that starts with the single-object header.
 * Unsynchronized: only the worker thread touches it.
 */
final class ReusableBuffer extends java.io.OutputStream {
  private byte[] buf;
  private int count;

  ReusableBuffer(int size) {
    buf = new byte[Math.max(size, SingleObjectCodec.HEADER_LENGTH)];
  }

  void reset() {
    count = 0;
  }

  void reserveHeader(long fingerprint) {
    SingleObjectCodec.writeHeader(buf, 0, fingerprint);
    count = SingleObjectCodec.HEADER_LENGTH;
  }

  @Override
  public void write(int b) {
    ensure(1);
    buf[count++] = (byte) b;
  }

  @Override
  public void write(byte[] b, int off, int len) {
    ensure(len);
    System.arraycopy(b, off, buf, count, len);
    count += len;
  }

  byte[] toByteArray() {
    return java.util.Arrays.copyOf(buf, count);
  }

  private void ensure(int more) {
    if (count + more > buf.length) {
      buf = java.util.Arrays.copyOf(buf, Math.max(buf.length * 2, count + more));
    }
  }
}
