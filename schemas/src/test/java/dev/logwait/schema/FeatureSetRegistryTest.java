package dev.logwait.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class FeatureSetRegistryTest {
  private final FeatureSetRegistry registry = new FeatureSetRegistry();
  private final FeatureSet v1 =
      FeatureSet.builder("ctr", 1).addDouble("age").addInt("clicks").addString("country").build();

  @Test
  void acceptsAddedDroppedAndWidenedFields() {
    registry.register(v1);
    FeatureSet v2 =
        FeatureSet.builder("ctr", 2)
            .addDouble("age")
            .addLong("clicks") // int -> long widens
            .addFloatVector("embedding") // added, with a default
            .build(); // country dropped
    registry.register(v2);
    assertThat(registry.versions("ctr")).containsExactly(v1, v2);
    assertThat(registry.register(v2)).isSameAs(v2);
  }

  @Test
  void refusesAChangedTypeNamingTheField() {
    registry.register(v1);
    FeatureSet bad =
        FeatureSet.builder("ctr", 2).addString("age").addInt("clicks").addString("country").build();
    assertThatThrownBy(() -> registry.register(bad))
        .isInstanceOf(IncompatibleSchemaException.class)
        .hasMessageContaining("changes field 'age' from DOUBLE (version 1) to STRING")
        .hasMessageContaining("only int->long and float->double");
    assertThat(registry.versions("ctr")).containsExactly(v1);
  }

  @Test
  void refusesANarrowingChange() {
    FeatureSet longs = FeatureSet.builder("n", 1).addLong("x").build();
    FeatureSet ints = FeatureSet.builder("n", 2).addInt("x").build();
    assertThatThrownBy(() -> FeatureSetRegistry.checkCompatible(longs, ints))
        .hasMessageContaining("changes field 'x' from LONG (version 1) to INT");
  }

  @Test
  void checksAnOlderVersionRegisteredLateAgainstTheNewerOne() {
    FeatureSet v2 = FeatureSet.builder("ctr", 2).addDouble("age").build();
    registry.register(v2);
    FeatureSet v1Bad = FeatureSet.builder("ctr", 1).addString("age").build();
    assertThatThrownBy(() -> registry.register(v1Bad)).hasMessageContaining("field 'age'");
  }

  @Test
  void refusesTheSameVersionWithOtherFields() {
    registry.register(v1);
    FeatureSet other = FeatureSet.builder("ctr", 1).addDouble("age").build();
    assertThatThrownBy(() -> registry.register(other))
        .hasMessageContaining("version 1 is already registered with different fields");
  }
}
