package dev.pier.master;

import dev.pier.config.bind.ListenAddress;
import dev.pier.config.bind.ListenSpec;
import dev.pier.config.bind.SoKeepalive;
import dev.pier.log.ErrorLog;
import dev.pier.os.ListenSockets;
import dev.pier.os.OsException;

import java.net.InetAddress;
import java.util.OptionalInt;

/**
 * The loopback listening socket a worker drills aborted connections on ({@code dev.pier.worker.AbortDrill}): opened
 * by the master, which owns every listening socket (DESIGN.md rule 1), on an ephemeral port of 127.0.0.1, one per
 * worker, handed over after its assignment and then closed in the master: the worker holds the only copy, and
 * nobody's connection but the drill's own is ever queued on it.
 */
public final class DrillSocket {
    private static final ListenSpec SPEC = new ListenSpec(new ListenAddress.Inet(InetAddress.getLoopbackAddress(), 0),
            false, 64, -1, -1, false, true, SoKeepalive.DEFAULT, -1, true);

    private DrillSocket() {
    }

    /** A new drill socket, or empty (reported at info level) when loopback cannot be listened on. */
    public static OptionalInt open(ErrorLog log) {
        try {
            return OptionalInt.of(ListenSockets.open(SPEC));
        } catch (OsException e) {
            log.info("no abort drill for workers: " + e.getMessage());
            return OptionalInt.empty();
        }
    }
}
