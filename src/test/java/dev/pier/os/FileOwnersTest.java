package dev.pier.os;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** A root master hands log files to the worker user; only root may give a file away, so these run as root. */
class FileOwnersTest {
    private static final int NOBODY = 65534;

    @BeforeEach
    void onlyRoot() {
        assumeTrue(Posix.geteuid() == 0, "chown needs root");
    }

    @Test
    void createsAMissingFileAndItsDirectoriesForTheUser(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("logs/sub/access.log");
        FileOwners.prepareFor(log, NOBODY);
        assertThat(Files.getAttribute(log, "unix:uid")).isEqualTo(NOBODY);
        assertThat(Files.getAttribute(log, "unix:gid")).as("the group is left alone, as nginx").isEqualTo(0);
        assertThat(Files.size(log)).isZero();
    }

    @Test
    void keepsContentsAndAddsOwnerReadWrite(@TempDir Path dir) throws Exception {
        Path log = Files.writeString(dir.resolve("error.log"), "old line\n");
        Files.setPosixFilePermissions(log, PosixFilePermissions.fromString("r--r-----"));
        FileOwners.prepareFor(log, NOBODY);
        assertThat(Files.readString(log)).isEqualTo("old line\n");
        assertThat(Files.getAttribute(log, "unix:uid")).isEqualTo(NOBODY);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(log))).isEqualTo("rw-r-----");
    }

    @Test
    void neverFollowsASymbolicLink(@TempDir Path dir) throws Exception {
        Path victim = Files.writeString(dir.resolve("shadow"), "secret\n");
        Path log = Files.createSymbolicLink(dir.resolve("access.log"), victim);
        assertThatThrownBy(() -> FileOwners.prepareFor(log, NOBODY))
                .isInstanceOf(OsException.class)
                .hasMessageContaining("(40: "); // ELOOP: O_NOFOLLOW met a link
        assertThat(Files.getAttribute(victim, "unix:uid")).as("the link's target stays root's").isEqualTo(0);
    }
}
