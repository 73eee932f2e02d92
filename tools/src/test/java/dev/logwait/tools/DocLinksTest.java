package dev.logwait.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The repository explains itself without a dead link: every relative link of every tracked {@code
 * .md} file names a file of the repository, every {@code #anchor} a heading of its target (by
 * GitHub's slug rules), and no tracked file points into a folder outside the repository. The
 * checker's own logic is tested on small examples first.
 */
class DocLinksTest {
  /** This file, which names the outside folder in order to look for it. */
  private static final String SELF = "tools/src/test/java/dev/logwait/tools/DocLinksTest.java";

  /** A folder beside the repository that a fresh clone does not have. */
  private static final String OUTSIDE = "../" + "shared";

  @Test
  void everyRelativeLinkOfEveryTrackedMarkdownFileResolves() throws Exception {
    Path root = Repository.root();
    List<String> problems = new ArrayList<>();
    List<Path> markdown =
        Repository.trackedFiles(root).stream()
            .filter(p -> p.getFileName().toString().endsWith(".md"))
            .toList();
    for (Path md : markdown) {
      problems.addAll(DocLinks.check(root, md));
    }
    assertThat(markdown).as("tracked .md files under %s", root).isNotEmpty();
    assertThat(problems)
        .as("broken links (file:line: link: what is wrong); fix the link or the target")
        .isEmpty();
  }

  @Test
  void noTrackedFileMentionsAFolderOutsideTheRepository() throws Exception {
    Path root = Repository.root();
    List<String> problems = new ArrayList<>();
    for (Path file : Repository.trackedFiles(root)) {
      if (!root.relativize(file).toString().replace('\\', '/').equals(SELF)) {
        problems.addAll(DocLinks.outsideMentions(root, file, OUTSIDE));
      }
    }
    assertThat(problems)
        .as("a fresh clone has no %s: move what is needed into the repository", OUTSIDE)
        .isEmpty();
  }

  @Test
  void aLinkToAMissingFileIsReportedWithItsFileLineAndLink(@TempDir Path root) throws IOException {
    write(root, "docs/a.md", "# A\n\nSee [b](b.md) and [the report](../missing.png).\n");
    write(root, "docs/b.md", "# B\n");

    assertThat(DocLinks.check(root, root.resolve("docs/a.md")))
        .containsExactly("docs/a.md:3: ../missing.png: no such file (looked for missing.png)");
  }

  @Test
  void aMissingAnchorIsReportedWithTheHeadingsThereAre(@TempDir Path root) throws IOException {
    write(
        root,
        "README.md",
        "# Top\n\n[ok](docs/b.md#the-tables) [bad](docs/b.md#tables) [here](#top) [gone](#nope)\n");
    write(root, "docs/b.md", "# B\n\n## The tables\n");

    assertThat(DocLinks.check(root, root.resolve("README.md")))
        .containsExactly(
            "README.md:3: docs/b.md#tables: no heading with anchor 'tables' in docs/b.md"
                + " (anchors: b, the-tables)",
            "README.md:3: #nope: no heading with anchor 'nope' in README.md (anchors: top)");
  }

  @Test
  void anchorsFollowGitHubSlugs() {
    assertThat(DocLinks.slug("Continual learning: stream, cursors, upkeep"))
        .isEqualTo("continual-learning-stream-cursors-upkeep");
    assertThat(DocLinks.slug("The continuous mode — `scripts/bench-stream`"))
        .isEqualTo("the-continuous-mode--scriptsbench-stream");
    assertThat(DocLinks.slug("When is a window closed?")).isEqualTo("when-is-a-window-closed");
    assertThat(DocLinks.slug("`raw_predictions`, **the lossless log**"))
        .isEqualTo("raw_predictions-the-lossless-log");
    assertThat(DocLinks.slug("See [Tables](tables.md) (2026-11-28)"))
        .isEqualTo("see-tables-2026-11-28");
    assertThat(DocLinks.slug("`training_<set>` and training_&lt;set&gt; in <em>[`x`](y.md)</em>"))
        .isEqualTo("training_set-and-training_set-in-x");
  }

  @Test
  void repeatedHeadingsAreNumberedAsGitHubDoes(@TempDir Path root) throws IOException {
    write(
        root,
        "a.md",
        "# Tests\n\n## Tests\n\nText\n---\n\n[1](#tests-1) [2](#text) [3](#tests-2)\n");

    assertThat(DocLinks.check(root, root.resolve("a.md")))
        .containsExactly(
            "a.md:8: #tests-2: no heading with anchor 'tests-2' in a.md"
                + " (anchors: tests, tests-1, text)");
  }

  @Test
  void codeIsNotALinkAndOtherSchemesAreNotChecked(@TempDir Path root) throws IOException {
    write(
        root,
        "a.md",
        "# A\n\n```\n[x](missing.md)\n# not a heading\n```\n\n`[y](missing.md)`"
            + " [web](https://example.org/x.md) [mail](mailto:a@b.c)\n\n[ref]: missing-too.md\n");

    assertThat(DocLinks.check(root, root.resolve("a.md")))
        .containsExactly("a.md:10: missing-too.md: no such file (looked for missing-too.md)");
  }

  @Test
  void aCodeReferenceNeedsADefinitionThatResolves(@TempDir Path root) throws IOException {
    write(root, "src/Watermark.java", "class Watermark {}\n");
    write(
        root,
        "a.md",
        "**Code:** [`Watermark`], [`Dedup`]. In [0, 1], `[x]` and ``[`Shown`]``.\n\n"
            + "[`Watermark`]: src/Watermark.java\n[`Gone`]: src/Gone.java\n");

    assertThat(DocLinks.check(root, root.resolve("a.md")))
        .containsExactly(
            "a.md:1: [`Dedup`]: no reference definition (add a line [`Dedup`]: <path>)",
            "a.md:4: src/Gone.java: no such file (looked for src/Gone.java)");
  }

  @Test
  void aLinkOutOfTheRepositoryIsRefusedEvenWhenTheFileExists(@TempDir Path dir) throws IOException {
    Path root = dir.resolve("repo");
    write(dir, "outside.md", "# Outside\n");
    write(root, "a.md", "[o](../outside.md)\n");

    assertThat(DocLinks.check(root, root.resolve("a.md")))
        .containsExactly("a.md:1: ../outside.md: leads out of the repository");
  }

  @Test
  void aMentionOfTheOutsideFolderIsReportedByLine(@TempDir Path root) throws IOException {
    write(root, "Notes.java", "// one\n// see " + OUTSIDE + "/DESIGN.md\n");
    write(root, "image.png", "\u0000binary " + OUTSIDE);

    assertThat(DocLinks.outsideMentions(root, root.resolve("Notes.java"), OUTSIDE))
        .containsExactly("Notes.java:2: mentions " + OUTSIDE);
    assertThat(DocLinks.outsideMentions(root, root.resolve("image.png"), OUTSIDE)).isEmpty();
  }

  private static void write(Path root, String file, String text) throws IOException {
    Path p = root.resolve(file);
    Files.createDirectories(p.getParent());
    Files.writeString(p, text);
  }

  /** The repository this test runs in, and the files it tracks. */
  static final class Repository {
    private Repository() {}

    /** The nearest directory at or above the working directory that holds {@code .ci/run}. */
    static Path root() {
      for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
        if (Files.isRegularFile(p.resolve(".ci/run"))) {
          return p;
        }
      }
      throw new IllegalStateException(
          "No .ci/run at or above " + Path.of("").toAbsolutePath() + ": run from the repository");
    }

    /**
     * The files git tracks (and that exist); without git (a source archive), every file outside
     * build output and local data.
     */
    static List<Path> trackedFiles(Path root) throws IOException, InterruptedException {
      try {
        Process git =
            new ProcessBuilder("git", "ls-files", "-z")
                .directory(root.toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        byte[] out = git.getInputStream().readAllBytes();
        if (git.waitFor(60, TimeUnit.SECONDS) && git.exitValue() == 0) {
          List<Path> files = new ArrayList<>();
          for (String name : new String(out, StandardCharsets.UTF_8).split("\0")) {
            Path p = root.resolve(name);
            if (!name.isEmpty() && Files.isRegularFile(p)) {
              files.add(p);
            }
          }
          return files;
        }
        git.destroy();
      } catch (IOException e) {
        // no git on this machine: walk the tree instead
      }
      Set<String> skipped =
          Set.of(
              "target",
              ".git",
              ".local",
              "local-data",
              ".idea",
              ".vscode",
              "spark-warehouse",
              "metastore_db",
              "node_modules");
      try (Stream<Path> walk = Files.walk(root)) {
        return walk.filter(Files::isRegularFile)
            .filter(
                p -> {
                  for (Path part : root.relativize(p)) {
                    if (skipped.contains(part.toString())) {
                      return false;
                    }
                  }
                  return true;
                })
            .toList();
      }
    }
  }

  /** Relative links of Markdown files, and the anchors GitHub gives their headings. */
  static final class DocLinks {
    private DocLinks() {}

    private static final Pattern FENCE = Pattern.compile("^ {0,3}(`{3,}|~{3,})");
    private static final Pattern CODE_SPAN = Pattern.compile("(`+)(.+?)\\1");
    private static final Pattern LONG_CODE_SPAN = Pattern.compile("(`{2,})(.+?)\\1");
    private static final Pattern INLINE_LINK =
        Pattern.compile(
            "!?\\[((?:[^\\[\\]]|\\[[^\\]]*\\])*)\\]\\(\\s*(<[^>]*>|[^)\\s]+)(?:\\s+\"[^\"]*\")?\\s*\\)");
    private static final Pattern DEFINITION = Pattern.compile("^ {0,3}\\[([^\\]]+)\\]:\\s*(\\S+)");

    /**
     * A shortcut reference whose label is code, {@code [`Watermark`]}: the docs name classes and
     * tests this way, and without a definition GitHub shows the brackets instead of a link.
     */
    private static final Pattern CODE_REFERENCE =
        Pattern.compile("(?<![\\]\\\\])\\[(`[^`\\]]+`)\\](?![(\\[:])");

    private static final Pattern ATX =
        Pattern.compile("^ {0,3}#{1,6}(?:\\s+(.*?))?(?:\\s+#+)?\\s*$");
    private static final Pattern SETEXT = Pattern.compile("^ {0,3}(=+|-+)\\s*$");
    private static final Pattern HTML_ANCHOR =
        Pattern.compile("<a\\s+(?:name|id)=\"([^\"]+)\"", Pattern.CASE_INSENSITIVE);
    private static final Pattern SCHEME = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*:");

    /** Anchors a message lists at most: enough to spot a near miss. */
    private static final int MAX_LISTED = 30;

    /**
     * What is wrong with the links of {@code file}, one line each: {@code file:line: link: why}.
     */
    static List<String> check(Path root, Path file) {
      Path rootDir = root.toAbsolutePath().normalize();
      Map<Path, Set<String>> anchors = new HashMap<>();
      List<String> problems = new ArrayList<>();
      List<String> lines = textLines(file);
      boolean[] code = fencedLines(lines);
      Set<String> defined = new java.util.HashSet<>();
      for (int i = 0; i < lines.size(); i++) {
        Matcher d = DEFINITION.matcher(lines.get(i));
        if (!code[i] && d.find()) {
          defined.add(d.group(1).toLowerCase(Locale.ROOT));
        }
      }
      for (int i = 0; i < lines.size(); i++) {
        if (code[i]) {
          continue;
        }
        // a reference shown as code (between two or more backticks) is an example, not a link
        String shown = LONG_CODE_SPAN.matcher(lines.get(i)).replaceAll("code");
        Matcher ref = CODE_REFERENCE.matcher(shown);
        while (ref.find()) {
          if (!defined.contains(ref.group(1).toLowerCase(Locale.ROOT))) {
            problems.add(
                name(rootDir, file)
                    + ":"
                    + (i + 1)
                    + ": ["
                    + ref.group(1)
                    + "]: no reference definition (add a line ["
                    + ref.group(1)
                    + "]: <path>)");
          }
        }
        for (String link : links(lines.get(i))) {
          String why = problem(rootDir, file.toAbsolutePath().normalize(), link, anchors);
          if (why != null) {
            problems.add(name(rootDir, file) + ":" + (i + 1) + ": " + link + ": " + why);
          }
        }
      }
      return problems;
    }

    /** Lines of {@code file} that mention {@code folder}; none for a binary file. */
    static List<String> outsideMentions(Path root, Path file, String folder) {
      byte[] bytes;
      try {
        bytes = Files.readAllBytes(file);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      for (byte b : bytes) {
        if (b == 0) {
          return List.of(); // binary: an image, an archive
        }
      }
      List<String> out = new ArrayList<>();
      List<String> lines = new String(bytes, StandardCharsets.UTF_8).lines().toList();
      for (int i = 0; i < lines.size(); i++) {
        if (lines.get(i).contains(folder)) {
          out.add(
              name(root.toAbsolutePath().normalize(), file)
                  + ":"
                  + (i + 1)
                  + ": mentions "
                  + folder);
        }
      }
      return out;
    }

    /**
     * GitHub's anchor of a heading: its text as rendered (no code marks, emphasis or link targets),
     * lower-cased, without punctuation, each space a hyphen.
     */
    static String slug(String heading) {
      // a link shows its text; code spans show theirs as it is; elsewhere markup is not text
      String linked = heading.replaceAll("!?\\[([^\\]]*)\\]\\([^)]*\\)", "$1");
      StringBuilder rendered = new StringBuilder();
      Matcher code = CODE_SPAN.matcher(linked);
      int last = 0;
      while (code.find()) {
        rendered.append(withoutMarkup(linked.substring(last, code.start()))).append(code.group(2));
        last = code.end();
      }
      rendered.append(withoutMarkup(linked.substring(last)));
      String text = rendered.toString().trim().toLowerCase(Locale.ROOT);
      StringBuilder sb = new StringBuilder();
      text.codePoints()
          .forEach(
              c -> {
                if (c == ' ') {
                  sb.append('-');
                } else if (Character.isLetterOrDigit(c) || c == '-' || c == '_') {
                  sb.appendCodePoint(c);
                }
              });
      return sb.toString();
    }

    private static String withoutMarkup(String text) {
      return text.replaceAll("<[^>]+>", "")
          .replace("&lt;", "<")
          .replace("&gt;", ">")
          .replace("&amp;", "&")
          .replace("&quot;", "\"")
          .replace("*", "");
    }

    /** The anchors of a Markdown file's headings, in order, repeated ones numbered. */
    static Set<String> anchors(Path file) {
      List<String> lines = textLines(file);
      boolean[] code = fencedLines(lines);
      Set<String> out = new LinkedHashSet<>();
      Map<String, Integer> seen = new HashMap<>();
      for (int i = 0; i < lines.size(); i++) {
        if (code[i]) {
          continue;
        }
        String line = lines.get(i);
        String heading = null;
        Matcher atx = ATX.matcher(line);
        if (atx.matches()) {
          heading = atx.group(1) == null ? "" : atx.group(1);
        } else if (i + 1 < lines.size() && !code[i + 1] && isSetextText(line, lines.get(i + 1))) {
          heading = line;
        }
        if (heading != null) {
          String base = slug(heading);
          int n = seen.merge(base, 1, Integer::sum) - 1;
          out.add(n == 0 ? base : base + "-" + n);
        }
        Matcher html = HTML_ANCHOR.matcher(line);
        while (html.find()) {
          out.add(html.group(1));
        }
      }
      return out;
    }

    /** A paragraph line underlined by {@code ===} or {@code ---}. */
    private static boolean isSetextText(String line, String next) {
      String t = line.trim();
      return SETEXT.matcher(next).matches()
          && !t.isEmpty()
          && !t.startsWith("|")
          && !t.startsWith("- ")
          && !t.startsWith("* ")
          && !t.startsWith(">")
          && !ATX.matcher(line).matches();
    }

    /** The link targets of a line outside code spans: inline, image and reference links. */
    private static List<String> links(String line) {
      String text = CODE_SPAN.matcher(line).replaceAll("code");
      List<String> out = new ArrayList<>();
      Matcher inline = INLINE_LINK.matcher(text);
      while (inline.find()) {
        String target = inline.group(2);
        out.add(target.startsWith("<") ? target.substring(1, target.length() - 1) : target);
      }
      Matcher definition = DEFINITION.matcher(text);
      if (definition.find()) {
        out.add(definition.group(2));
      }
      return out;
    }

    /** Why {@code link} in {@code from} does not resolve, or null when it does. */
    private static String problem(
        Path root, Path from, String link, Map<Path, Set<String>> anchors) {
      if (SCHEME.matcher(link).find() || link.startsWith("//")) {
        return null; // a web address: not this repository's to check
      }
      int hash = link.indexOf('#');
      String path = hash < 0 ? link : link.substring(0, hash);
      String anchor = hash < 0 ? null : link.substring(hash + 1);
      Path target = from;
      if (!path.isEmpty()) {
        String decoded = URLDecoder.decode(path.replace("+", "%2B"), StandardCharsets.UTF_8);
        target =
            (decoded.startsWith("/")
                    ? root.resolve(decoded.substring(1))
                    : from.resolveSibling(decoded))
                .normalize();
        if (!target.startsWith(root)) {
          return "leads out of the repository";
        }
        if (!Files.exists(target)) {
          return "no such file (looked for " + name(root, target) + ")";
        }
      }
      if (anchor == null || anchor.isEmpty() || !target.toString().endsWith(".md")) {
        return null; // anchors of other files (source lines, images) are not headings
      }
      Set<String> known = anchors.computeIfAbsent(target, DocLinks::anchors);
      if (known.contains(anchor)) {
        return null;
      }
      List<String> some = known.stream().limit(MAX_LISTED).toList();
      return "no heading with anchor '"
          + anchor
          + "' in "
          + name(root, target)
          + " (anchors: "
          + String.join(", ", some)
          + (known.size() > some.size() ? ", …" : "")
          + ")";
    }

    /** For each line, whether it lies inside a fenced code block (the fences included). */
    private static boolean[] fencedLines(List<String> lines) {
      boolean[] code = new boolean[lines.size()];
      String open = null;
      for (int i = 0; i < lines.size(); i++) {
        Matcher m = FENCE.matcher(lines.get(i));
        if (open == null) {
          if (m.find()) {
            open = m.group(1);
            code[i] = true;
          }
        } else {
          code[i] = true;
          if (m.find()
              && m.group(1).charAt(0) == open.charAt(0)
              && m.group(1).length() >= open.length()
              && lines.get(i).trim().equals(m.group(1))) {
            open = null;
          }
        }
      }
      return code;
    }

    private static List<String> textLines(Path file) {
      try {
        return Files.readAllLines(file, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot read " + file, e);
      }
    }

    private static String name(Path root, Path file) {
      Path abs = file.toAbsolutePath().normalize();
      return (abs.startsWith(root) ? root.relativize(abs) : abs).toString().replace('\\', '/');
    }
  }
}
