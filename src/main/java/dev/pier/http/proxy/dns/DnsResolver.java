package dev.pier.http.proxy.dns;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoop;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import io.netty.util.concurrent.ScheduledFuture;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * nginx's run-time {@code resolver}: asks the configured DNS servers over UDP, on the caller's event loop (no
 * thread, no blocking), for a name's A and/or AAAA records; answers are cached for their TTL or {@code valid=}.
 * Each lookup uses its own socket on a random port with random query ids (RFC 5452's defences against forged
 * answers), resends to the next server every {@link #RESEND_MILLIS} and fails after {@code resolver_timeout}.
 * A failure carries nginx's code and text ({@code 3: Host not found}, {@code 110: Operation timed out}).
 */
public final class DnsResolver {
    static final long RESEND_MILLIS = 1000;

    /** A failed lookup: nginx's {@code (code: text)} pair. */
    public static final class ResolveException extends Exception {
        private final int code;

        ResolveException(int code, String text) {
            super(text, null, false, false);
            this.code = code;
        }

        /** {@code (3: Host not found)}, the form nginx's error line shows. */
        public String describe() {
            return code + ": " + getMessage();
        }
    }

    private record Cached(List<InetAddress> addresses, long expiresNanos) {
    }

    private final List<InetSocketAddress> servers;
    private final long validMillis;
    private final List<Integer> types;
    private final long timeoutMillis;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    /**
     * @param validMillis a fixed cache time, or -1 to use the answers' TTL
     */
    public DnsResolver(List<InetSocketAddress> servers, long validMillis, boolean ipv4, boolean ipv6,
                       long timeoutMillis) {
        if (servers.isEmpty()) {
            throw new IllegalArgumentException("no DNS server");
        }
        this.servers = List.copyOf(servers);
        this.validMillis = validMillis;
        List<Integer> t = new ArrayList<>(2);
        if (ipv4) {
            t.add(DnsMessage.A);
        }
        if (ipv6) {
            t.add(DnsMessage.AAAA);
        }
        this.types = List.copyOf(t);
        this.timeoutMillis = Math.max(1, timeoutMillis);
    }

    /** The addresses of {@code host}, completed on {@code loop}; fails with a {@link ResolveException}. */
    public Future<List<InetAddress>> resolve(String host, EventLoop loop, boolean epoll) {
        Cached c = cache.get(host);
        if (c != null && c.expiresNanos - System.nanoTime() > 0) {
            return loop.newSucceededFuture(c.addresses);
        }
        Promise<List<InetAddress>> p = loop.newPromise();
        new Lookup(host, p).start(loop, epoll);
        return p;
    }

    /** One name's queries on one socket. */
    private final class Lookup extends SimpleChannelInboundHandler<DatagramPacket> {
        private final String host;
        private final Promise<List<InetAddress>> promise;
        private final Map<Integer, Integer> pendingIds = new HashMap<>(); // id -> type
        private final Map<Integer, DnsMessage.Answer> answers = new HashMap<>(); // type -> answer
        private Channel channel;
        private ScheduledFuture<?> resend;
        private ScheduledFuture<?> deadline;
        private int sends;

        Lookup(String host, Promise<List<InetAddress>> promise) {
            super(false);
            this.host = host;
            this.promise = promise;
        }

        void start(EventLoop loop, boolean epoll) {
            for (int type : types) {
                int id;
                do {
                    id = ThreadLocalRandom.current().nextInt(0x10000);
                } while (pendingIds.containsKey(id));
                pendingIds.put(id, type);
            }
            new Bootstrap().group(loop).channel(epoll ? EpollDatagramChannel.class : NioDatagramChannel.class)
                    .handler(this).bind(0).addListener(f -> {
                        if (!f.isSuccess()) {
                            fail(new ResolveException(2, "Server failure"));
                            return;
                        }
                        channel = ((io.netty.channel.ChannelFuture) f).channel();
                        deadline = loop.schedule(() -> fail(new ResolveException(110, "Operation timed out")),
                                timeoutMillis, TimeUnit.MILLISECONDS);
                        send();
                    });
        }

        private void send() {
            if (promise.isDone()) {
                return;
            }
            InetSocketAddress server = servers.get(sends++ % servers.size());
            for (Map.Entry<Integer, Integer> q : pendingIds.entrySet()) {
                if (!answers.containsKey(q.getValue())) {
                    byte[] msg = DnsMessage.query(q.getKey(), host, q.getValue());
                    channel.writeAndFlush(new DatagramPacket(Unpooled.wrappedBuffer(msg), server));
                }
            }
            resend = channel.eventLoop().schedule(this::send, RESEND_MILLIS, TimeUnit.MILLISECONDS);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
            try {
                if (promise.isDone() || !servers.contains(packet.sender())) {
                    return; // only the configured servers may answer
                }
                byte[] msg = ByteBufUtil.getBytes(packet.content());
                Integer type = pendingIds.get(DnsMessage.id(msg));
                if (type == null || answers.containsKey(type)) {
                    return;
                }
                try {
                    answers.put(type, DnsMessage.answer(msg, type));
                } catch (IllegalArgumentException e) {
                    return; // not an answer: wait for a good one or the timeout
                }
                if (answers.size() == types.size()) {
                    complete();
                }
            } finally {
                packet.release();
            }
        }

        private void complete() {
            List<InetAddress> all = new ArrayList<>();
            long ttl = Long.MAX_VALUE;
            int rcode = 0;
            for (int type : types) {
                DnsMessage.Answer a = answers.get(type);
                all.addAll(a.addresses());
                if (!a.addresses().isEmpty()) {
                    ttl = Math.min(ttl, a.ttlSeconds());
                }
                if (a.rcode() != 0 && rcode == 0) {
                    rcode = a.rcode();
                }
            }
            if (all.isEmpty()) {
                fail(new ResolveException(rcode == 0 ? 3 : rcode, DnsMessage.rcodeText(rcode == 0 ? 3 : rcode)));
                return;
            }
            long keep = validMillis >= 0 ? validMillis : TimeUnit.SECONDS.toMillis(ttl);
            if (keep > 0) {
                cache.put(host, new Cached(List.copyOf(all), System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(keep)));
            }
            close();
            promise.trySuccess(List.copyOf(all));
        }

        private void fail(ResolveException e) {
            close();
            promise.tryFailure(e);
        }

        private void close() {
            if (resend != null) {
                resend.cancel(false);
            }
            if (deadline != null) {
                deadline.cancel(false);
            }
            if (channel != null) {
                channel.close();
            }
        }
    }
}
