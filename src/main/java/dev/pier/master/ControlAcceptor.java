package dev.pier.master;

import dev.pier.ipc.ControlChannel;
import dev.pier.ipc.ControlMessage;
import dev.pier.ipc.ControlServer;
import dev.pier.log.ErrorLog;

import java.io.IOException;
import java.util.function.Consumer;

/**
 * Accepts connections on the control socket (mode 0600, peers of another uid refused by {@link ControlServer}) and
 * turns each one's first message into a master event: a worker's {@code Hello} or a client's {@code Command}.
 * Each connection's first read happens on its own short-lived thread so a silent peer cannot stall the others.
 */
public final class ControlAcceptor {
    private final ControlServer server;
    private final Consumer<MasterEvent> events;
    private final ErrorLog log;
    private volatile boolean closed;

    public ControlAcceptor(ControlServer server, Consumer<MasterEvent> events, ErrorLog log) {
        this.server = server;
        this.events = events;
        this.log = log;
    }

    public void start() {
        Thread t = new Thread(this::acceptLoop, "pier-control");
        t.setDaemon(true);
        t.start();
    }

    private void acceptLoop() {
        while (!closed) {
            ControlServer.Accepted a;
            try {
                a = server.acceptTrusted();
            } catch (ControlServer.RefusedPeerException e) {
                log.alert("control connection from uid " + e.peer().uid() + " (pid " + e.peer().pid()
                        + ") refused: not the master's user");
                continue;
            } catch (IOException e) {
                if (!closed) {
                    log.alert("accept() on control socket failed: " + e.getMessage());
                }
                return;
            }
            Thread h = new Thread(() -> handshake(a), "pier-control-" + a.peer().pid());
            h.setDaemon(true);
            h.start();
        }
    }

    private void handshake(ControlServer.Accepted a) {
        ControlChannel ch = a.channel();
        try {
            ControlChannel.Received first = ch.receive();
            switch (first.message()) {
                case ControlMessage.Hello hello when hello.role() == ControlMessage.Role.WORKER ->
                        events.accept(new MasterEvent.WorkerHello(ch, a.peer().pid()));
                case ControlMessage.Command c -> events.accept(new MasterEvent.Command(c.name(), ch));
                default -> ch.close();
            }
        } catch (IOException e) {
            try {
                ch.close();
            } catch (Exception ignored) {
                // peer gone
            }
        }
    }

    public void close() {
        closed = true;
        try {
            server.close();
        } catch (Exception ignored) {
            // closing
        }
    }
}
