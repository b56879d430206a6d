package dev.pier.it;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A tiny authoritative DNS server for tests on 127.0.0.1 (UDP, port 0): answers an A query for a name in
 * {@code names} with that IPv4 address (TTL 60), anything else with NXDOMAIN, and counts the queries it saw.
 */
public final class FakeDns implements AutoCloseable {
    private final DatagramSocket socket;
    private final Map<String, String> names;
    private final AtomicInteger queries = new AtomicInteger();

    public FakeDns(Map<String, String> names) {
        this.names = Map.copyOf(names);
        try {
            socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Thread.ofPlatform().daemon().name("fake-dns").start(this::loop);
    }

    public int port() {
        return socket.getLocalPort();
    }

    public int queries() {
        return queries.get();
    }

    private void loop() {
        byte[] buf = new byte[512];
        while (!socket.isClosed()) {
            try {
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                socket.receive(p);
                queries.incrementAndGet();
                byte[] reply = answer(java.util.Arrays.copyOf(p.getData(), p.getLength()));
                socket.send(new DatagramPacket(reply, reply.length, p.getSocketAddress()));
            } catch (IOException | RuntimeException e) {
                if (socket.isClosed()) {
                    return;
                }
            }
        }
    }

    private byte[] answer(byte[] q) {
        StringBuilder name = new StringBuilder();
        int i = 12;
        while (q[i] != 0) {
            int len = q[i];
            if (!name.isEmpty()) {
                name.append('.');
            }
            name.append(new String(q, i + 1, len, java.nio.charset.StandardCharsets.US_ASCII));
            i += len + 1;
        }
        int qEnd = i + 5;
        int type = ((q[i + 1] & 0xff) << 8) | (q[i + 2] & 0xff);
        String ip = names.get(name.toString());
        boolean a = ip != null && type == 1;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(q[0]);
        out.write(q[1]);
        out.write(0x81); // QR, RD
        out.write(ip == null ? 0x83 : 0x80); // RA, NXDOMAIN or NOERROR
        out.writeBytes(new byte[]{0, 1, 0, (byte) (a ? 1 : 0), 0, 0, 0, 0});
        out.write(q, 12, qEnd - 12);
        if (a) {
            out.writeBytes(new byte[]{(byte) 0xc0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4});
            for (String part : ip.split("\\.")) {
                out.write(Integer.parseInt(part));
            }
        }
        return out.toByteArray();
    }

    @Override
    public void close() {
        socket.close();
    }
}
