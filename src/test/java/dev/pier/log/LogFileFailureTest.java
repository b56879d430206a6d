package dev.pier.log;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** An error log whose writes fail (/dev/full: every write is ENOSPC) is reported once, not once per line. */
class LogFileFailureTest {

    @Test
    void aFullDiskIsReportedOnceAndNeverThrows() throws Exception {
        Path full = Path.of("/dev/full");
        assumeTrue(Files.isWritable(full), "/dev/full");
        LogFile f = new LogFile(full);
        f.reopen();
        PrintStream saved = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            for (int i = 0; i < 1000; i++) {
                byte[] line = ("line " + i + "\n").getBytes(StandardCharsets.UTF_8);
                f.write(line, "line " + i + "\n"); // must not throw
            }
        } finally {
            System.setErr(saved);
            f.close();
        }
        assertThat(f.reports()).isEqualTo(1);
        String reported = err.toString(StandardCharsets.UTF_8);
        assertThat(reported.lines().toList()).hasSize(1);
        assertThat(reported).contains("[alert]").contains("write() to \"/dev/full\" failed (No space left on device)");
    }
}
