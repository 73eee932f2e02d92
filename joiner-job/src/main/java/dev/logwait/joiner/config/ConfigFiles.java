package dev.logwait.joiner.config;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/** The configuration's YAML: the embedded defaults with the user's file merged over them. */
final class ConfigFiles {
  private static final ObjectMapper YAML =
      new ObjectMapper(new YAMLFactory())
          .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);

  private ConfigFiles() {}

  /**
   * The merged tree: every key but {@code labels} and {@code routers} flattened to dotted keys, and
   * those two lists (null when absent).
   */
  record Tree(Map<String, String> flat, JsonNode labels, JsonNode routers) {}

  static Tree read(Path file) {
    JsonNode tree = readDefaults();
    if (file != null) {
      if (!Files.isRegularFile(file)) {
        throw new ConfigException("--config: no such file " + file);
      }
      try {
        JsonNode user = YAML.readTree(file.toFile());
        if (user != null && !user.isNull()) {
          if (!user.isObject()) {
            throw new ConfigException(file + ": expected a YAML mapping at the top level");
          }
          JsonNode userCatalog = user.path("catalog").path("properties");
          if (userCatalog.isObject() && !userCatalog.isEmpty()) {
            // the embedded warehouse is a default for the embedded catalog only: a configured
            // catalog without a warehouse must be refused, never pointed at a local folder
            ((ObjectNode) tree.path("catalog").path("properties")).remove("warehouse");
          }
          merge((ObjectNode) tree, user);
        }
      } catch (IOException e) {
        throw new ConfigException(file + ": " + yamlProblem(e));
      }
    }
    Map<String, String> flat = new TreeMap<>();
    JsonNode labelNode = ((ObjectNode) tree).remove("labels");
    JsonNode routerNode = ((ObjectNode) tree).remove("routers");
    flatten("", tree, flat);
    return new Tree(flat, labelNode, routerNode);
  }

  /** A duplicate key, named, or the parser's own words. */
  private static String yamlProblem(IOException e) {
    java.util.regex.Matcher dup =
        Pattern.compile("Duplicate field '([^']*)'").matcher(String.valueOf(e.getMessage()));
    String where =
        e instanceof com.fasterxml.jackson.core.JsonProcessingException j && j.getLocation() != null
            ? " (line " + j.getLocation().getLineNr() + ")"
            : "";
    if (dup.find()) {
      return "key '" + dup.group(1) + "' is set twice in one mapping" + where + "; keep one";
    }
    return "not valid YAML (" + e.getMessage() + ")";
  }

  private static JsonNode readDefaults() {
    try (InputStream in = JoinerConfig.class.getResourceAsStream("/logwait-joiner-defaults.yaml")) {
      return YAML.readTree(in);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read embedded defaults", e);
    }
  }

  private static void merge(ObjectNode base, JsonNode override) {
    override
        .properties()
        .forEach(
            e -> {
              JsonNode existing = base.get(e.getKey());
              if (existing instanceof ObjectNode && e.getValue().isObject()) {
                merge((ObjectNode) existing, e.getValue());
              } else {
                base.set(e.getKey(), e.getValue());
              }
            });
  }

  private static void flatten(String prefix, JsonNode node, Map<String, String> out) {
    if (node.isObject()) {
      node.properties().forEach(e -> flatten(prefix + e.getKey() + ".", e.getValue(), out));
    } else if (!node.isNull()) {
      out.put(prefix.substring(0, prefix.length() - 1), node.asText());
    }
  }
}
