package dev.logwait.joiner.bandit;

import dev.logwait.joiner.config.ConfigException;
import dev.logwait.joiner.config.JoinerConfig;
import dev.logwait.joiner.config.RewardKind;
import dev.logwait.joiner.config.RouterSpec;
import dev.logwait.joiner.table.ConcurrentRunException;
import dev.logwait.joiner.table.CrashPoints;
import dev.logwait.joiner.table.Tables;
import java.io.PrintStream;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.util.SnapshotUtil;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The step of a run after its join: for each router, its statistics brought to the training table's
 * current snapshot ({@link UpdatePlan}), committed to {@code router_state}, then published (with
 * the arms' waiting predictions). Committing first makes a killed run harmless: the next run finds
 * the state at the current snapshot and publishes it again, counting nothing twice.
 *
 * <p>Counts, per router: {@code router_published.<name>} (1 when published), {@code
 * router_rows.<name>} (rows added to its statistics: the new rows, or every row when recomputed)
 * and {@code router_recomputed.<name>} (1 when computed from the whole table).
 */
public final class RouterUpdates {
  /** Snapshot property of training commits: the label watermark they are final through. */
  static final String CUTOFF = "logwait.cutoff";

  /** Attempts at a commit that another run's commit to {@code router_state} raced. */
  static final int ATTEMPTS = 5;

  private final SparkSession spark;
  private final JoinerConfig config;
  private final Tables tables;
  private final String runId;
  private final PrintStream progress;
  private final StateTable states;

  public RouterUpdates(
      SparkSession spark, JoinerConfig config, Tables tables, String runId, PrintStream progress) {
    this.spark = spark;
    this.config = config;
    this.tables = tables;
    this.runId = runId;
    this.progress = progress;
    this.states = new StateTable(spark, tables);
  }

  /**
   * Updates and publishes every router, adding its counts to {@code counts} as it goes. A router
   * that fails does not keep the others from being published; the first failure is thrown at the
   * end, with the others suppressed in it.
   */
  public void run(Map<String, Long> counts) {
    RuntimeException failed = null;
    PosteriorTopic topic = null;
    try {
      for (RouterSpec r : config.routers()) {
        try {
          RouterState published = update(r, counts);
          if (published == null) {
            continue;
          }
          if (topic == null) {
            topic = PosteriorTopic.open(config);
          }
          publish(r, published, topic);
          counts.put("router_published." + r.name(), 1L);
          // Another run may have committed a newer state meanwhile and published it before this
          // run's publication: then publish the newest again, so that the topic ends with it.
          RouterState now = states.read().get(r.name());
          if (now != null && !same(now, published)) {
            publish(r, now, topic);
          }
        } catch (RuntimeException e) {
          if (failed == null) {
            failed = e;
          } else {
            failed.addSuppressed(e);
          }
        }
      }
    } finally {
      if (topic != null) {
        topic.close();
      }
    }
    if (failed != null) {
      throw failed;
    }
  }

  /**
   * The router's state at the training table's current snapshot, committed (null when the table has
   * no snapshot yet); not published.
   */
  RouterState update(RouterSpec r, Map<String, Long> counts) {
    if (!tables.exists(r.table())) {
      progress.println(
          "[logwait] router " + r.name() + ": no table " + r.table() + " yet; nothing published");
      return null;
    }
    String spec = RouterState.specOf(r);
    for (int attempt = 1; ; attempt++) {
      Table t = tables.iceberg(r.table());
      Snapshot current = t.currentSnapshot();
      if (current == null) {
        progress.println(
            "[logwait] router "
                + r.name()
                + ": "
                + r.table()
                + " has no rows yet; nothing published");
        return null;
      }
      requireColumns(r);
      StateTable.Read read = states.read();
      RouterState last = read.get(r.name());
      Long wm = watermark(r.table(), current);
      Iterable<UpdatePlan.Step> history =
          () ->
              StreamSupport.stream(
                      SnapshotUtil.ancestorsOf(current.snapshotId(), t::snapshot).spliterator(),
                      false)
                  .map(s -> new UpdatePlan.Step(s.snapshotId(), s.operation()))
                  .iterator();
      UpdatePlan plan =
          UpdatePlan.decide(last, spec, current.snapshotId(), wm, r.halfLife() != null, history);
      if (plan.kind() == UpdatePlan.Kind.PUBLISH) {
        counts.put("router_rows." + r.name(), 0L);
        progress.println(
            "[logwait] router " + r.name() + ": state at snapshot " + plan.to() + " already");
        return last;
      }
      long started = System.nanoTime();
      boolean recompute = plan.kind() == UpdatePlan.Kind.RECOMPUTE;
      Dataset<Row> rows =
          recompute
              ? tables.readAt(r.table(), plan.to())
              : spark
                  .read()
                  .option("start-snapshot-id", String.valueOf(plan.fromExclusive()))
                  .option("end-snapshot-id", String.valueOf(plan.to()))
                  .table(tables.name(r.table()));
      ArmAggregation.Result added = ArmAggregation.of(rows, r, wm);
      requireRewardsInRange(r, added);
      Statistics sums =
          recompute
              ? added.statistics()
              : last.statistics()
                  .scaled(Decay.factor(last.labelWatermarkMicros(), wm, r.halfLifeMicros()))
                  .plus(added.statistics());
      RouterState next =
          new RouterState(
              r.name(),
              r.table(),
              plan.to(),
              wm,
              spec,
              sums,
              Instant.now().toEpochMilli() * 1000,
              runId,
              recompute);
      try {
        states.commit(read, next);
      } catch (ConcurrentRunException e) {
        if (attempt == ATTEMPTS) {
          throw e;
        }
        progress.println("[logwait] router " + r.name() + ": " + e.getMessage() + " Again.");
        continue; // another run's state landed first: start from it
      }
      counts.put("router_rows." + r.name(), added.statistics().rows());
      if (recompute) {
        counts.put("router_recomputed." + r.name(), 1L);
      }
      progress.printf(
          "[logwait] router %s: %s %,d rows (%s) in %.1f s; state at snapshot %d%n",
          r.name(),
          recompute ? "recomputed from" : "added",
          added.statistics().rows(),
          plan.reason(),
          (System.nanoTime() - started) / 1e9,
          plan.to());
      return next;
    }
  }

  private void publish(RouterSpec r, RouterState s, PosteriorTopic topic) {
    Map<String, Long> waiting =
        OpenPredictions.waiting(OpenPredictions.of(tables, r, s.trainingSnapshot()));
    Posterior p = Posterior.of(r, s, waiting, Instant.now().toEpochMilli() * 1000);
    // between the state's commit and its publication: a run killed here publishes nothing, and
    // the next one publishes this same state
    CrashPoints.reached("before-publish-" + r.name());
    topic.publish(p);
    StringBuilder arms = new StringBuilder();
    for (Posterior.Arm a : p.arms()) {
      arms.append(
          String.format(
              "; %s %,d rows, mean %s, %,d waiting",
              a.arm(),
              a.rows(),
              a.weight() > 0 ? String.format("%.4g", a.rewardSum() / a.weight()) : "–",
              a.waiting()));
    }
    progress.println(
        "[logwait] router "
            + r.name()
            + ": published training snapshot "
            + s.trainingSnapshot()
            + " (labels final through "
            + (s.labelWatermarkMicros() == null
                ? "–"
                : Instant.ofEpochMilli(s.labelWatermarkMicros() / 1000))
            + ")"
            + arms);
  }

  private static boolean same(RouterState a, RouterState b) {
    return a.trainingSnapshot() == b.trainingSnapshot()
        && a.spec().equals(b.spec())
        && a.committedAtMicros() == b.committedAtMicros();
  }

  /** The label watermark a training snapshot is final through, or null. */
  private Long watermark(String table, Snapshot s) {
    String cutoff = tables.summaryOf(table, s).get(CUTOFF);
    return cutoff == null ? null : Long.parseLong(cutoff);
  }

  /** The arm and reward columns must exist before anything is read. */
  private void requireColumns(RouterSpec r) {
    List<String> columns = Arrays.asList(tables.schema(r.table()).fieldNames());
    for (String c : List.of(r.armColumn(), r.rewardColumn(), "weight", "served_at")) {
      if (!columns.contains(c)) {
        throw new ConfigException(
            "router "
                + r.name()
                + ": "
                + tables.name(r.table())
                + " has no column "
                + c
                + (c.equals(r.rewardColumn())
                    ? " (label '"
                        + r.reward()
                        + "' was added after its rows were written: run backfill for it, or"
                        + " choose another reward)"
                    : ""));
      }
    }
  }

  /** A Beta posterior takes rewards in [0, 1] only. */
  private static void requireRewardsInRange(RouterSpec r, ArmAggregation.Result added) {
    if (r.rewardKind() == RewardKind.BINARY && added.outOfRange() > 0) {
      throw new ConfigException(
          "router "
              + r.name()
              + ": reward '"
              + r.reward()
              + "' is binary, but "
              + added.outOfRange()
              + " rows have rewards outside [0, 1] (from "
              + added.lowest()
              + " to "
              + added.highest()
              + "); set reward-kind: numeric for this router. Its statistics were not changed.");
    }
  }
}
