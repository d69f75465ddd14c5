package io.streamloader.core.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

/** Flattens a YAML mapping to dotted keys; see {@link ConfigNode#flatStringMap(String)} for the rules. */
final class Flattener {

    private Flattener() {}

    static Map<String, String> flatten(JsonNode mapping, String keyPath, ConfigProblems problems) {
        Map<String, String> out = new LinkedHashMap<>();
        mapping.properties().forEach(e -> put(out, e.getKey(), e.getValue(), keyPath, problems));
        return out;
    }

    private static void put(Map<String, String> out, String key, JsonNode v, String keyPath, ConfigProblems problems) {
        if (v.isObject()) {
            v.properties().forEach(e -> put(out, key + "." + e.getKey(), e.getValue(), keyPath, problems));
        } else if (v.isArray() && StreamSupport.stream(v.spliterator(), false).anyMatch(JsonNode::isContainerNode)) {
            for (int i = 0; i < v.size(); i++) {
                put(out, key + "." + i, v.get(i), keyPath, problems);
            }
        } else {
            String text = v.isArray()
                    ? StreamSupport.stream(v.spliterator(), false)
                            .map(JsonNode::asText)
                            .collect(Collectors.joining(","))
                    : v.isNull() ? "" : v.asText();
            if (out.putIfAbsent(key, text) != null) {
                problems.add(keyPath + "." + key, "is given twice (once nested, once as a dotted key); keep one");
            }
        }
    }
}
