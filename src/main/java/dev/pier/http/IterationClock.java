package dev.pier.http;

import io.netty.channel.IoHandle;
import io.netty.channel.IoHandler;
import io.netty.channel.IoHandlerContext;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.IoRegistration;
import io.netty.util.concurrent.ThreadAwareExecutor;

/**
 * An event loop's I/O handler with nginx's clock: each turn of the loop (a wait for events and the handling of what
 * it returned) starts a new {@link EventClock} turn, so the reads of one turn share the reading the first of them took
 * instead of reading the clock twice per connection. Its loops never change threads ({@link #wrap}). Everything else
 * is the wrapped handler's.
 */
public final class IterationClock implements IoHandler {
    private final IoHandler io;

    private IterationClock(IoHandler io) {
        this.io = io;
    }

    /** {@code factory}'s handlers, each wrapped. */
    public static IoHandlerFactory wrap(IoHandlerFactory factory) {
        return new IoHandlerFactory() {
            @Override
            public IoHandler newHandler(ThreadAwareExecutor executor) {
                return new IterationClock(factory.newHandler(executor));
            }

            /**
             * No: a worker's loop keeps its thread (it is never suspended to be resumed on another, which Netty
             * offers to groups that scale their loops). A loop that may be suspended measures how busy it is, two
             * more readings of the clock per turn that handled events.
             */
            @Override
            public boolean isChangingThreadSupported() {
                return false;
            }
        };
    }

    /** For tests: {@code io} wrapped. */
    static IterationClock of(IoHandler io) {
        return new IterationClock(io);
    }

    @Override
    public int run(IoHandlerContext context) {
        EventClock.turnBegins();
        return io.run(context);
    }

    @Override
    public void initialize() {
        io.initialize();
    }

    @Override
    public void prepareToDestroy() {
        io.prepareToDestroy();
    }

    @Override
    public void destroy() {
        io.destroy();
    }

    @Override
    public IoRegistration register(IoHandle handle) throws Exception {
        return io.register(handle);
    }

    @Override
    public void wakeup() {
        io.wakeup();
    }

    @Override
    public boolean isCompatible(Class<? extends IoHandle> handleType) {
        return io.isCompatible(handleType);
    }
}
