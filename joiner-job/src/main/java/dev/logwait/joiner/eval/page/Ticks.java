package dev.logwait.joiner.eval.page;

import java.util.ArrayList;
import java.util.List;

/**
 * An axis's ticks by Heckbert's "nice numbers" (Graphics Gems, 1990): steps of 1, 2 or 5 × 10^k,
 * every tick a multiple of the step, the first at or below the data and the last at or above it
 * (loose labelling: the axis spans the ticks). A flat range gets a span around its value, so a
 * series of equal values never shows hairline ticks like ±1e-12.
 *
 * @param min the first tick, where the axis starts
 * @param max the last tick, where the axis ends
 */
record Ticks(double min, double max, double step) {
  /** About this many ticks per axis. */
  static final int TARGET = 5;

  private static final double[] SECONDS_UNITS = {1, 60, 3600, 86400};

  /** How the values of an axis are read, and so which steps are nice. */
  enum Scale {
    /** Plain numbers: 1, 2, 5 × 10^k. */
    LINEAR,
    /** Indexes (days, runs): nice steps of at least 1. */
    INDEX,
    /** Durations in seconds: nice steps of seconds, minutes, hours or days. */
    SECONDS;

    Ticks ticks(double lo, double hi) {
      return switch (this) {
        case LINEAR -> of(lo, hi);
        case INDEX -> index(lo, hi);
        case SECONDS -> seconds(lo, hi);
      };
    }
  }

  /** Nice ticks over {@code [lo, hi]}. */
  static Ticks of(double lo, double hi) {
    if (!(lo <= hi) || !Double.isFinite(lo) || !Double.isFinite(hi)) {
      return new Ticks(0, 1, 0.2);
    }
    if (flat(lo, hi)) {
      // a flat series: zero gets [0, 1]; another value half its size either side
      double v = (lo + hi) / 2;
      double half = Math.abs(v) / 2;
      lo = v == 0 ? 0 : v - half;
      hi = v == 0 ? 1 : v + half;
    }
    double range = nice(hi - lo, false);
    double step = nice(range / (TARGET - 1), true);
    return new Ticks(Math.floor(lo / step) * step, Math.ceil(hi / step) * step, step);
  }

  /** Nice ticks over indexes: a step of at least 1; one index alone stands in the middle. */
  static Ticks index(double lo, double hi) {
    if (lo == hi) {
      return new Ticks(lo - 1, hi + 1, 1);
    }
    Ticks t = of(lo, hi);
    if (t.step >= 1) {
      return t;
    }
    return new Ticks(Math.floor(lo), Math.ceil(hi), 1);
  }

  /** Nice ticks over durations in seconds, in the largest unit that the range spans twice. */
  static Ticks seconds(double lo, double hi) {
    double unit = SECONDS_UNITS[0];
    for (double u : SECONDS_UNITS) {
      if ((hi - lo) / u >= 2) {
        unit = u;
      }
    }
    Ticks t = of(lo / unit, hi / unit);
    return new Ticks(t.min * unit, t.max * unit, t.step * unit);
  }

  /** The ticks' values, from {@link #min} to {@link #max}. */
  List<Double> values() {
    List<Double> out = new ArrayList<>();
    long n = Math.round((max - min) / step);
    for (long i = 0; i <= n; i++) {
      // from the multiple's index, not by adding steps: no accumulated rounding (0.30000000000004)
      double v = (Math.round(min / step) + i) * step;
      out.add(Math.abs(v) < step * 1e-9 ? 0.0 : v);
    }
    return out;
  }

  /** Where {@code v} falls on the axis, from 0 at {@link #min} to 1 at {@link #max}. */
  double fraction(double v) {
    return (v - min) / (max - min);
  }

  private static boolean flat(double lo, double hi) {
    return hi - lo <= 1e-9 * Math.max(Math.abs(lo), Math.abs(hi)) || hi - lo < 1e-300;
  }

  /**
   * A nice number near {@code x}: 1, 2, 5 or 10 × 10^k, rounded to the nearest ({@code round}) or
   * the next above (otherwise).
   */
  static double nice(double x, boolean round) {
    double exp = Math.floor(Math.log10(x));
    double f = x / Math.pow(10, exp);
    double nf;
    if (round) {
      nf = f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10;
    } else {
      // a hair of tolerance: 0.07500000000000001 − 0.025 is a range of 5, not of "more than 5"
      double g = f * (1 - 1e-9);
      nf = g <= 1 ? 1 : g <= 2 ? 2 : g <= 5 ? 5 : 10;
    }
    return nf * Math.pow(10, exp);
  }
}
