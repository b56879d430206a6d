package dev.pier.http.proxy;

import dev.pier.config.ConfigException;
import dev.pier.config.bind.UpstreamConf;
import dev.pier.http.Exchange;
import dev.pier.http.Template;
import dev.pier.http.proxy.upstream.Attempt;
import dev.pier.http.proxy.upstream.Balancer;
import dev.pier.http.proxy.upstream.ConsistentHash;
import dev.pier.http.proxy.upstream.IpHash;
import dev.pier.http.proxy.upstream.KeepalivePool;
import dev.pier.http.proxy.upstream.KeyHash;
import dev.pier.http.proxy.upstream.LeastConn;
import dev.pier.http.proxy.upstream.Peer;
import dev.pier.http.proxy.upstream.PeerSet;
import dev.pier.http.proxy.upstream.RandomBalancer;
import dev.pier.http.proxy.upstream.RoundRobin;
import dev.pier.http.proxy.upstream.Upstream;
import io.netty.channel.EventLoop;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One upstream block compiled for a configuration generation: its {@link Upstream} (peers and their health, shared
 * by every location that proxies to it) and one keep-alive pool per event loop.
 */
final class UpstreamGroup {
    private final UpstreamConf conf;
    private final Upstream upstream;
    private final Template hashKey;
    /** {@code ip_hash}: only then does a request's walk need the client's address. */
    private final boolean ipHash;
    private final Map<EventLoop, KeepalivePool> pools = new ConcurrentHashMap<>();
    /** The pool asked for last, with its loop: a worker has one event loop, so this saves the map's lookup. */
    private LoopPool last;
    /** Set by {@link #exiting()}: every pool is closed, and so is one made after it. */
    private volatile boolean exiting;

    private record LoopPool(EventLoop loop, KeepalivePool pool) {
    }

    UpstreamGroup(UpstreamConf conf) throws ConfigException {
        this.conf = conf;
        List<Peer> primary = new ArrayList<>();
        List<Peer> backup = new ArrayList<>();
        for (UpstreamConf.Server s : conf.servers()) {
            for (java.net.SocketAddress a : s.addresses()) {
                (s.backup() ? backup : primary).add(new Peer(s.name(), a, s.weight(), s.maxFails(),
                        s.failTimeout().toMillis(), s.maxConns(), s.down()));
            }
        }
        PeerSet peers = new PeerSet(primary, backup);
        Balancer b = switch (conf.balancing()) {
            case UpstreamConf.Balancing.RoundRobin r -> new RoundRobin();
            case UpstreamConf.Balancing.LeastConn l -> new LeastConn();
            case UpstreamConf.Balancing.IpHash i -> new IpHash();
            case UpstreamConf.Balancing.Hash h -> h.consistent() ? new ConsistentHash(peers) : new KeyHash();
            case UpstreamConf.Balancing.Random r -> new RandomBalancer(r.two(), ThreadLocalRandom.current());
        };
        this.ipHash = conf.balancing() instanceof UpstreamConf.Balancing.IpHash;
        this.hashKey = conf.balancing() instanceof UpstreamConf.Balancing.Hash h
                ? Template.compile(h.key(), conf.source()) : null;
        this.upstream = new Upstream(conf.name(), peers, b, Upstream.monotonicMillis());
    }

    UpstreamConf conf() {
        return conf;
    }

    Upstream upstream() {
        return upstream;
    }

    /** A new walk over the peers for one request: the client address for ip_hash, the key for hash. */
    Attempt attempt(Exchange ex) {
        byte[] client = ipHash && ex.channel().remoteAddress() instanceof InetSocketAddress isa
                && isa.getAddress() != null ? isa.getAddress().getAddress() : null;
        byte[] key = hashKey == null ? null : hashKey.render(ex).getBytes(StandardCharsets.UTF_8);
        return new Attempt(client, key);
    }

    /** This event loop's idle-connection cache, or null without {@code keepalive}. */
    KeepalivePool pool(EventLoop loop) {
        UpstreamConf.Keepalive k = conf.keepalive();
        if (k.connections() == 0) {
            return null;
        }
        LoopPool l = last; // an immutable pair: a loop that reads another's pair only misses
        if (l != null && l.loop == loop) {
            return l.pool;
        }
        KeepalivePool p = pools.computeIfAbsent(loop, x -> new KeepalivePool(k.connections(), k.requests(),
                k.timeout().toMillis(), k.time().toMillis(), Upstream.monotonicMillis()));
        if (exiting) {
            p.close(); // made while or after exiting() went over the pools: closing twice is harmless
        }
        last = new LoopPool(loop, p);
        return p;
    }

    /**
     * The worker begins a graceful exit: each loop's pool closes its idle connections, on its own loop, and keeps
     * no connection released after that. Any thread.
     */
    void exiting() {
        exiting = true;
        pools.forEach((loop, pool) -> {
            try {
                loop.execute(pool::close);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // the loop has stopped: its channels, these among them, were closed with it
            }
        });
    }
}
