package dev.pier.http.staticfiles;

import dev.pier.config.bind.FileIoConf;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Look-ups with and without opening, and what a failed one throws. */
class FileOpenerTest {
    @TempDir
    Path dir;

    @Test
    void aLookUpWithoutOpeningDescribesFilesAndDirectories() throws Exception {
        Path f = Files.writeString(dir.resolve("index.html"), "twelve bytes");
        OpenFile file = FileOpener.open(f, FileOpener.Symlinks.OFF, false);
        try {
            assertThat(file.isDirectory()).isFalse();
            assertThat(file.size()).isEqualTo(12);
        } finally {
            file.release();
        }
        OpenFile d = FileOpener.open(dir, FileOpener.Symlinks.OFF, false);
        assertThat(d.isDirectory()).isTrue();
        d.release();
    }

    @Test
    void aMissingNameIsNotWorthAStackTraceOpenedOrOnlyLookedUp() {
        Path missing = dir.resolve("missing.html");
        for (boolean open : new boolean[] {true, false}) {
            assertThatThrownBy(() -> FileOpener.open(missing, FileOpener.Symlinks.OFF, open))
                    .isInstanceOf(NoSuchFileException.class)
                    .hasMessage(missing.toString())
                    .satisfies(e -> assertThat(e.getStackTrace()).isEmpty());
            assertThatThrownBy(() -> FileOpener.open(dir.resolve("index.html/below"), FileOpener.Symlinks.OFF,
                    open)).isInstanceOf(NoSuchFileException.class); // ENOENT: no index.html
        }
    }

    @Test
    void otherFailuresKeepTheirTypeAndReasonWithoutAStackTrace() throws Exception {
        Path f = Files.writeString(dir.resolve("f"), "x");
        for (boolean open : new boolean[] {true, false}) {
            assertThatThrownBy(() -> FileOpener.open(dir.resolve("f/below"), FileOpener.Symlinks.OFF, open))
                    .isInstanceOf(FileSystemException.class)
                    .satisfies(e -> {
                        assertThat(((FileSystemException) e).getReason()).isEqualTo("Not a directory");
                        assertThat(DocumentRoot.notFound((FileSystemException) e)).isTrue();
                        assertThat(e.getStackTrace()).isEmpty();
                    });
        }
        assertThat(FileOpener.failure("x", 13)).isInstanceOf(AccessDeniedException.class);
        for (int errno : new int[] {20, 36, 40, 5}) { // the texts the C library gives, as the JDK's exceptions carry
            assertThat(FileOpener.failure("x", errno).getReason()).isEqualTo(dev.pier.os.OsException.strerror(errno));
        }
        assertThat(DocumentRoot.forbidden(FileOpener.failure("x", 40))).isTrue();
        assertThat(f).exists();
    }

    @Test
    void aFinalLinkRefusedByDisableSymlinksIsRefusedAlsoWhenOnlyLookedUp() throws Exception {
        Path f = Files.writeString(dir.resolve("target.html"), "x");
        Path link = Files.createSymbolicLink(dir.resolve("link.html"), f);
        // from= the whole name: the component check has nothing to check, the look-up itself refuses the link
        FileOpener.Symlinks on = new FileOpener.Symlinks(FileIoConf.Symlinks.ON, link.toString());
        for (boolean open : new boolean[] {true, false}) {
            assertThatThrownBy(() -> FileOpener.open(link, on, open))
                    .isInstanceOfSatisfying(FileSystemException.class,
                            e -> assertThat(DocumentRoot.forbidden(e)).isTrue());
        }
        OpenFile followed = FileOpener.open(link, FileOpener.Symlinks.OFF, false);
        assertThat(followed.size()).isEqualTo(1);
        followed.release();
    }
}
