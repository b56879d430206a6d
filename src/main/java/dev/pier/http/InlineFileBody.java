package dev.pier.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.ReferenceCounted;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.util.List;

/**
 * A small file body read into one buffer, so that it leaves with the response head in a single {@code writev}: one
 * TCP segment instead of a {@code writev} of the head and a {@code sendfile} of the body, each of which the kernel
 * sends (and the peer is woken for) on its own. For a 4 KiB file on loopback this halved the kernel time per response
 * above nginx's (BENCHMARKS.md); larger files keep {@code sendfile}, which copies nothing.
 */
final class InlineFileBody {
    /**
     * Bodies up to this size are read. A bound on the memory one response holds, chosen, not measured: only 4 KiB
     * (faster, BENCHMARKS.md) and 1 MiB (sendfile, unchanged) bodies were benchmarked.
     */
    static final int MAX = 16 * 1024;

    private InlineFileBody() {
    }

    /**
     * The body {@code parts} of {@code file} (or, when that is null, of {@code owner}, a {@link RawFile})
     * ({@code length} bytes in all), or null when it is too large or the file
     * could not be read whole (it shrank, or a read failed): the caller then sends file regions, whose transfer reports
     * the problem as before.
     */
    static ByteBuf read(ByteBufAllocator alloc, ReferenceCounted owner, FileChannel file, List<FilePart> parts,
                        long length) {
        if (length > MAX || length == 0) {
            return null;
        }
        ByteBuf buf = alloc.directBuffer((int) length);
        try {
            for (FilePart part : parts) {
                switch (part) {
                    case FilePart.Bytes b -> buf.writeBytes(b.bytes());
                    case FilePart.Slice s -> {
                        long at = s.offset();
                        long end = at + s.length();
                        while (at < end) {
                            int n = file != null ? buf.writeBytes(file, at, (int) (end - at))
                                    : ((RawFile) owner).read(buf, at, (int) (end - at));
                            if (n <= 0) {
                                buf.release();
                                return null; // the file is shorter than its size said
                            }
                            at += n;
                        }
                    }
                }
            }
            return buf;
        } catch (IOException e) {
            buf.release();
            return null;
        }
    }
}
