package dev.logwait.tools;

import java.util.Random;

/**
 * The demo's exploring models: per request, a layout ({@link #ACTIONS}) is chosen epsilon-greedy
 * from the model's own (partly wrong) idea of the best layout per country, and logged with the
 * probability it was chosen with. The true effect of a layout on the click rate differs by country;
 * the candidate policy — the truly best layout with probability 0.9 — is what the report's
 * off-policy evaluation judges from the logged clicks, and its true value is known here.
 */
final class Exploration {
  static final String[] ACTIONS = {"popular", "personal", "fresh"};
  static final double EPSILON = 0.2;

  /** True click-rate multiplier per country (de, fr, us, br, jp) and layout. */
  private static final double[][] EFFECT = {
    {1.0, 1.4, 0.8}, {1.0, 0.8, 1.3}, {1.2, 1.0, 0.8}, {0.8, 1.0, 1.4}, {1.0, 1.3, 0.9}
  };

  /** The layout the models believe best per country (right in two countries of five). */
  private static final int[] GREEDY = {0, 2, 0, 1, 0};

  /** The candidate's choice per country: the truly best layout. */
  private static final int[] BEST = {1, 2, 0, 2, 1};

  private Exploration() {}

  static int choose(Random rnd, int country) {
    return rnd.nextDouble() < EPSILON ? rnd.nextInt(ACTIONS.length) : GREEDY[country];
  }

  /** The probability the logging policy chose {@code action}. */
  static double propensity(int country, int action) {
    return (action == GREEDY[country] ? 1 - EPSILON : 0) + EPSILON / ACTIONS.length;
  }

  static double effect(int country, int action) {
    return EFFECT[country][action];
  }

  /** The candidate policy's probability of {@code action}. */
  static double candidate(int country, int action) {
    return action == BEST[country] ? 0.9 : 0.05;
  }

  /** The candidate's expected multiplier in a country. */
  static double candidateEffect(int country) {
    double e = 0;
    for (int a = 0; a < ACTIONS.length; a++) {
      e += candidate(country, a) * EFFECT[country][a];
    }
    return e;
  }
}
