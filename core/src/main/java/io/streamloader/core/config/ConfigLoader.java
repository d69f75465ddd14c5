package io.streamloader.core.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Reads {@code streamloader.yaml}: YAML parsing (duplicate keys rejected), then {@code ${VAR:-default}} interpolation
 * of string values, then binding with {@link StreamloaderConfig#from}, then unknown-key checks. Every problem of every
 * step is collected and thrown together in one {@link ConfigException}; a YAML syntax error names its line and
 * column.
 *
 * <p>Stateless and thread-safe.
 */
public final class ConfigLoader {

    // Empty values (`key:`) are null, i.e. absent; yes/no/on/off stay strings (only true/false are booleans), so
    // `country: NO` is not false.
    private static final ObjectMapper YAML = new ObjectMapper(YAMLFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(YAMLParser.Feature.EMPTY_STRING_AS_NULL)
            .enable(YAMLParser.Feature.PARSE_BOOLEAN_LIKE_WORDS_AS_STRINGS)
            .build());

    private ConfigLoader() {}

    /** Loads {@code file} with the process environment. */
    public static StreamloaderConfig load(Path file) {
        return load(file, System.getenv());
    }

    /**
     * Loads {@code file} interpolating from {@code env}.
     *
     * @throws ConfigException listing every problem, or saying the file cannot be read
     */
    public static StreamloaderConfig load(Path file, Map<String, String> env) {
        return parse(read(file), env, file.toString());
    }

    /**
     * Parses YAML text interpolating from {@code env}.
     *
     * @throws ConfigException listing every problem
     */
    public static StreamloaderConfig parse(String yaml, Map<String, String> env) {
        return parse(yaml, env, "config");
    }

    /**
     * Parses and interpolates YAML text without binding it, for callers that bind further sections (such as {@link
     * StreamloaderConfig#api()}) into the same problems so that one run reports everything. A syntax error is recorded
     * in {@code problems} and gives an empty root.
     */
    public static ConfigNode readTree(String yaml, Map<String, String> env, ConfigProblems problems) {
        JsonNode tree;
        try {
            tree = YAML.readTree(yaml);
        } catch (JsonProcessingException e) {
            problems.add("", syntaxError(e));
            return ConfigNode.root(null, problems);
        }
        if (tree != null && !tree.isMissingNode() && !tree.isNull() && !tree.isObject()) {
            problems.add("", "the file must be a mapping of sections (kafka:, topics:, sinks:, plugins:, ...)");
            return ConfigNode.root(null, problems);
        }
        if (tree != null) {
            new Interpolator(env, problems).apply(tree, "");
        }
        return ConfigNode.root(tree, problems);
    }

    private static StreamloaderConfig parse(String yaml, Map<String, String> env, String source) {
        ConfigProblems problems = new ConfigProblems();
        StreamloaderConfig config = StreamloaderConfig.from(readTree(yaml, env, problems));
        problems.throwIfAny(source);
        return config;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new ConfigException(file.toString(), List.of("file not found: " + file.toAbsolutePath()));
        } catch (IOException e) {
            throw new ConfigException(file.toString(), List.of("cannot read the file: " + e));
        }
    }

    private static String syntaxError(JsonProcessingException e) {
        JsonLocation at = e.getLocation();
        // SnakeYAML's message interleaves what went wrong with indented context lines (position, source excerpt).
        String message = e.getOriginalMessage()
                .lines()
                .filter(line -> !line.isBlank() && !Character.isWhitespace(line.charAt(0)))
                .map(String::strip)
                .collect(Collectors.joining(": "));
        return at == null
                ? "invalid YAML: " + message
                : "invalid YAML at line " + at.getLineNr() + ", column " + at.getColumnNr() + ": " + message;
    }
}
