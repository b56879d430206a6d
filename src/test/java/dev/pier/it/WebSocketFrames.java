package dev.pier.it;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.ThreadLocalRandom;

/** Minimal RFC 6455 framing for the proxy ITs: single-frame messages up to 64 KiB. */
final class WebSocketFrames {
    private WebSocketFrames() {
    }

    /** A server frame: FIN, the opcode, no mask. */
    static byte[] unmasked(int opcode, byte[] payload) {
        return frame(opcode, payload, null);
    }

    /** A client frame: FIN, the opcode, a random mask (RFC 6455 §5.3: clients must mask). */
    static byte[] masked(int opcode, byte[] payload) {
        byte[] mask = new byte[4];
        ThreadLocalRandom.current().nextBytes(mask);
        return frame(opcode, payload, mask);
    }

    private static byte[] frame(int opcode, byte[] payload, byte[] mask) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(payload.length + 8);
        out.write(0x80 | opcode);
        int m = mask == null ? 0 : 0x80;
        if (payload.length < 126) {
            out.write(m | payload.length);
        } else {
            out.write(m | 126);
            out.write(payload.length >> 8);
            out.write(payload.length & 0xff);
        }
        if (mask != null) {
            out.writeBytes(mask);
        }
        for (int i = 0; i < payload.length; i++) {
            out.write(mask == null ? payload[i] : payload[i] ^ mask[i % 4]);
        }
        return out.toByteArray();
    }

    /** Reads one unmasked server frame's payload; the opcode goes to {@code opcode[0]}. */
    static byte[] read(InputStream in, int[] opcode) throws IOException {
        int b0 = in.read();
        int b1 = in.read();
        if (b0 < 0 || b1 < 0) {
            throw new IOException("connection closed");
        }
        opcode[0] = b0 & 0x0f;
        int len = b1 & 0x7f;
        if (len == 126) {
            len = (in.read() << 8) | in.read();
        }
        return in.readNBytes(len);
    }
}
