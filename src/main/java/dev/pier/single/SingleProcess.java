package dev.pier.single;

import dev.pier.config.ConfigException;
import dev.pier.config.bind.PierConfig;
import dev.pier.ipc.ControlMessage;
import dev.pier.ipc.ControlServer;
import dev.pier.log.ErrorLog;
import dev.pier.master.ControlAcceptor;
import dev.pier.master.DrillSocket;
import dev.pier.master.SocketTable;
import dev.pier.master.Master;
import dev.pier.master.MasterEvent;
import dev.pier.master.PidFile;
import dev.pier.master.SignalSource;
import dev.pier.os.Fds;
import dev.pier.worker.WorkerServer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * {@code master_process off}: one JVM that opens the sockets like a master and serves them like a worker, through
 * the same {@link SocketTable} and {@link WorkerServer} code. For development and tests, as in nginx.
 */
public final class SingleProcess {
    private SingleProcess() {
    }

    public static int run(PierConfig config, ErrorLog log)
            throws IOException, InterruptedException, ConfigException {
        long pid = ProcessHandle.current().pid();
        try (SocketTable sockets = SocketTable.open(config.listenSpecs(), 1)) {
            int[] master = sockets.fdsForSlot(config.listenSpecs(), 0);
            int[] mine = new int[master.length];
            for (int i = 0; i < master.length; i++) {
                mine[i] = Fds.dup(master[i]);
            }
            BlockingQueue<MasterEvent> events = new LinkedBlockingQueue<>();
            Path controlPath = Master.controlSocketPath(config);
            ControlAcceptor acceptor = new ControlAcceptor(ControlServer.listen(controlPath), events::add, log);
            acceptor.start();
            String route = SignalSource.start(events::add, log);
            WorkerServer server = WorkerServer.start(config, mine, log);
            // one drill per JVM: a reload's new server runs on code the first one's traffic compiled
            DrillSocket.open(log).ifPresent(fd -> server.drillAborts(fd, log));
            PidFile.write(config.main().pid(), pid);
            log.notice("pier/" + dev.pier.PierVersion.VERSION + " single process " + pid + " started, signals via "
                    + route);
            try {
                loop(events, server, config, log);
            } finally {
                acceptor.close();
                Files.deleteIfExists(controlPath);
                PidFile.removeIfOurs(config.main().pid(), pid);
            }
        }
        log.notice("exit");
        return 0;
    }

    private static void loop(BlockingQueue<MasterEvent> events, WorkerServer server, PierConfig config,
                             ErrorLog log) throws InterruptedException {
        while (true) {
            String what = switch (events.take()) {
                case MasterEvent.Signalled s -> switch (s.signal()) {
                    case TERM, INT -> "stop";
                    case QUIT -> "quit";
                    case USR1 -> "reopen";
                    default -> "";
                };
                case MasterEvent.Command c -> {
                    boolean known = c.name().equals("stop") || c.name().equals("quit") || c.name().equals("reopen");
                    try (var ch = c.channel()) {
                        ch.send(new ControlMessage.CommandResult(known,
                                known ? "" : "\"" + c.name() + "\" is not supported with master_process off"));
                    } catch (Exception ignored) {
                        // the client left
                    }
                    yield known ? c.name() : "";
                }
                case MasterEvent.WorkerHello h -> {
                    try {
                        h.channel().close();
                    } catch (Exception ignored) {
                        // refused
                    }
                    yield "";
                }
                default -> "";
            };
            switch (what) {
                case "stop" -> {
                    server.closeNow();
                    return;
                }
                case "quit" -> {
                    log.notice("gracefully shutting down");
                    server.shutdownGracefully(config.main().workerShutdownTimeout()).join();
                    return;
                }
                case "reopen" -> {
                    try {
                        log.reopen();
                    } catch (IOException e) {
                        log.alert("cannot reopen the error log: " + e.getMessage());
                    }
                    server.reopenLogs();
                }
                default -> {
                }
            }
        }
    }
}
