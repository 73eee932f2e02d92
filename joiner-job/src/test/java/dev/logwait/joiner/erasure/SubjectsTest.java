package dev.logwait.joiner.erasure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.logwait.joiner.config.ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Who to forget, as given: refusals name the argument or the line, before anything starts. */
class SubjectsTest {
  @TempDir Path dir;

  @Test
  void subjectsFromTheCommandLineAndAFileOnceEach() throws IOException {
    Path file =
        Files.writeString(
            dir.resolve("ids.txt"),
            "# export of 2026-12-01\nuser_id=u2\n\n user_id = u1 \nprediction_id=p-9\n");
    Subjects s = Subjects.parse(List.of("user_id=u1", "shop=s=1"), List.of(file));
    assertThat(s.keys())
        .extracting(Subjects.Subject::toString)
        .containsExactly("user_id=u1", "shop=s=1", "user_id=u2", "prediction_id=p-9");
    assertThat(s.predictionIds()).containsExactly("p-9");
    assertThat(s.entities()).hasSize(3);
  }

  @Test
  void malformedSubjectsAndEmptyFilesAreRefusedByName() throws IOException {
    assertThatThrownBy(() -> Subjects.parse(List.of("u1"), List.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessage("--entity 'u1': expected key=value, e.g. user_id=u123 (or prediction_id=<id>)");
    assertThatThrownBy(() -> Subjects.parse(List.of("user id=u1"), List.of()))
        .hasMessageContaining("'user id' is not an entity key name");
    Path bad = Files.writeString(dir.resolve("bad.txt"), "user_id=u1\nuser_id=\n");
    assertThatThrownBy(() -> Subjects.parse(List.of(), List.of(bad)))
        .hasMessage(bad + ":2: expected key=value, e.g. user_id=u123 (or prediction_id=<id>)");
    Path empty = Files.writeString(dir.resolve("empty.txt"), "# nobody\n\n");
    assertThatThrownBy(() -> Subjects.parse(List.of(), List.of(empty)))
        .hasMessage("--from-file " + empty + " names no subject: nothing to forget");
    assertThatThrownBy(() -> Subjects.parse(List.of(), List.of()))
        .hasMessageContaining("name at least one subject");
    assertThatThrownBy(() -> Subjects.parse(List.of(), List.of(dir.resolve("missing.txt"))))
        .hasMessageContaining("cannot be read");
  }

  @Test
  void aValueIsSearchedInMessageBytesAsAvroWritesAString() {
    assertThat(Affected.avroString("u1")).containsExactly(4, 'u', '1');
    byte[] long70 = Affected.avroString("x".repeat(70)); // length 70 -> zig-zag 140 -> 0x8C 0x01
    assertThat(long70[0] & 0xFF).isEqualTo(0x8C);
    assertThat(long70[1]).isEqualTo((byte) 1);
    assertThat(long70).hasSize(72);
  }
}
