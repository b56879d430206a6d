package dev.pier.http.gzip;

import io.netty.buffer.ByteBuf;

import java.nio.ByteBuffer;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * One gzip member (RFC 1952) written as its input arrives: the 10-byte header before the first output, raw deflate
 * data, then CRC-32 and ISIZE at {@link #finish}. Not thread-safe; owned by one response on one event loop.
 */
final class GzipStream {
    /** ID1 ID2, CM=deflate, no flags, no mtime, XFL=0, OS=3 (Unix), as nginx writes it. */
    private static final byte[] HEADER = {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, 3};
    private static final int STEP = 8192;
    private static final int MIN_ROOM = 64;

    private final int level;
    private final Deflater deflater;
    private final CRC32 crc = new CRC32();
    private boolean headerWritten;
    /** Input given since the last sync flush, so a flush has something to push out. */
    private boolean unflushed;
    private boolean ended;

    GzipStream(int level) {
        this.level = level;
        this.deflater = Deflaters.take(level);
    }

    /** Compresses {@code in} (consumed, not released) into {@code out}: what deflate produced so far, maybe nothing. */
    void deflate(ByteBuf in, ByteBuf out) {
        int len = in.readableBytes();
        header(out);
        if (len == 0) {
            return;
        }
        ByteBuffer nio = in.nioBuffer();
        crc.update(nio.duplicate());
        deflater.setInput(nio);
        while (!deflater.needsInput()) {
            drain(out, Deflater.NO_FLUSH);
        }
        in.skipBytes(len);
        unflushed = true;
    }

    /** {@code Z_SYNC_FLUSH}: everything given so far, decodable by the client now (a flush of a streamed body). */
    void flush(ByteBuf out) {
        header(out);
        if (unflushed) {
            while (drain(out, Deflater.SYNC_FLUSH)) {
                // the output filled up: there may be more
            }
            unflushed = false;
        }
    }

    /** The rest of the deflate data and the trailer; releases the deflater. */
    void finish(ByteBuf out) {
        header(out);
        deflater.finish();
        while (!deflater.finished()) {
            drain(out, Deflater.NO_FLUSH);
        }
        out.writeIntLE((int) crc.getValue());
        out.writeIntLE((int) deflater.getBytesRead()); // ISIZE: the input length modulo 2^32
        end();
    }

    /** Gives the deflater back to this thread's spares, or frees its native memory (idempotent). */
    void end() {
        if (!ended) {
            ended = true;
            Deflaters.give(deflater, level);
        }
    }

    private void header(ByteBuf out) {
        if (!headerWritten) {
            headerWritten = true;
            out.writeBytes(HEADER);
        }
    }

    /** One deflate call into {@code out}'s free space; true when it filled all of it (call again). */
    private boolean drain(ByteBuf out, int mode) {
        if (out.writableBytes() < MIN_ROOM) { // the caller sized it for the likely output: grow only when full
            out.ensureWritable(STEP);
        }
        int room = out.writableBytes();
        ByteBuffer dst = out.nioBuffer(out.writerIndex(), room);
        int n = deflater.deflate(dst, mode);
        out.writerIndex(out.writerIndex() + n);
        return n == room;
    }
}
