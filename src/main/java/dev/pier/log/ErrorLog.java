package dev.pier.log;

import dev.pier.config.bind.ErrorLogConf;
import dev.pier.config.bind.LogLevel;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * nginx's error log: {@code 2026/11/25 12:00:00 [error] PID#TID: *CONN message} ({@code *CONN} only for
 * messages about a connection, {@link #forConnection}). One instance is one level's
 * {@code error_log} lines (nginx's log chain): each line goes to every destination whose level it reaches. The logs
 * of one configuration ({@link #forLevel}) share their open files, so {@link #reopen()} (USR1) re-opens each file
 * once. Thread-safe; a write that fails (disk full, file removed) never throws into the caller.
 */
public final class ErrorLog {
    private static final SecondText TIME =
            new SecondText(DateTimeFormatter.ofPattern("yyyy/MM/dd HH:mm:ss").withZone(ZoneId.systemDefault()));
    private static final long PID = ProcessHandle.current().pid();

    /** One {@code error_log} line: where to and from which level. */
    private record Sink(LogFile file, LogLevel level) {
    }

    private final LogFiles files;
    private final Sink[] sinks;
    private final LogLevel level;
    private final boolean alsoStderr;
    /** A log that never writes and whose {@link #forLevel} logs do not write either (warm-up). */
    private final boolean silent;
    /** nginx's {@code *N} after {@code PID#TID:}: the connection a message is about; 0 for none. */
    private final long connection;

    private ErrorLog(LogFiles files, List<Sink> sinks, boolean alsoStderr, boolean silent) {
        this(files, sinks, alsoStderr, silent, 0);
    }

    private ErrorLog(LogFiles files, List<Sink> sinks, boolean alsoStderr, boolean silent, long connection) {
        this.files = files;
        this.sinks = sinks.toArray(Sink[]::new);
        this.alsoStderr = alsoStderr;
        this.silent = silent;
        this.connection = connection;
        LogLevel most = LogLevel.EMERG;
        for (Sink s : sinks) {
            if (s.level().ordinal() < most.ordinal()) {
                most = s.level();
            }
        }
        this.level = most;
    }

    /** {@code log}'s lines about connection {@code number}: the same destinations, nothing recomputed. */
    private ErrorLog(ErrorLog log, long connection) {
        this.files = log.files;
        this.sinks = log.sinks;
        this.alsoStderr = log.alsoStderr;
        this.silent = log.silent;
        this.level = log.level;
        this.connection = connection;
    }

    /** A log that writes to stderr only. */
    public static ErrorLog stderr(LogLevel level) {
        LogFiles files = new LogFiles();
        return new ErrorLog(files, List.of(new Sink(stderrOf(files), Objects.requireNonNull(level))), false, false);
    }

    /** A log that drops every line, and so do the level logs made from it: runtimes serving synthetic requests. */
    public static ErrorLog silent() {
        return new ErrorLog(new LogFiles(), List.of(), false, true);
    }

    /**
     * Opens the configured log. {@code copyToStderr} also echoes each line to stderr (the master in the foreground
     * does this for lines at {@code [emerg]}/{@code [alert]} so an operator sees them).
     */
    public static ErrorLog open(ErrorLogConf conf, boolean copyToStderr) throws IOException {
        LogFiles files = new LogFiles();
        LogFile f = files.get(conf.file().orElse(null));
        return new ErrorLog(files, List.of(new Sink(f, conf.level())), copyToStderr && conf.file().isPresent(),
                false);
    }

    /**
     * Opens the main level's log: every {@code error_log} line of the main context, each with its own level, as
     * nginx's log chain. {@code copyToStderr} as {@link #open(ErrorLogConf, boolean)}, unless a line is stderr.
     */
    public static ErrorLog open(List<ErrorLogConf> confs, boolean copyToStderr) throws IOException {
        if (confs.isEmpty()) {
            throw new IllegalArgumentException("no error_log line");
        }
        LogFiles files = new LogFiles();
        List<Sink> sinks = new ArrayList<>(confs.size());
        boolean stderrLine = false;
        try {
            for (ErrorLogConf c : confs) {
                sinks.add(new Sink(files.get(c.file().orElse(null)), c.level()));
                stderrLine |= c.file().isEmpty();
            }
        } catch (IOException e) {
            files.closeAll();
            throw e;
        }
        return new ErrorLog(files, sinks, copyToStderr && !stderrLine, false);
    }

    private static LogFile stderrOf(LogFiles files) {
        try {
            return files.get(null);
        } catch (IOException e) {
            throw new IllegalStateException(e); // stderr is never opened
        }
    }

    /**
     * The log of an http, server or location level: {@code confs} are that level's own {@code error_log} lines
     * after merging (empty: this log, nginx's fallback to the main level's). Files are shared with this log's, so
     * each path is opened once per process; opening one that fails throws (nginx's {@code open() failed}).
     */
    public ErrorLog forLevel(List<ErrorLogConf> confs) throws IOException {
        if (confs.isEmpty() || silent) {
            return this;
        }
        List<Sink> out = new ArrayList<>();
        for (ErrorLogConf c : confs) {
            out.add(new Sink(files.get(c.file().orElse(null)), c.level()));
        }
        return new ErrorLog(files, out, false, false);
    }

    /** This log for messages about connection {@code number} ({@code $connection}): lines carry nginx's {@code *N}. */
    public ErrorLog forConnection(long number) {
        return number == connection ? this : new ErrorLog(this, number);
    }

    /** The most verbose level any destination takes. */
    public LogLevel level() {
        return level;
    }

    public boolean enabled(LogLevel l) {
        return !silent && l.ordinal() >= level.ordinal();
    }

    /** Re-opens every file of this configuration's logs (USR1 log rotation); the first failure is thrown. */
    public void reopen() throws IOException {
        files.reopenAll();
    }

    public void log(LogLevel l, String message) {
        if (!enabled(l)) {
            return;
        }
        String line = format(l, (connection > 0 ? "*" + connection + " " : "") + message);
        byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
        boolean toStderr = false;
        for (Sink s : sinks) {
            if (l.ordinal() >= s.level().ordinal()) {
                s.file().write(bytes, line);
                toStderr |= s.file().path() == null;
            }
        }
        if (alsoStderr && !toStderr) {
            System.err.print(line);
            System.err.flush();
        }
    }

    /** One line in nginx's layout, newline included. */
    static String format(LogLevel l, String message) {
        return time() + " [" + l.label() + "] " + PID + "#" + Thread.currentThread().threadId() + ": " + message
                + "\n";
    }

    /** A second's local time as the log writes it, made once per second (nginx's cached error-log time). */
    static String time() {
        return TIME.of(System.currentTimeMillis());
    }

    public void emerg(String m) { log(LogLevel.EMERG, m); }
    public void alert(String m) { log(LogLevel.ALERT, m); }
    public void crit(String m) { log(LogLevel.CRIT, m); }
    public void error(String m) { log(LogLevel.ERROR, m); }
    public void warn(String m) { log(LogLevel.WARN, m); }
    public void notice(String m) { log(LogLevel.NOTICE, m); }
    public void info(String m) { log(LogLevel.INFO, m); }
    public void debug(String m) { log(LogLevel.DEBUG, m); }

    /** Closes every file of this configuration's logs. */
    public void close() {
        files.closeAll();
    }
}
