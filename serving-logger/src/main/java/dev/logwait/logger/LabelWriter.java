package dev.logwait.logger;

import dev.logwait.logger.internal.RecordWriter;
import dev.logwait.schema.LogwaitSchemas;
import dev.logwait.schema.SingleObjectCodec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.io.Encoder;

/** Writes a label event in the shipped {@code LabelEvent} layout. */
final class LabelWriter implements RecordWriter<Label> {
  private static final Schema SCHEMA = LogwaitSchemas.labelEvent();
  private static final long FINGERPRINT = SingleObjectCodec.fingerprint(SCHEMA);

  @Override
  public Schema schema(Label label) {
    return SCHEMA;
  }

  @Override
  public long fingerprint(Label label) {
    return FINGERPRINT;
  }

  @Override
  public boolean publishesSchema() {
    return false; // shipped in logwait-schemas; every joiner knows it
  }

  @Override
  public byte[] key(Label label) {
    String key = label.predictionId() != null ? label.predictionId() : label.eventId();
    return key.getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public void writeBody(Label l, Encoder out) throws IOException {
    out.writeString(l.eventId());
    out.writeString(l.labelName());
    out.writeDouble(l.value());
    out.writeLong(l.occurredAtMicros());
    if (l.predictionId() == null) {
      out.writeIndex(0);
      out.writeNull();
    } else {
      out.writeIndex(1);
      out.writeString(l.predictionId());
    }
    out.writeMapStart();
    out.setItemCount(l.entityKeys().size());
    for (Map.Entry<String, String> e : l.entityKeys().entrySet()) {
      out.startItem();
      out.writeString(e.getKey());
      out.writeString(e.getValue());
    }
    out.writeMapEnd();
  }
}
