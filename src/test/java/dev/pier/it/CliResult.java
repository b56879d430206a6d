package dev.pier.it;

import java.util.List;

/** The outcome of a one-shot {@code bin/pier} call ({@code -t}, {@code -s ...}, a start that is expected to fail). */
public record CliResult(int exitCode, String stdout, String stderr) {
    /** stderr split into lines, without terminators. */
    public List<String> stderrLines() {
        return stderr.lines().toList();
    }

    @Override
    public String toString() {
        return "exit " + exitCode + "\n--- stdout ---\n" + stdout + "--- stderr ---\n" + stderr;
    }
}
