package dev.pier.http.charset;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/** The recoding state of one response body: pieces go in in order, each comes out recoded at once. */
interface Recoder {

    /**
     * Recodes {@code in} (left unreleased, fully read) into a new buffer; {@code last} ends the body, so bytes kept
     * back for an incomplete character are flushed (as nginx's replacement) then.
     */
    ByteBuf recode(ByteBuf in, ByteBufAllocator alloc, boolean last);

    /** 8-bit to 8-bit: every byte through one table, so the length stays (nginx's {@code ngx_http_charset_recode}). */
    record Bytes(byte[] table) implements Recoder {
        @Override
        public ByteBuf recode(ByteBuf in, ByteBufAllocator alloc, boolean last) {
            int n = in.readableBytes();
            ByteBuf out = alloc.buffer(n);
            for (int i = in.readerIndex(), end = in.writerIndex(); i < end; i++) {
                out.writeByte(table[in.getByte(i) & 0xff]);
            }
            in.skipBytes(n);
            return out;
        }
    }
}
