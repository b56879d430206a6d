package dev.pier.http.charset;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Recoding through characters, for pairs where a character may take several bytes (UTF-8 on either side): each
 * piece is decoded (a character cut between two pieces waits for the next; a table for single-byte sources), then
 * encoded. A character the destination lacks becomes nginx's HTML entity {@code &#NNNN;}; a source byte with no
 * meaning becomes {@code ?}, as in nginx's tables.
 */
final class StreamRecoder implements Recoder {
    /** Either a JDK decoder with the bytes of a cut character kept back … */
    private final CharsetDecoder decoder;
    private ByteBuffer pending = ByteBuffer.allocate(0);
    /** … or a byte → code point table. */
    private final int[] sourceTable;
    /** Either a JDK encoder … */
    private final CharsetEncoder encoder;
    /** … or a code point → byte table. */
    private final Map<Integer, Integer> destTable;

    StreamRecoder(Charset source, int[] sourceTable, Charset dest, Map<Integer, Integer> destTable) {
        this.decoder = sourceTable != null ? null : source.newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE);
        this.sourceTable = sourceTable;
        this.encoder = destTable != null ? null : dest.newEncoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        this.destTable = destTable;
    }

    @Override
    public ByteBuf recode(ByteBuf in, ByteBufAllocator alloc, boolean last) {
        CharBuffer chars = decode(in, last);
        ByteBuf out = alloc.buffer(Math.max(16, chars.remaining() * 2));
        if (destTable != null) {
            encodeTable(chars, out);
        } else {
            encodeJava(chars, out, last);
        }
        return out;
    }

    private CharBuffer decode(ByteBuf in, boolean last) {
        if (sourceTable != null) {
            StringBuilder sb = new StringBuilder(in.readableBytes());
            while (in.isReadable()) {
                int cp = sourceTable[in.readByte() & 0xff];
                sb.appendCodePoint(cp < 0 ? '?' : cp);
            }
            return CharBuffer.wrap(sb);
        }
        ByteBuffer src;
        if (pending.hasRemaining()) {
            src = ByteBuffer.allocate(pending.remaining() + in.readableBytes());
            src.put(pending);
            in.readBytes(src);
            src.flip();
        } else {
            src = ByteBuffer.allocate(in.readableBytes());
            in.readBytes(src);
            src.flip();
        }
        CharBuffer out = CharBuffer.allocate((int) (src.remaining() * decoder.maxCharsPerByte()) + 4);
        decoder.decode(src, out, last);
        if (last) {
            decoder.flush(out);
        }
        pending = src.hasRemaining() ? ByteBuffer.allocate(src.remaining()).put(src).flip() : ByteBuffer.allocate(0);
        return out.flip();
    }

    private void encodeTable(CharBuffer chars, ByteBuf out) {
        for (int i = 0; i < chars.length(); ) {
            int cp = Character.codePointAt(chars, i);
            i += Character.charCount(cp);
            Integer b = destTable.get(cp);
            if (b != null) {
                out.writeByte(b);
            } else {
                entity(cp, out);
            }
        }
    }

    private void encodeJava(CharBuffer chars, ByteBuf out, boolean last) {
        ByteBuffer bb = ByteBuffer.allocate(Math.max(16, (int) (chars.remaining() * encoder.maxBytesPerChar())));
        while (true) {
            CoderResult r = encoder.encode(chars, bb, last);
            if (r.isOverflow()) {
                bb = drain(bb, out);
                continue;
            }
            if (r.isError()) {
                int cp = Character.codePointAt(chars, chars.position());
                chars.position(chars.position() + r.length());
                bb = drain(bb, out);
                entity(cp, out);
                continue;
            }
            break; // underflow: all taken (decoding never cuts a surrogate pair)
        }
        if (last) {
            encoder.flush(bb);
        }
        drain(bb, out);
    }

    private static ByteBuffer drain(ByteBuffer bb, ByteBuf out) {
        bb.flip();
        out.writeBytes(bb);
        bb.clear();
        return bb;
    }

    /** nginx's {@code NGX_HTML_ENTITY} for a character the destination charset lacks. */
    private static void entity(int cp, ByteBuf out) {
        out.writeCharSequence("&#" + cp + ";", StandardCharsets.US_ASCII);
    }
}
