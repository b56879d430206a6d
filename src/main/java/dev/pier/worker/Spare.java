package dev.pier.worker;

import dev.pier.cli.Configs;
import dev.pier.cli.Options;
import dev.pier.config.ConfigException;
import dev.pier.config.bind.LogLevel;
import dev.pier.config.bind.PierConfig;
import dev.pier.log.ErrorLog;
import dev.pier.master.WorkerUser;
import dev.pier.os.Posix;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * What a spare worker does before it has a slot, on a thread of its own (so the main thread notices at once when the
 * master goes away): binds the configuration on disk and warms the HTTP pipeline on it, starts the event loop it
 * will serve on (loading the native epoll transport and its server-channel code), and, started by a root master,
 * becomes its worker user right away: a spare never waits as root, and taking over a slot costs none of this.
 * Everything is best effort: what failed here is done, or reported, when the slot comes.
 */
final class Spare {
    private final Thread thread;
    private volatile PierConfig config;
    private volatile EventLoopGroup group;
    /** The user this spare already runs as, when it dropped root during its warm-up. */
    private volatile Optional<WorkerUser> droppedTo = Optional.empty();

    private Spare(Options o) {
        thread = new Thread(() -> warmUp(o), "pier-warmup");
        thread.setDaemon(true);
    }

    static Spare start(Options o) {
        Spare s = new Spare(o);
        s.thread.start();
        return s;
    }

    private void warmUp(Options o) {
        PierConfig onDisk;
        try {
            onDisk = Configs.load(o);
        } catch (ConfigException e) {
            return; // the real configuration comes with the slot
        }
        config = onDisk;
        Warmup.run(onDisk);
        try {
            EventLoopGroup g = WorkerLoop.newGroup();
            EpollServerSocketChannel probe = new EpollServerSocketChannel(); // never bound: only registered
            g.register(probe).syncUninterruptibly();
            probe.close().syncUninterruptibly();
            group = g;
        } catch (RuntimeException | LinkageError e) {
            // the worker starts its own event loop when it takes a slot
        }
        try {
            if (Posix.geteuid() == 0) {
                Optional<WorkerUser> user = WorkerUser.resolve(onDisk.main(), true);
                PrivilegeDrop.apply(user, ErrorLog.stderr(LogLevel.EMERG));
                droppedTo = user;
            }
        } catch (ConfigException | IOException | RuntimeException e) {
            // dropped when the slot comes, or the worker reports why it cannot
        }
    }

    /** Waits for the warm-up to end (a slot that comes during it waits for the rest). */
    void awaitWarm() throws InterruptedException {
        thread.join();
    }

    /** The configuration bound from disk, or null. */
    PierConfig config() {
        return config;
    }

    /** The started event loop for the slot's server, once: the caller owns it. */
    Optional<EventLoopGroup> takeGroup() {
        EventLoopGroup g = group;
        group = null;
        return Optional.ofNullable(g);
    }

    Optional<WorkerUser> droppedTo() {
        return droppedTo;
    }

    /** The {@code -g} directives the spare's configuration was read with, as an Assign lists them. */
    static List<String> globals(Options o) {
        return o.globalDirectives().map(List::of).orElse(List.of());
    }
}
