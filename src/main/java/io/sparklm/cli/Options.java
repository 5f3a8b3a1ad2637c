package io.sparklm.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * A command's settings: its declared keys with defaults, then a YAML config file
 * ({@code --config FILE}, nested maps read as dotted keys, found as {@link ConfigFile} says), then command-line overrides as
 * {@code key=value}, {@code --key value} or {@code --key=value}, later ones winning. A key the
 * command does not declare, or a malformed value, is an error naming the key.
 */
final class Options {
    private final String command;
    private final Map<String, String> defaults;
    private final Map<String, String> values = new LinkedHashMap<>();
    private final Map<String, String> sources = new LinkedHashMap<>();

    Options(String command, Map<String, String> defaults, String[] args, int from) throws IOException {
        this.command = command;
        this.defaults = new TreeMap<>(defaults);
        for (int i = from; i < args.length; i++) {
            String arg = args[i];
            String key;
            String value;
            if (arg.startsWith("--")) {
                key = arg.substring(2);
                int eq = key.indexOf('=');
                if (eq >= 0) {
                    value = key.substring(eq + 1);
                    key = key.substring(0, eq);
                } else if (i + 1 < args.length) {
                    value = args[++i];
                } else {
                    throw new IllegalArgumentException(command + ": option --" + key + " needs a value");
                }
            } else if (arg.contains("=")) {
                key = arg.substring(0, arg.indexOf('='));
                value = arg.substring(arg.indexOf('=') + 1);
            } else {
                throw new IllegalArgumentException(command + ": unexpected argument '" + arg + "'; settings look like key=value or --key value");
            }
            if (key.equals("config")) {
                readConfig(value);
            } else {
                put(key, value, "the command line");
            }
        }
    }

    private void readConfig(String file) throws IOException {
        flatten("", ConfigFile.read(file), "config " + file);
    }

    private void flatten(String prefix, JsonNode node, String source) {
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = prefix + e.getKey();
            if (e.getValue().isObject()) {
                flatten(key + ".", e.getValue(), source);
            } else if (e.getValue().isContainerNode()) {
                throw new IllegalArgumentException(source + ": setting " + key + " must be a single value, not a list");
            } else {
                put(key, e.getValue().isNull() ? "" : e.getValue().asText(), source);
            }
        }
    }

    private void put(String key, String value, String source) {
        if (!defaults.containsKey(key)) {
            throw new IllegalArgumentException(command + ": unknown setting '" + key + "' in " + source
                    + "; known settings: " + String.join(", ", defaults.keySet()));
        }
        values.put(key, value);
        sources.put(key, source);
    }

    /** A bad value of {@code key}, named as the user wrote it, with where it came from and what it must be. */
    IllegalArgumentException invalid(String key, String mustBe) {
        String from = sources.containsKey(key) ? " (from " + sources.get(key) + ")" : " (the default)";
        return new IllegalArgumentException(command + ": " + key + " must be " + mustBe + ", got '" + string(key) + "'" + from);
    }

    /** An integer of at least {@code min}. */
    int integerAtLeast(String key, int min) {
        int v = integer(key);
        if (v < min) {
            throw invalid(key, min == 1 ? "a positive integer" : "an integer ≥ " + min);
        }
        return v;
    }

    /** A finite number in [min, max]. */
    double numberIn(String key, double min, double max) {
        double v = number(key);
        if (v < min || v > max) {
            throw invalid(key, "a number in [" + min + ", " + max + "]");
        }
        return v;
    }

    String string(String key) {
        String v = values.containsKey(key) ? values.get(key) : defaults.get(key);
        if (v == null) {
            throw new IllegalStateException(command + ": setting " + key + " is not declared");
        }
        return v;
    }

    boolean isSet(String key) {
        return !string(key).isEmpty();
    }

    int integer(String key) {
        try {
            return Integer.parseInt(string(key).trim());
        } catch (NumberFormatException e) {
            throw invalid(key, "an integer");
        }
    }

    /** A finite number: NaN and infinities are refused here, named by their key, before any model sees them. */
    double number(String key) {
        double v;
        try {
            v = Double.parseDouble(string(key).trim());
        } catch (NumberFormatException e) {
            throw invalid(key, "a number");
        }
        if (!Double.isFinite(v)) {
            throw invalid(key, "a finite number");
        }
        return v;
    }

    boolean flag(String key) {
        String v = string(key).trim().toLowerCase(java.util.Locale.ROOT);
        if (!v.equals("true") && !v.equals("false")) {
            throw invalid(key, "true or false");
        }
        return v.equals("true");
    }

    /** Every setting in force, for the run's log. */
    Map<String, String> effective() {
        Map<String, String> all = new TreeMap<>(defaults);
        all.putAll(values);
        return all;
    }

    /** Usage text: every setting with its default. */
    static String usage(Map<String, String> defaults) {
        StringBuilder sb = new StringBuilder();
        new TreeMap<>(defaults).forEach((k, v) -> sb.append("  ").append(k).append("=").append(v.isEmpty() ? "<none>" : v).append('\n'));
        return sb.toString();
    }
}
