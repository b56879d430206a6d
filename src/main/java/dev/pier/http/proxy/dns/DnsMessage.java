package dev.pier.http.proxy.dns;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The two DNS messages Pier's resolver needs (RFC 1035 §4): a recursive query for one name's A (1) or AAAA (28)
 * records, and the addresses of an answer to it. Bytes in, bytes out: no sockets, so tests feed it packets.
 * Answers may carry a CNAME chain first; only records of the asked type count, and a compressed name
 * (RFC 1035 §4.1.4) is skipped, never followed, since the answer's owner names do not matter here.
 */
public final class DnsMessage {
    public static final int A = 1;
    public static final int AAAA = 28;

    private DnsMessage() {
    }

    /** What an answer says: its RCODE, the addresses of the asked type and the smallest TTL among them. */
    public record Answer(int rcode, List<InetAddress> addresses, long ttlSeconds) {
        public Answer {
            addresses = List.copyOf(addresses);
        }
    }

    /** A standard query with RD set: header, one question {@code name type IN}. */
    public static byte[] query(int id, String name, int type) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(32 + name.length());
        short16(out, id);
        short16(out, 0x0100); // RD
        short16(out, 1);
        short16(out, 0);
        short16(out, 0);
        short16(out, 0);
        String n = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
        for (String label : n.split("\\.")) {
            byte[] l = label.getBytes(StandardCharsets.US_ASCII);
            if (l.length == 0 || l.length > 63) {
                throw new IllegalArgumentException("invalid DNS name " + name);
            }
            out.write(l.length);
            out.writeBytes(l);
        }
        out.write(0);
        short16(out, type);
        short16(out, 1); // IN
        return out.toByteArray();
    }

    /** The id of a message (to match an answer to its query), or -1 if it is too short to have one. */
    public static int id(byte[] msg) {
        return msg.length < 12 ? -1 : ((msg[0] & 0xff) << 8) | (msg[1] & 0xff);
    }

    /**
     * Decodes an answer to a query for {@code type}.
     *
     * @throws IllegalArgumentException for a message that is not a well-formed response
     */
    public static Answer answer(byte[] msg, int type) {
        try {
            ByteBuffer b = ByteBuffer.wrap(msg);
            b.getShort(); // id
            int flags = b.getShort() & 0xffff;
            if ((flags & 0x8000) == 0) {
                throw new IllegalArgumentException("not a response");
            }
            int qd = b.getShort() & 0xffff;
            int an = b.getShort() & 0xffff;
            b.getShort();
            b.getShort();
            for (int i = 0; i < qd; i++) {
                skipName(b);
                b.getInt(); // type, class
            }
            List<InetAddress> out = new ArrayList<>();
            long ttl = Long.MAX_VALUE;
            for (int i = 0; i < an; i++) {
                skipName(b);
                int rtype = b.getShort() & 0xffff;
                int rclass = b.getShort() & 0xffff;
                long rttl = b.getInt() & 0xffffffffL;
                int len = b.getShort() & 0xffff;
                byte[] data = new byte[len];
                b.get(data);
                if (rtype == type && rclass == 1 && len == (type == A ? 4 : 16)) {
                    out.add(InetAddress.getByAddress(data));
                    ttl = Math.min(ttl, rttl);
                }
            }
            return new Answer(flags & 0x0f, out, out.isEmpty() ? 0 : ttl);
        } catch (java.nio.BufferUnderflowException | UnknownHostException e) {
            throw new IllegalArgumentException("truncated DNS message", e);
        }
    }

    private static void skipName(ByteBuffer b) {
        for (;;) {
            int len = b.get() & 0xff;
            if (len == 0) {
                return;
            }
            if ((len & 0xc0) == 0xc0) {
                b.get(); // a pointer ends the name
                return;
            }
            b.position(b.position() + len);
        }
    }

    private static void short16(ByteArrayOutputStream out, int v) {
        out.write((v >> 8) & 0xff);
        out.write(v & 0xff);
    }

    /** nginx's {@code ngx_resolver_strerror} text for an RCODE, as its error lines show it. */
    public static String rcodeText(int rcode) {
        return switch (rcode) {
            case 1 -> "Format error";
            case 2 -> "Server failure";
            case 3 -> "Host not found";
            case 4 -> "Unimplemented";
            case 5 -> "Operation refused";
            default -> "Unknown error";
        };
    }
}
