package dev.pier.http.limits;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.util.concurrent.GenericFutureListener;

import java.util.ArrayList;
import java.util.List;

/**
 * The {@code limit_conn} counts one request holds: given back once, when its log phase runs (nginx's pool cleanup
 * at the end of the request) or, should the request never reach it, when its connection closes.
 */
final class Held implements GenericFutureListener<ChannelFuture> {
    private final Channel channel;
    private final List<ConnZone> zones = new ArrayList<>(2);
    private final List<Long> hashes = new ArrayList<>(2);
    private boolean released;
    private boolean watching;

    Held(Channel channel) {
        this.channel = channel;
    }

    void add(ConnZone zone, long hash) {
        zones.add(zone);
        hashes.add(hash);
    }

    void watch() {
        watching = true;
        channel.closeFuture().addListener(this);
    }

    @Override
    public void operationComplete(ChannelFuture f) {
        release();
    }

    void release() {
        if (released) {
            return;
        }
        released = true;
        for (int i = 0; i < zones.size(); i++) {
            zones.get(i).release(hashes.get(i));
        }
        if (watching) {
            channel.closeFuture().removeListener(this);
        }
    }
}
