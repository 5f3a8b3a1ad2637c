package io.sparklm.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Command-line options {@code --key value} or {@code --key=value} checked against the keys a
 * command declares with their defaults; an unknown key or a malformed value is an error naming it.
 */
final class Options {
    private final String command;
    private final Map<String, String> defaults;
    private final Map<String, String> values = new LinkedHashMap<>();

    Options(String command, Map<String, String> defaults, String[] args, int from) {
        this.command = command;
        this.defaults = new TreeMap<>(defaults);
        for (int i = from; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--")) {
                throw new IllegalArgumentException(command + ": unexpected argument '" + arg + "'; options look like --key value");
            }
            String key = arg.substring(2);
            String value;
            int eq = key.indexOf('=');
            if (eq >= 0) {
                value = key.substring(eq + 1);
                key = key.substring(0, eq);
            } else if (i + 1 < args.length) {
                value = args[++i];
            } else {
                throw new IllegalArgumentException(command + ": option --" + key + " needs a value");
            }
            if (!this.defaults.containsKey(key)) {
                throw new IllegalArgumentException(command + ": unknown option --" + key + "; known: " + String.join(", ", this.defaults.keySet()));
            }
            values.put(key, value);
        }
    }

    String string(String key) {
        String v = values.containsKey(key) ? values.get(key) : defaults.get(key);
        if (v == null) {
            throw new IllegalStateException(command + ": option --" + key + " is not declared");
        }
        return v;
    }

    boolean isSet(String key) {
        return values.containsKey(key) || !string(key).isEmpty();
    }

    int integer(String key) {
        try {
            return Integer.parseInt(string(key));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(command + ": --" + key + " must be an integer, got '" + string(key) + "'");
        }
    }

    double number(String key) {
        try {
            return Double.parseDouble(string(key));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(command + ": --" + key + " must be a number, got '" + string(key) + "'");
        }
    }

    /** Usage text: every option with its default. */
    static String usage(Map<String, String> defaults) {
        StringBuilder sb = new StringBuilder();
        new TreeMap<>(defaults).forEach((k, v) -> sb.append("  --").append(k).append(" (default: ").append(v.isEmpty() ? "none" : v).append(")\n"));
        return sb.toString();
    }
}
