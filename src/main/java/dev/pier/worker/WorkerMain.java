package dev.pier.worker;

import dev.pier.cli.Options;
import dev.pier.config.ConfigException;
import dev.pier.cli.Configs;
import dev.pier.config.bind.ListenAddress;
import dev.pier.config.bind.ListenSpec;
import dev.pier.config.bind.PierConfig;
import dev.pier.ipc.ControlChannel;
import dev.pier.ipc.ControlMessage;
import dev.pier.log.ErrorLog;
import dev.pier.master.ConfigReader;
import dev.pier.master.WorkerUser;
import dev.pier.os.Fds;
import dev.pier.os.Posix;
import dev.pier.os.ProcessTitle;

import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * A worker JVM's life: connect to the master's control socket, say hello, receive the slot's sockets and the config
 * to serve, report ready, then obey {@code Quit}/{@code ReopenLogs} until told to go. When the master's connection
 * closes (the master died) the worker stops at once: no orphan keeps serving an old configuration.
 */
public final class WorkerMain {
    private WorkerMain() {
    }

    public static int run(Options o) {
        Options.WorkerArgs args = o.worker().orElseThrow();
        long pid = ProcessHandle.current().pid();
        ProcessTitle.set(args.slot() < 0 ? "pier:spare" : "pier:s" + args.slot() + ":g" + args.generation());
        // a spare warms up (and gives up root) while it waits for a slot, see Spare
        Spare spare = args.slot() < 0 ? Spare.start(o) : null;
        ControlChannel ch;
        ControlMessage.Assign assign = null;
        int[] fds = null;
        long assignedAt = 0;
        try {
            ch = ControlChannel.connect(args.controlSocket());
            ch.send(new ControlMessage.Hello(ControlMessage.Role.WORKER, pid));
            while (assign == null) {
                ControlChannel.Received r = ch.receive();
                switch (r.message()) {
                    case ControlMessage.Assign a -> {
                        assign = a;
                        fds = r.fds();
                        assignedAt = System.nanoTime();
                        if (spare != null) {
                            spare.awaitWarm(); // a slot that comes during warm-up waits for the rest of it
                        }
                    }
                    case ControlMessage.Quit q -> {
                        return 0;
                    }
                    default -> {
                        for (int fd : r.fds()) {
                            Fds.closeQuietly(fd);
                        }
                    }
                }
            }
        } catch (java.io.EOFException e) {
            Runtime.getRuntime().halt(0); // the master went away before this worker had a slot
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        } catch (IOException e) {
            System.err.println("pier: [alert] worker " + pid + ": cannot reach the master: " + e.getMessage());
            return 1;
        }

        // a spare's command line says slot -1 for life; its title tells what it serves now
        ProcessTitle.set("pier:s" + assign.slot() + ":g" + assign.generation());
        PierConfig config;
        ErrorLog log;
        try {
            PierConfig warm = spare != null ? spare.config() : null;
            config = sameAs(warm, Spare.globals(o), assign) ? warm : ConfigReader.replay(assign.config(),
                    Path.of(assign.configFile()), Path.of(assign.prefix()), assign.globalDirectives());
            log = ErrorLog.open(config.main().errorLogs(), false);
        } catch (ConfigException | IOException e) {
            System.err.println("pier: [emerg] worker " + pid + ": " + e.getMessage());
            return 1;
        }
        Optional<WorkerUser> user;
        try {
            Optional<WorkerUser> dropped = spare != null ? spare.droppedTo() : Optional.empty();
            if (dropped.isPresent()) {
                // this spare gave up root while warming up, for the user of the configuration on disk
                boolean same = config == spare.config() || WorkerUser.resolve(config.main(), true).equals(dropped);
                if (!same) {
                    log.emerg("this spare already runs as " + dropped.get() + ", not as the user its slot's "
                            + "configuration names; exiting (the master starts another worker)");
                    return 1;
                }
                log.info("worker process runs as " + dropped.get());
                user = Optional.empty();
            } else {
                user = WorkerUser.resolve(config.main(), Posix.geteuid() == 0);
            }
        } catch (ConfigException e) {
            log.emerg(e.getMessage());
            return 1;
        }
        if (!addresses(config).equals(assign.listeners().stream().map(ListenSpec::address).toList())) {
            log.emerg("the master's configuration and its listening sockets disagree; exiting");
            return 1;
        }

        long boundAt = System.nanoTime();
        WorkerServer server;
        try {
            // sockets adopted and log files open: give up root before the first connection (nginx's order)
            Optional<io.netty.channel.EventLoopGroup> group = spare != null ? spare.takeGroup() : Optional.empty();
            server = WorkerServer.start(config, fds, log, () -> PrivilegeDrop.apply(user, log), group);
        } catch (Exception e) {
            log.emerg("worker " + pid + " could not start serving: " + e);
            return 1;
        }
        try {
            ch.send(new ControlMessage.Ready(pid));
        } catch (IOException e) {
            server.closeNow();
            return 1;
        }
        long readyAt = System.nanoTime();
        log.info("serving slot " + assign.slot() + " of generation " + assign.generation() + ", "
                + (readyAt - assignedAt) / 1_000_000 + " ms after its assignment (configuration "
                + (spare != null && config == spare.config() ? "from the warm-up" : "bound") + " in " + (boundAt - assignedAt) / 1_000_000
                + " ms, server started in " + (readyAt - boundAt) / 1_000_000 + " ms)");
        return obey(ch, server, config, log);
    }

    /**
     * Whether the configuration a spare bound while warming up is the one it was assigned: read from the same bytes
     * (which the snapshots compare), with the same prefix and {@code -g} directives. Then binding it again is skipped.
     */
    static boolean sameAs(PierConfig warm, java.util.List<String> warmGlobals, ControlMessage.Assign assign) {
        return warm != null && warm.source().equals(assign.config())
                && warm.file().toString().equals(assign.configFile())
                && warm.prefix().toString().equals(assign.prefix())
                && warmGlobals.equals(assign.globalDirectives());
    }

    private static java.util.List<ListenAddress> addresses(PierConfig config) {
        return config.listenSpecs().stream().map(ListenSpec::address).toList();
    }

    private static int obey(ControlChannel ch, WorkerServer server, PierConfig config, ErrorLog log) {
        while (true) {
            ControlMessage m;
            int[] fds;
            try {
                ControlChannel.Received r = ch.receive();
                m = r.message();
                fds = r.fds();
            } catch (EOFException e) {
                log.alert("master process is gone; worker exiting");
                closeWithin(server, MASTER_GONE_CLOSE_MILLIS);
                Runtime.getRuntime().halt(0); // at once: no orphan may keep serving (access logs are flushed above)
                return 0;
            } catch (IOException e) {
                log.alert("control channel failed: " + e.getMessage() + "; worker exiting");
                closeWithin(server, MASTER_GONE_CLOSE_MILLIS);
                return 1;
            }
            switch (m) {
                case ControlMessage.Quit q when q.graceful() -> {
                    log.notice("gracefully shutting down");
                    CompletableFuture<Void> done = server.shutdownGracefully(config.main().workerShutdownTimeout());
                    watchMasterWhileDraining(ch, server);
                    done.join();
                    log.notice("exiting");
                    return 0;
                }
                case ControlMessage.Quit q -> {
                    server.closeNow();
                    return 0;
                }
                case ControlMessage.Retire r -> {
                    log.notice("retiring: draining " + r.listeners().size() + " listening sockets");
                    CompletableFuture<Void> done = server.retire(r.listeners(), r.quietMillis())
                            .thenCompose(v -> server.shutdownGracefully(config.main().workerShutdownTimeout()));
                    watchMasterWhileDraining(ch, server);
                    done.join();
                    log.notice("exiting");
                    return 0;
                }
                case ControlMessage.ReopenLogs r -> {
                    try {
                        log.reopen();
                    } catch (IOException e) {
                        log.alert("reopen of the error log failed: " + e.getMessage());
                    }
                    server.reopenLogs();
                }
                case ControlMessage.WarmUp w -> server.drillAborts(fds[0], log);
                default -> {
                    Fds.closeQuietly(fds);
                    log.warn("unexpected control message " + m);
                }
            }
        }
    }

    /** How long a worker whose master vanished may spend closing before it simply ends. */
    static final long MASTER_GONE_CLOSE_MILLIS = 300;

    /**
     * Closes everything, but never waits longer than {@code millis}: a worker must not outlive its master because an
     * event loop is stuck (DESIGN.md: no orphan keeps serving an old configuration).
     */
    static void closeWithin(WorkerServer server, long millis) {
        Thread closer = new Thread(server::closeNow, "pier-close");
        closer.setDaemon(true);
        closer.start();
        try {
            closer.join(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** While draining, a fast stop from the master (or its death) still ends the worker at once. */
    private static void watchMasterWhileDraining(ControlChannel ch, WorkerServer server) {
        Thread t = new Thread(() -> {
            while (true) {
                try {
                    ControlChannel.Received r = ch.receive();
                    Fds.closeQuietly(r.fds()); // a drill's socket comes too late to be used now
                    if (r.message() instanceof ControlMessage.Quit q && !q.graceful()) {
                        break;
                    }
                } catch (IOException e) {
                    break;
                }
            }
            closeWithin(server, MASTER_GONE_CLOSE_MILLIS);
            Runtime.getRuntime().halt(0);
        }, "pier-master-watch");
        t.setDaemon(true);
        t.start();
    }
}
