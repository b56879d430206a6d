package dev.pier.ipc;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Writes a frame payload: big-endian ints and longs, booleans as one byte, strings as length + UTF-8. */
final class PayloadWriter {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
    private final DataOutputStream out = new DataOutputStream(bytes);

    PayloadWriter writeByte(int v) {
        return run(() -> out.writeByte(v));
    }

    PayloadWriter writeBoolean(boolean v) {
        return run(() -> out.writeBoolean(v));
    }

    PayloadWriter writeInt(int v) {
        return run(() -> out.writeInt(v));
    }

    PayloadWriter writeLong(long v) {
        return run(() -> out.writeLong(v));
    }

    PayloadWriter writeBytes(byte[] v) {
        return run(() -> out.write(v));
    }

    /** Length-prefixed UTF-8 (not writeUTF: that caps strings at 64 KiB and uses modified UTF-8). */
    PayloadWriter writeString(String v) {
        byte[] utf8 = v.getBytes(StandardCharsets.UTF_8);
        return writeInt(utf8.length).writeBytes(utf8);
    }

    byte[] toByteArray() {
        return bytes.toByteArray();
    }

    private interface Write {
        void run() throws IOException;
    }

    private PayloadWriter run(Write w) {
        try {
            w.run();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream never fails
        }
        return this;
    }
}
