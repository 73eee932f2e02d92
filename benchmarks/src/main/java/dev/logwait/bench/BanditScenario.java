package dev.logwait.bench;

import java.util.Arrays;

/**
 * A bandit benchmark's world: arms with known click rates, and how many requests each strategy
 * serves per simulated step (one seed).
 *
 * @param name {@code two} or {@code three}: part of every router and action name
 * @param rates each arm's true click rate, in the arms' order (arm names a, b, c, ...)
 * @param perStep requests per step, per seed and strategy
 */
record BanditScenario(String name, double[] rates, int perStep) {
  /** Two arms close together: the better one is hard to tell. */
  static final double[] TWO = {0.05, 0.0525};

  /** Three arms, one clearly worse: it should starve quickly. */
  static final double[] THREE = {0.05, 0.05, 0.03};

  BanditScenario {
    if (!name.matches("[a-z][a-z0-9]*")) {
      throw new IllegalArgumentException(
          "scenario name '" + name + "' must be lower-case letters and digits");
    }
    if (rates.length < 2 || rates.length > 26) {
      throw new IllegalArgumentException("a scenario needs 2 to 26 arms, was " + rates.length);
    }
    rates = rates.clone();
    if (perStep < 1) {
      throw new IllegalArgumentException("requests per step must be positive, was " + perStep);
    }
  }

  /**
   * {@code two=10000} or {@code three=2000}: a named scenario with its requests per step.
   *
   * @throws IllegalArgumentException naming the scenarios there are
   */
  static BanditScenario parse(String spec) {
    String[] kv = spec.split("=", 2);
    if (kv.length != 2 || !kv[1].matches("[0-9]+")) {
      throw new IllegalArgumentException(
          "scenario '" + spec + "': write it as two=<requests per step> or three=<...>");
    }
    int perStep = Integer.parseInt(kv[1]);
    return switch (kv[0]) {
      case "two" -> new BanditScenario("two", TWO, perStep);
      case "three" -> new BanditScenario("three", THREE, perStep);
      default ->
          throw new IllegalArgumentException(
              "scenario '" + kv[0] + "' is not known: two (5.0% vs 5.25%) or three (5%, 5%, 3%)");
    };
  }

  int arms() {
    return rates.length;
  }

  double rate(int arm) {
    return rates[arm];
  }

  double bestRate() {
    return Arrays.stream(rates).max().orElseThrow();
  }

  /** Whether the arm's rate is below the best: ruling it out is a correct decision. */
  boolean worse(int arm) {
    return rates[arm] < bestRate();
  }

  /** The arm with the lowest rate: the one whose share of the traffic is followed. */
  int worst() {
    int w = 0;
    for (int i = 1; i < rates.length; i++) {
      if (rates[i] < rates[w]) {
        w = i;
      }
    }
    return w;
  }

  /** {@code a}, {@code b}, ... */
  static String armLetter(int arm) {
    return String.valueOf((char) ('a' + arm));
  }

  /** The rates as the tables show them: {@code 5.0% / 5.25%}. */
  String ratesText() {
    StringBuilder b = new StringBuilder();
    for (double r : rates) {
      b.append(b.length() == 0 ? "" : " / ").append(percent(r));
    }
    return b.toString();
  }

  static String percent(double r) {
    String s = String.format("%.2f", r * 100);
    return (s.endsWith("0") ? s.substring(0, s.length() - 1) : s) + "%";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof BanditScenario s
        && s.name.equals(name)
        && Arrays.equals(s.rates, rates)
        && s.perStep == perStep;
  }

  @Override
  public int hashCode() {
    return name.hashCode() * 31 + Arrays.hashCode(rates) + perStep;
  }

  @Override
  public String toString() {
    return name + " (" + ratesText() + ", " + perStep + " requests per step)";
  }
}
