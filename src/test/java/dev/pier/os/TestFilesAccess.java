package dev.pier.os;

import java.io.IOException;
import java.nio.file.Path;

/** Lets tests of other packages open a raw file descriptor. */
public final class TestFilesAccess {
    private TestFilesAccess() {
    }

    public static int open(Path file) throws IOException {
        return TestFiles.open(file);
    }
}
