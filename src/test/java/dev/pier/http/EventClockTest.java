package dev.pier.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.DefaultEventLoop;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;

class EventClockTest {
    private static final long PAUSE = TimeUnit.MILLISECONDS.toNanos(3);

    @Test
    void outsideAnEventEveryReadingIsFresh() {
        long a = EventClock.nanoTime();
        pause();
        assertThat(EventClock.nanoTime() - a).isGreaterThanOrEqualTo(PAUSE);
    }

    @Test
    void withinAnEventEveryReadingIsTheOneTakenWhenItBegan() {
        long before = System.nanoTime();
        EventClock.Event e = EventClock.begin();
        long after = System.nanoTime();
        long first;
        try {
            first = EventClock.nanoTime();
            assertThat(first).isBetween(before, after);
            pause();
            assertThat(EventClock.nanoTime()).isEqualTo(first);
            assertThat(EventClock.millis()).isEqualTo(first / 1_000_000);
        } finally {
            e.close();
        }
        assertThat(EventClock.nanoTime() - first).as("fresh again once the event is over")
                .isGreaterThanOrEqualTo(PAUSE);
    }

    @Test
    void aNestedEventKeepsTheOuterReadingAndTheNextEventTakesANewOne() {
        EventClock.Event outer = EventClock.begin();
        long first = EventClock.nanoTime();
        pause();
        EventClock.Event inner = EventClock.begin();
        assertThat(EventClock.nanoTime()).isEqualTo(first);
        inner.close();
        assertThat(EventClock.nanoTime()).as("the outer event is still under way").isEqualTo(first);
        outer.close();

        EventClock.Event next = EventClock.begin();
        try {
            assertThat(EventClock.nanoTime() - first).isGreaterThanOrEqualTo(PAUSE);
        } finally {
            next.close();
        }
    }

    @Test
    void eachThreadHasItsOwnEvent() throws Exception {
        EventClock.Event e = EventClock.begin();
        try {
            long mine = EventClock.nanoTime();
            pause();
            long[] other = new long[1];
            Thread t = Thread.ofPlatform().start(() -> other[0] = EventClock.nanoTime());
            t.join();
            assertThat(other[0] - mine).isGreaterThanOrEqualTo(PAUSE);
        } finally {
            e.close();
        }
    }

    @Test
    void aLoopTimerOnTheSystemClockReadsTheEventsClock() throws Exception {
        DefaultEventLoop loop = new DefaultEventLoop();
        try {
            LoopTimer timer = new LoopTimer(loop, () -> { });
            long[] readings = loop.submit(() -> {
                long outside = timer.now();
                pause();
                EventClock.Event e = EventClock.begin();
                try {
                    long a = timer.now();
                    pause();
                    return new long[] {outside, a, timer.now()};
                } finally {
                    e.close();
                }
            }).get(5, TimeUnit.SECONDS);
            assertThat(readings[1] - readings[0]).isGreaterThanOrEqualTo(PAUSE);
            assertThat(readings[2]).isEqualTo(readings[1]);
        } finally {
            loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }

    @Test
    void theClientsRequestIsHandledWithinOneEvent() {
        List<long[]> seen = new ArrayList<>();
        EmbeddedChannel ch = Wire.channel(Fixtures.runtime(Fixtures.serverConf(Fixtures.server().nest(
                Fixtures.exact("/hello").ret(200, "hello")), "example.com")));
        ch.pipeline().addAfter("decoder", "probe", new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                long a = EventClock.nanoTime();
                pause();
                seen.add(new long[] {a, EventClock.nanoTime()});
                ctx.fireChannelRead(msg);
            }
        });
        ch.writeInbound(Unpooled.copiedBuffer(Wire.get("/hello"), StandardCharsets.US_ASCII));
        assertThat(seen).isNotEmpty().allSatisfy(r -> assertThat(r[1]).isEqualTo(r[0]));
        Object out;
        while ((out = ch.readOutbound()) != null) {
            ReferenceCountUtil.release(out);
        }
        ch.finishAndReleaseAll();
    }

    /** CONFIG.md's promise: a request answered within the read that brought it logs {@code $request_time} 0.000. */
    @Test
    void aRequestAnsweredWithinItsReadTakesNoTime() {
        EmbeddedChannel ch = Wire.channel(Fixtures.runtime(Fixtures.serverConf(Fixtures.server().nest(
                Fixtures.exact("/time").ret(200, "$request_time")), "example.com")));
        ch.pipeline().addAfter("decoder", "slow", new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                pause(); // work done within the read: a fresh clock would count it
                ctx.fireChannelRead(msg);
            }
        });
        assertThat(Wire.roundTrip(ch, Wire.get("/time"))).endsWith("\r\n\r\n0.000");
        ch.finishAndReleaseAll();
    }

    private static void pause() {
        long until = System.nanoTime() + PAUSE;
        while (System.nanoTime() - until < 0) {
            LockSupport.parkNanos(until - System.nanoTime());
        }
    }
}
