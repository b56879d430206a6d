package dev.pier.http.proxy.upstream;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;

/**
 * nginx's {@code hash KEY consistent} (ketama, compatible with Cache::Memcached::Fast): each server contributes
 * {@code 160 * weight} points on a 32-bit ring, the first {@code crc32(HOST \0 PORT)} and each next one
 * {@code crc32(HOST \0 PORT PREV)} with PREV the previous point's four little-endian bytes. A key goes to the first
 * point at or after {@code crc32(KEY)}; when that server has no usable peer, the next point is tried, up to 20 times,
 * then round-robin. Adding or removing one of N servers moves about 1/N of the keys.
 */
public final class ConsistentHash implements Balancer {
    static final int POINTS_PER_WEIGHT = 160;

    private final long[] hashes;
    private final String[] servers;

    public ConsistentHash(PeerSet peers) {
        record Point(long hash, String server) {
        }
        List<Point> points = new ArrayList<>();
        List<String> seen = new ArrayList<>();
        for (Peer p : peers.primary()) {
            // a server name resolving to several addresses gives one set of points, like nginx's per-peer loop over
            // server names (each address repeats the same points; duplicates are dropped below)
            String server = p.server();
            if (seen.contains(server)) {
                continue;
            }
            seen.add(server);
            int weight = p.weight();
            byte[] base = base(server);
            long prev = 0;
            for (int j = 0; j < POINTS_PER_WEIGHT * weight; j++) {
                CRC32 crc = new CRC32();
                crc.update(base);
                crc.update(new byte[]{(byte) prev, (byte) (prev >>> 8), (byte) (prev >>> 16), (byte) (prev >>> 24)});
                long h = crc.getValue();
                points.add(new Point(h, server));
                prev = h;
            }
        }
        points.sort((x, y) -> Long.compare(x.hash, y.hash));
        List<Point> unique = new ArrayList<>(points.size());
        for (Point pt : points) {
            if (unique.isEmpty() || unique.getLast().hash != pt.hash) {
                unique.add(pt);
            }
        }
        hashes = unique.stream().mapToLong(Point::hash).toArray();
        servers = unique.stream().map(Point::server).toArray(String[]::new);
    }

    /** {@code HOST \0 PORT}: a trailing {@code :digits} is the port, else {@code 80}; {@code unix:} has no port. */
    static byte[] base(String server) {
        String host;
        String port;
        if (server.regionMatches(true, 0, "unix:", 0, 5)) {
            host = server.substring(5);
            port = "";
        } else {
            int j = server.length();
            while (j > 0 && Character.isDigit(server.charAt(j - 1))) {
                j--;
            }
            if (j > 0 && j < server.length() + 1 && server.charAt(j - 1) == ':') {
                host = server.substring(0, j - 1);
                port = server.substring(j);
            } else {
                host = server;
                port = "80";
            }
        }
        byte[] h = host.getBytes(StandardCharsets.UTF_8);
        byte[] p = port.getBytes(StandardCharsets.UTF_8);
        byte[] b = new byte[h.length + 1 + p.length];
        System.arraycopy(h, 0, b, 0, h.length);
        System.arraycopy(p, 0, b, h.length + 1, p.length);
        return b;
    }

    /** Index of the first point whose hash is {@code >= hash} (wrapping to 0 past the last). */
    int find(long hash) {
        int i = Arrays.binarySearch(hashes, hash);
        if (i < 0) {
            i = -i - 1;
        }
        return i == hashes.length ? 0 : i;
    }

    int points() {
        return hashes.length;
    }

    @Override
    public Peer pick(PeerSet peers, Attempt a, long now) {
        if (a.methodTries > METHOD_TRIES || peers.primary().size() < 2 || a.key.length == 0 || hashes.length == 0) {
            return new RoundRobin().pick(peers, a, now);
        }
        if (!a.hashInitialised) {
            CRC32 crc = new CRC32();
            crc.update(a.key);
            a.hash = find(crc.getValue());
            a.hashInitialised = true;
        }
        List<Peer> list = peers.primary();
        for (;;) {
            String server = servers[(int) (a.hash % hashes.length)];
            int best = -1;
            int total = 0;
            for (int i = 0; i < list.size(); i++) {
                Peer p = list.get(i);
                if (a.tried(false, i) || !p.server().equals(server) || !p.usable(now)) {
                    continue;
                }
                p.currentWeight += p.effectiveWeight;
                total += p.effectiveWeight;
                if (p.effectiveWeight < p.weight()) {
                    p.effectiveWeight++;
                }
                if (best < 0 || p.currentWeight > list.get(best).currentWeight) {
                    best = i;
                }
            }
            if (best >= 0) {
                Peer p = list.get(best);
                p.currentWeight -= total;
                a.mark(p, false, best);
                return p;
            }
            a.hash++;
            if (++a.methodTries > METHOD_TRIES) {
                return new RoundRobin().pick(peers, a, now);
            }
        }
    }
}
