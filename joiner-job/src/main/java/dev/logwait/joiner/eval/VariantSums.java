package dev.logwait.joiner.eval;

/** Weighted sums of one label over one {@code model/version}, across its score bins. */
final class VariantSums {
  /** Scores in [0, 1] are summed in this many bins (for AUC and calibration). */
  static final int SCORE_BINS = 1000;

  /** Rows with a value of the label. */
  long n;

  double w;
  double w2;
  double wy;
  double wy2;

  /** The weight of rows whose label is neither 0 nor 1. */
  double wNonBinary;

  double wLogLoss;
  double wAbs;
  double wSq;

  /** The weight of rows without a score in [0, 1]. */
  double wUnscored;

  final double[] binW = new double[SCORE_BINS];
  final double[] binWy = new double[SCORE_BINS];
  final double[] binWp = new double[SCORE_BINS];
}
