package dev.pier.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.IllegalReferenceCountException;
import io.netty.util.concurrent.FastThreadLocalThread;
import io.netty.util.internal.PlatformDependent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import static dev.pier.http.Fixtures.prefix;
import static dev.pier.http.Fixtures.server;
import static dev.pier.http.Fixtures.serverConf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A thread's shelf hands its buffers out again once released on that thread, and nothing else; with Netty's
 * {@code Unsafe} (as workers run, and these tests) and without.
 */
class LoopAllocatorTest {
    private LoopAllocator alloc;

    static List<Boolean> unsafe() {
        return PlatformDependent.hasUnsafe() ? List.of(true, false) : List.of(false);
    }

    @ParameterizedTest
    @MethodSource("unsafe")
    void aReleasedBufferIsHandedOutAgainAsNew(boolean unsafe) {
        alloc = new LoopAllocator(ByteBufAllocator.DEFAULT, unsafe);
        ByteBuf first = alloc.directBuffer(100);
        first.writeBytes(new byte[50]).readerIndex(20).markReaderIndex().markWriterIndex();
        ByteBuf shelved = real(first);
        assertThat(shelved.alloc()).isSameAs(alloc);
        first.release();

        ByteBuf again = alloc.ioBuffer(300);
        try {
            assertThat(real(again)).isSameAs(shelved);
            assertThat(again.refCnt()).isEqualTo(1);
            assertThat(again.readerIndex()).isZero();
            assertThat(again.writerIndex()).isZero();
            assertThat(again.capacity()).isEqualTo(LoopAllocator.SIZE);
            again.writeByte(1).readByte();
            assertThat(again.resetReaderIndex().readerIndex()).isZero();
            assertThat(again.resetWriterIndex().writerIndex()).isZero();
        } finally {
            again.release();
        }
    }

    @ParameterizedTest
    @MethodSource("unsafe")
    void onTheShelfABufferCannotBeUsed(boolean unsafe) {
        alloc = new LoopAllocator(ByteBufAllocator.DEFAULT, unsafe);
        ByteBuf b = alloc.directBuffer(10);
        ByteBuf shelved = real(b);
        b.release();
        assertThat(shelved.refCnt()).isZero();
        assertThatThrownBy(() -> shelved.getByte(0)).isInstanceOf(IllegalReferenceCountException.class);
    }

    @ParameterizedTest
    @MethodSource("unsafe")
    void largeBoundedAndHeapBuffersComeFromNettysAllocator(boolean unsafe) {
        alloc = new LoopAllocator(ByteBufAllocator.DEFAULT, unsafe);
        List<ByteBuf> bufs = List.of(alloc.directBuffer(LoopAllocator.SIZE + 1), alloc.directBuffer(10, 100),
                alloc.heapBuffer(10));
        try {
            for (ByteBuf b : bufs) {
                assertThat(real(b).alloc()).isNotSameAs(alloc);
            }
            assertThat(bufs.get(2).isDirect()).isFalse();
        } finally {
            bufs.forEach(ByteBuf::release);
        }
    }

    @ParameterizedTest
    @MethodSource("unsafe")
    void aThreadKeepsAtMostItsShelfAndThenAsksNetty(boolean unsafe) {
        alloc = new LoopAllocator(ByteBufAllocator.DEFAULT, unsafe);
        List<ByteBuf> out = take(LoopAllocator.KEPT + 1);
        Set<ByteBuf> shelf = identities(out.subList(0, LoopAllocator.KEPT));
        assertThat(shelf).hasSize(LoopAllocator.KEPT).allSatisfy(b -> assertThat(b.alloc()).isSameAs(alloc));
        assertThat(real(out.getLast()).alloc()).isNotSameAs(alloc);
        out.forEach(ByteBuf::release);

        List<ByteBuf> again = take(LoopAllocator.KEPT);
        assertThat(identities(again)).isEqualTo(shelf);
        again.forEach(ByteBuf::release);
    }

    @ParameterizedTest
    @MethodSource("unsafe")
    void aBufferReleasedOnAnotherThreadIsFreedAndReplaced(boolean unsafe) {
        alloc = new LoopAllocator(ByteBufAllocator.DEFAULT, unsafe);
        List<ByteBuf> out = take(LoopAllocator.KEPT);
        ByteBuf away = out.removeLast();
        ByteBuf awayReal = real(away);
        CompletableFuture.runAsync(away::release).join();
        assertThat(awayReal.refCnt()).isZero();

        ByteBuf next = alloc.directBuffer(10);
        assertThat(real(next)).isNotSameAs(awayReal);
        assertThat(real(next).alloc()).isSameAs(alloc); // a new shelf buffer in place of the lost one
        next.release();
        out.forEach(ByteBuf::release);
        List<ByteBuf> again = take(LoopAllocator.KEPT);
        Set<ByteBuf> shelf = identities(again); // by identity: empty buffers are all equal
        assertThat(shelf).hasSize(LoopAllocator.KEPT);
        assertThat(shelf.contains(awayReal)).isFalse();
        again.forEach(ByteBuf::release);
    }

    @ParameterizedTest
    @MethodSource("unsafe")
    void aGrownBufferIsFreedNotShelved(boolean unsafe) {
        alloc = new LoopAllocator(ByteBufAllocator.DEFAULT, unsafe);
        ByteBuf b = alloc.directBuffer(10);
        ByteBuf grown = real(b);
        b.writeBytes(new byte[LoopAllocator.SIZE + 1]);
        assertThat(grown.capacity()).isGreaterThan(LoopAllocator.SIZE);
        b.release();

        ByteBuf next = alloc.directBuffer(10);
        try {
            assertThat(real(next)).isNotSameAs(grown);
            assertThat(real(next).alloc()).isSameAs(alloc);
            assertThat(next.capacity()).isEqualTo(LoopAllocator.SIZE);
        } finally {
            next.release();
        }
    }

    @ParameterizedTest
    @MethodSource("unsafe")
    void aThreadThatEndsFreesTheBuffersOnItsShelf(boolean unsafe) throws Exception {
        BufferPoolMXBean direct = ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
                .filter(p -> p.getName().equals("direct")).findFirst().orElseThrow();
        alloc = new LoopAllocator(ByteBufAllocator.DEFAULT, unsafe);
        long before = direct.getCount();
        long[] shelved = new long[1];
        Thread t = new FastThreadLocalThread(() -> {
            take(LoopAllocator.KEPT).forEach(ByteBuf::release); // all of them back on this thread's shelf
            shelved[0] = direct.getCount();
        });
        t.start();
        t.join();
        assertThat(shelved[0]).as("kept while the thread lives").isEqualTo(before + LoopAllocator.KEPT);
        assertThat(direct.getCount()).as("freed when it ends, not left to the collector").isEqualTo(before);
    }

    @Test
    void everyClientConnectionUsesIt() {
        HttpRuntime rt = Fixtures.runtime(serverConf(server().nest(prefix("/").ret(200, "ok")), "example.com"));
        EmbeddedChannel ch = Wire.channel(rt);
        try {
            assertThat(ch.alloc()).isSameAs(LoopAllocator.forConnections());
            assertThat(Wire.roundTrip(ch, Wire.get("/"))).startsWith("HTTP/1.1 200 OK").endsWith("\r\n\r\nok");
        } finally {
            ch.finishAndReleaseAll();
        }
    }

    private List<ByteBuf> take(int n) {
        List<ByteBuf> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(alloc.directBuffer(64));
        }
        return out;
    }

    /** The buffer itself, not the leak detector's wrapper (tests sample buffers for leaks). */
    private static ByteBuf real(ByteBuf b) {
        ByteBuf inner = b.unwrap();
        return inner == null ? b : inner;
    }

    private static Set<ByteBuf> identities(List<ByteBuf> bufs) {
        Set<ByteBuf> s = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        bufs.forEach(b -> s.add(real(b)));
        return s;
    }
}
