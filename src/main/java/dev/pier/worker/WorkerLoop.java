package dev.pier.worker;

import dev.pier.http.IterationClock;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;

/** A worker's one event loop: epoll, with the clock read once per turn of the loop ({@link IterationClock}). */
final class WorkerLoop {
    private WorkerLoop() {
    }

    static EventLoopGroup newGroup() {
        return new MultiThreadIoEventLoopGroup(1, IterationClock.wrap(EpollIoHandler.newFactory()));
    }
}
