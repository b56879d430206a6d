package dev.pier.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Parses the command line the way nginx does: single-letter flags that may be grouped ({@code -tq}), option values
 * either attached ({@code -cfile}) or in the next argument ({@code -c file}). Errors carry nginx's wording.
 */
public final class OptionsParser {
    static final Set<String> SIGNALS = Set.of("stop", "quit", "reopen", "reload", "upgrade");

    private OptionsParser() {
    }

    /** Thrown for a bad command line; the message is what {@code pier: } prints before it. */
    public static final class UsageException extends Exception {
        private static final long serialVersionUID = 1L;

        public UsageException(String message) {
            super(message);
        }
    }

    /**
     * @param home the installation directory (the one holding {@code bin/} and {@code conf/}): the default prefix
     * @param cwd  the working directory a relative {@code -p} is resolved against
     */
    public static Options parse(List<String> args, Path home, Path cwd) throws UsageException {
        Path prefix = null;
        String conf = null;
        String errorLog = null;
        String global = null;
        String signal = null;
        Options.Action action = Options.Action.SERVE;
        boolean quiet = false;
        Options.WorkerArgs worker = null;

        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("--worker")) {
                if (i + 3 >= args.size()) {
                    throw new UsageException("option \"--worker\" requires socket, slot and generation");
                }
                try {
                    worker = new Options.WorkerArgs(Path.of(args.get(i + 1)), Integer.parseInt(args.get(i + 2)),
                            Long.parseLong(args.get(i + 3)));
                } catch (NumberFormatException e) {
                    throw new UsageException("invalid option: \"--worker\"");
                }
                i += 3;
                action = Options.Action.WORKER;
                continue;
            }
            if (a.length() < 2 || a.charAt(0) != '-') {
                throw new UsageException("invalid option: \"" + a + "\"");
            }
            for (int p = 1; p < a.length(); p++) {
                char f = a.charAt(p);
                switch (f) {
                    case '?', 'h' -> action = Options.Action.HELP;
                    case 'v' -> action = action == Options.Action.HELP ? action : Options.Action.VERSION;
                    case 'V' -> action = action == Options.Action.HELP ? action : Options.Action.VERSION_FULL;
                    case 't' -> action = Options.Action.TEST;
                    case 'T' -> action = Options.Action.TEST_DUMP;
                    case 'q' -> quiet = true;
                    case 'p', 'c', 'e', 'g', 's' -> {
                        String value;
                        if (p + 1 < a.length()) {
                            value = a.substring(p + 1);
                        } else if (i + 1 < args.size()) {
                            value = args.get(++i);
                        } else {
                            throw new UsageException(switch (f) {
                                case 'p' -> "option \"-p\" requires directory name";
                                case 'c' -> "option \"-c\" requires file name";
                                case 'e' -> "option \"-e\" requires file name";
                                case 'g' -> "option \"-g\" requires parameter";
                                default -> "option \"-s\" requires parameter";
                            });
                        }
                        switch (f) {
                            case 'p' -> prefix = cwd.resolve(value).normalize();
                            case 'c' -> conf = value;
                            case 'e' -> errorLog = value;
                            case 'g' -> global = value;
                            default -> {
                                if (!SIGNALS.contains(value)) {
                                    throw new UsageException("invalid option: \"-s " + value + "\"");
                                }
                                signal = value;
                                action = Options.Action.SIGNAL;
                            }
                        }
                        p = a.length();
                    }
                    default -> throw new UsageException("invalid option: \"" + a.substring(p) + "\"");
                }
            }
        }
        if (prefix == null) {
            prefix = home.toAbsolutePath().normalize();
        }
        Path confFile = prefix.resolve(conf == null ? "conf/pier.conf" : conf).normalize();
        return new Options(prefix, confFile, Optional.ofNullable(errorLog), Optional.ofNullable(global), action, quiet,
                Optional.ofNullable(signal), Optional.ofNullable(worker));
    }
}
