package dev.pier.http;

import dev.pier.config.bind.LogLevel;
import dev.pier.log.ErrorLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Lines appended by event loops and written by the log's own thread: none lost, none late, in order. */
class AccessLogFileTest {
    @TempDir
    Path dir;

    @Test
    @Timeout(20)
    void anUnbufferedLineIsWrittenWithoutWaitingForMoreOrForTheExit() throws Exception {
        AccessLogs logs = new AccessLogs(ErrorLog.stderr(LogLevel.EMERG));
        AccessLogFile f = logs.file(dir.resolve("a.log"), 0, 0);
        try {
            for (int i = 0; i < 3; i++) { // each after the writer took the last: each wakes it
                String line = "line " + i + "\n";
                f.write(line.getBytes(StandardCharsets.US_ASCII));
                while (!Files.exists(f.path()) || !Files.readString(f.path()).endsWith(line)) {
                    Thread.sleep(5);
                }
            }
        } finally {
            logs.flushAndClose();
        }
        assertThat(Files.readAllLines(f.path())).containsExactly("line 0", "line 1", "line 2");
    }

    @Test
    @Timeout(30)
    void linesFromSeveralThreadsWhileTheWriterWritesAreAllWrittenEachThreadsInOrder() throws Exception {
        AccessLogs logs = new AccessLogs(ErrorLog.stderr(LogLevel.EMERG));
        AccessLogFile unbuffered = logs.file(dir.resolve("u.log"), 0, 0);
        AccessLogFile buffered = logs.file(dir.resolve("b.log"), 1000, 60_000);
        int threads = 3, lines = 20_000;
        List<Thread> all = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int id = t;
            all.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; i < lines; i++) {
                    byte[] line = ("t" + id + " " + i + " " + "x".repeat(i % 300) + "\n")
                            .getBytes(StandardCharsets.US_ASCII);
                    unbuffered.write(line);
                    buffered.write(line);
                }
            }));
        }
        for (Thread t : all) {
            t.join();
        }
        // the unbuffered file is complete without the exit's flush (the buffered one waits for its flush= time)
        while (Files.size(unbuffered.path()) < expectedBytes(threads, lines)) {
            Thread.sleep(5);
        }
        logs.flushAndClose();
        for (Path p : List.of(unbuffered.path(), buffered.path())) {
            List<String> got = Files.readAllLines(p);
            assertThat(got).hasSize(threads * lines);
            int[] next = new int[threads];
            for (String l : got) {
                String[] parts = l.split(" ");
                int t = Integer.parseInt(parts[0].substring(1));
                assertThat(Integer.parseInt(parts[1])).as("%s in %s", l, p).isEqualTo(next[t]++);
                assertThat(l).endsWith(" " + "x".repeat((next[t] - 1) % 300));
            }
        }
    }

    private static long expectedBytes(int threads, int lines) {
        long n = 0;
        for (int t = 0; t < threads; t++) {
            for (int i = 0; i < lines; i++) {
                n += ("t" + t + " " + i + " " + "x".repeat(i % 300) + "\n").length();
            }
        }
        return n;
    }
}
