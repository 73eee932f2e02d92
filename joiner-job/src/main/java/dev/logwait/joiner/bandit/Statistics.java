package dev.logwait.joiner.bandit;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** A router's per-arm sums, one entry per arm, ordered by arm name. */
public record Statistics(List<ArmSums> arms) {
  public static final Statistics EMPTY = new Statistics(List.of());

  public Statistics {
    Map<String, ArmSums> byArm = new TreeMap<>();
    for (ArmSums a : arms) {
      byArm.merge(a.arm(), a, ArmSums::plus);
    }
    arms = List.copyOf(byArm.values());
  }

  /** The sums over both sets of rows (disjoint), arm by arm. */
  Statistics plus(Statistics other) {
    List<ArmSums> all = new ArrayList<>(arms);
    all.addAll(other.arms);
    return new Statistics(all);
  }

  /** Every weighted sum times {@code factor}. */
  Statistics scaled(double factor) {
    return factor == 1 ? this : new Statistics(arms.stream().map(a -> a.scaled(factor)).toList());
  }

  /** The rows counted, over every arm. */
  public long rows() {
    return arms.stream().mapToLong(ArmSums::rows).sum();
  }

  /** The arm's sums, or null. */
  public ArmSums arm(String name) {
    return arms.stream().filter(a -> a.arm().equals(name)).findFirst().orElse(null);
  }
}
