package io.remit.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A command line: the verb, its positional arguments, and the options. Options may come anywhere
 * after the verb, as {@code --name value}, {@code --name=value} or a lone flag.
 *
 * @param scheduler the scheduler's base URL: {@code --scheduler}, else {@code REMIT_SCHEDULER_URL}, else :8080
 * @param token     the bearer token: {@code --token}, else {@code REMIT_TOKEN}; null: none sent
 * @param json      {@code --json}: print the API's answer as JSON rather than text
 * @param message   {@code -m}/{@code --message}: the change message
 */
record Args(String verb, List<String> positional, String scheduler, String token, boolean json, String message) {

    static final String DEFAULT_SCHEDULER = "http://127.0.0.1:8080";

    /** Reads {@code argv} with {@code env} (the process's environment); throws a usage error naming what is wrong. */
    static Args parse(String[] argv, Map<String, String> env) {
        String verb = null;
        List<String> positional = new ArrayList<>();
        String scheduler = blankToNull(env.get("REMIT_SCHEDULER_URL"));
        String token = blankToNull(env.get("REMIT_TOKEN"));
        boolean json = false;
        String message = null;
        for (int i = 0; i < argv.length; i++) {
            String a = argv[i];
            String name = a;
            String value = null;
            if (a.startsWith("--") && a.contains("=")) {
                name = a.substring(0, a.indexOf('='));
                value = a.substring(a.indexOf('=') + 1);
            }
            switch (name) {
                case "--scheduler", "--token", "-m", "--message" -> {
                    if (value == null) {
                        if (i + 1 >= argv.length) {
                            throw CliException.usage(name + " needs a value");
                        }
                        value = argv[++i];
                    }
                    switch (name) {
                        case "--scheduler" -> scheduler = value;
                        case "--token" -> token = value;
                        default -> message = value;
                    }
                }
                case "--json" -> json = true;
                case "-h", "--help" -> verb = verb == null ? "help" : verb;
                default -> {
                    if (a.startsWith("-") && !isNumber(a)) {
                        throw CliException.usage("unknown option " + a);
                    }
                    if (verb == null) {
                        verb = a;
                    } else {
                        positional.add(a);
                    }
                }
            }
        }
        String base = scheduler == null ? DEFAULT_SCHEDULER : scheduler.replaceAll("/+$", "");
        if (!base.startsWith("http://") && !base.startsWith("https://")) {
            throw CliException.usage("--scheduler must be an http:// or https:// URL, got '" + base + "'");
        }
        return new Args(verb == null ? "help" : verb, List.copyOf(positional), base, token, json, message);
    }

    /** The positional arguments, exactly {@code min} to {@code max} of them, else a usage error showing {@code usage}. */
    List<String> take(int min, int max, String usage) {
        if (positional.size() < min || positional.size() > max) {
            throw CliException.usage("usage: ./remit " + usage);
        }
        return positional;
    }

    private static boolean isNumber(String s) {
        return s.matches("-\\d+");
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
