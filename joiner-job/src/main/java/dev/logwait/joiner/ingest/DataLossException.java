package dev.logwait.joiner.ingest;

/** Offsets fell out of Kafka's retention before logwait read them. */
public class DataLossException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public DataLossException(String message) {
    super(message);
  }

  /** The refusal for {@code loss} ({@code "topic/partition" -> records lost}). */
  static DataLossException of(java.util.Map<String, Long> loss) {
    long total = loss.values().stream().mapToLong(Long::longValue).sum();
    return new DataLossException(
        total
            + " records fell out of Kafka's retention before logwait read them: "
            + loss
            + " (partition -> records lost). Nothing was written. Rerun with"
            + " --accept-data-loss to skip them; the gap is then recorded in the runs table.");
  }
}
