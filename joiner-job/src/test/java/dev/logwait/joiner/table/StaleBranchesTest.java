package dev.logwait.joiner.table;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.ManageSnapshots;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.hadoop.HadoopTables;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Branches left by runs that died mid-commit: removed a day later; another run removing them first
 * is the one failure ignored, any other is not.
 */
class StaleBranchesTest {
  static final long NOW = 1_780_000_000_000L;
  static final long DAY = 86_400_000L;

  @TempDir Path dir;

  private Table table() {
    Table t =
        new HadoopTables(new Configuration())
            .create(
                new Schema(Types.NestedField.required(1, "id", Types.LongType.get())),
                PartitionSpec.unpartitioned(),
                dir.resolve("t").toString());
    t.newAppend().commit();
    long head = t.currentSnapshot().snapshotId();
    t.manageSnapshots()
        .createBranch(BranchCommit.BRANCH_PREFIX + (NOW - 2 * DAY) + "_dead0001", head)
        .createBranch(BranchCommit.BRANCH_PREFIX + (NOW - 1000) + "_live0001", head)
        .commit();
    return t;
  }

  @Test
  void branchesOlderThanADayAreRemovedAndNewerOnesKept() {
    Table t = table();
    assertThat(BranchCommit.removeStaleBranches(t, NOW)).isEqualTo(1);
    t.refresh();
    assertThat(t.refs().keySet())
        .containsExactlyInAnyOrder("main", BranchCommit.BRANCH_PREFIX + (NOW - 1000) + "_live0001");
  }

  @Test
  void branchesAnotherRunRemovedFirstAreNotAnError() {
    Table mine = table();
    Table other = new HadoopTables(new Configuration()).load(dir.resolve("t").toString());
    assertThat(BranchCommit.removeStaleBranches(other, NOW)).isEqualTo(1);
    assertThat(BranchCommit.removeStaleBranches(mine, NOW)).isZero();
  }

  @Test
  void anyOtherFailureToRemoveThemIsNotSwallowed() {
    Table real = table();
    Table failing = failingCommits(real, new IllegalStateException("the catalog is read-only"));
    assertThatThrownBy(() -> BranchCommit.removeStaleBranches(failing, NOW))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("the catalog is read-only");
  }

  /** {@code t}, except that committing its snapshot management throws {@code failure}. */
  private static Table failingCommits(Table t, RuntimeException failure) {
    return (Table)
        Proxy.newProxyInstance(
            Table.class.getClassLoader(),
            new Class<?>[] {Table.class},
            (proxy, method, args) -> {
              Object result = invoke(method, t, args);
              if (!method.getName().equals("manageSnapshots")) {
                return result;
              }
              ManageSnapshots real = (ManageSnapshots) result;
              return Proxy.newProxyInstance(
                  ManageSnapshots.class.getClassLoader(),
                  new Class<?>[] {ManageSnapshots.class},
                  (p, m, a) -> {
                    if (m.getName().equals("commit")) {
                      throw failure;
                    }
                    invoke(m, real, a);
                    return p;
                  });
            });
  }

  private static Object invoke(java.lang.reflect.Method m, Object target, Object[] args)
      throws Throwable {
    try {
      return m.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }
}
