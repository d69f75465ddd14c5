package io.streamloader.launcher;

import io.streamloader.core.config.ConfigException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A {@code .env} file: variables for the config file's {@code ${VAR}} interpolation, as docker compose reads them.
 *
 * <ol>
 *   <li>One {@code NAME=value} a line, optionally after {@code export }; blank lines and lines starting with {@code #}
 *       are skipped. Names as in the config file's {@code ${NAME}}: a letter or {@code _}, then letters, digits,
 *       {@code _} or {@code .}.
 *   <li>An unquoted value is stripped and ends at a {@code #} that follows a space. {@code 'single'} quotes keep the
 *       text as written; {@code "double"} quotes understand {@code \"}, {@code \\}, {@code \n}, {@code \t}. A quoted
 *       value ends on its line. Values are not interpolated themselves.
 *   <li>A variable set and non-empty in the process environment wins over the file.
 *   <li>Every malformed line is reported with its number (never its value, which may be a secret); a name defined
 *       twice, control characters, text that is not UTF-8 and files over 1 MiB are errors too.
 * </ol>
 */
final class EnvFile {
    static final long MAX_BYTES = 1024 * 1024;
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_.]*");

    private EnvFile() {}

    /**
     * The variables for interpolation: {@code file}'s, overridden by the non-empty ones of {@code env}.
     *
     * @throws ConfigException naming the file and each malformed line
     */
    static Map<String, String> environment(Path file, Map<String, String> env) {
        Map<String, String> merged = new HashMap<>(read(file));
        env.forEach((name, value) -> {
            if (!value.isEmpty() || !merged.containsKey(name)) {
                merged.put(name, value);
            }
        });
        return merged;
    }

    /**
     * The variables {@code file} defines, in file order.
     *
     * @throws ConfigException naming the file and each malformed line, or why it cannot be read
     */
    static Map<String, String> read(Path file) {
        String text = text(file);
        Map<String, String> vars = new LinkedHashMap<>();
        Map<String, Integer> definedOn = new HashMap<>();
        List<String> problems = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            int number = i + 1;
            String line = lines[i].endsWith("\r") ? lines[i].substring(0, lines[i].length() - 1) : lines[i];
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            if (trimmed.startsWith("export ")) {
                trimmed = trimmed.substring("export ".length()).stripLeading();
            }
            int eq = trimmed.indexOf('=');
            if (eq < 0) {
                problems.add("line " + number + ": expected NAME=value");
                continue;
            }
            String name = trimmed.substring(0, eq).strip();
            if (!NAME.matcher(name).matches()) {
                problems.add("line " + number + ": invalid variable name '" + printable(name)
                        + "'; a letter or _ first, then letters, digits, _ or .");
                continue;
            }
            try {
                String value = value(trimmed.substring(eq + 1).strip());
                Integer first = definedOn.putIfAbsent(name, number);
                if (first != null) {
                    problems.add("line " + number + ": " + name + " is already defined on line " + first);
                } else {
                    vars.put(name, value);
                }
            } catch (IllegalArgumentException e) {
                problems.add("line " + number + ": " + name + ": " + e.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(file.toString(), problems);
        }
        return vars;
    }

    private static String value(String raw) {
        String value;
        String rest;
        if (raw.startsWith("'") || raw.startsWith("\"")) {
            char quote = raw.charAt(0);
            StringBuilder sb = new StringBuilder();
            int i = 1;
            boolean closed = false;
            for (; i < raw.length(); i++) {
                char c = raw.charAt(i);
                if (c == quote) {
                    closed = true;
                    break;
                }
                if (c == '\\' && quote == '"' && i + 1 < raw.length()) {
                    c = switch (raw.charAt(++i)) {
                        case 'n' -> '\n';
                        case 't' -> '\t';
                        case '"' -> '"';
                        case '\\' -> '\\';
                        default ->
                            throw new IllegalArgumentException(
                                    "unknown escape \\" + printable(String.valueOf(raw.charAt(i)))
                                            + " in a double-quoted value (\\\", \\\\, \\n and \\t are known)");
                    };
                }
                sb.append(c);
            }
            if (!closed) {
                throw new IllegalArgumentException("the value's " + quote + " is not closed on its line");
            }
            value = sb.toString();
            rest = raw.substring(i + 1).strip();
            if (!rest.isEmpty() && !rest.startsWith("#")) {
                throw new IllegalArgumentException("text after the closing " + quote + " (a comment starts with #)");
            }
        } else {
            int comment = raw.indexOf(" #");
            int tabComment = raw.indexOf("\t#");
            int end = comment < 0 ? tabComment : tabComment < 0 ? comment : Math.min(comment, tabComment);
            value = (end < 0 ? raw : raw.substring(0, end)).strip();
        }
        if (value.chars().anyMatch(c -> Character.isISOControl(c) && c != '\t' && c != '\n')) {
            throw new IllegalArgumentException("control characters in the value");
        }
        return value;
    }

    private static String text(Path file) {
        try {
            if (Files.size(file) > MAX_BYTES) {
                throw new ConfigException(
                        file.toString(), List.of("an env file is at most 1 MiB; this one has " + Files.size(file)));
            }
            String text = StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(Files.readAllBytes(file)))
                    .toString();
            return text.startsWith("\uFEFF") ? text.substring(1) : text;
        } catch (NoSuchFileException e) {
            throw new ConfigException(file.toString(), List.of("env file not found: " + file.toAbsolutePath()));
        } catch (CharacterCodingException e) {
            throw new ConfigException(file.toString(), List.of("not UTF-8 text"));
        } catch (IOException e) {
            throw new ConfigException(file.toString(), List.of("cannot read the env file: " + e));
        }
    }

    private static String printable(String s) {
        StringBuilder sb = new StringBuilder();
        s.codePoints().limit(64).forEach(c -> {
            if (Character.isISOControl(c) || !Character.isDefined(c)) {
                sb.append(String.format("\\u%04x", c));
            } else {
                sb.appendCodePoint(c);
            }
        });
        return s.length() > 64 ? sb + "..." : sb.toString();
    }
}
