package dev.logwait.it;

import dev.logwait.logger.Label;
import dev.logwait.schema.LogwaitSchemas;
import dev.logwait.schema.SingleObjectCodec;
import org.apache.avro.generic.GenericData;

/** A label as the bytes a LabelLogger sends, for tests that pick the partition themselves. */
final class LabelBytes {
  private LabelBytes() {}

  static byte[] encode(Label l) {
    GenericData.Record r = new GenericData.Record(LogwaitSchemas.labelEvent());
    r.put("event_id", l.eventId());
    r.put("label_name", l.labelName());
    r.put("value", l.value());
    r.put("occurred_at", l.occurredAtMicros());
    r.put("prediction_id", l.predictionId());
    r.put("entity_keys", l.entityKeys());
    return SingleObjectCodec.encode(r);
  }
}
