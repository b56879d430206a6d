package dev.pier.master;

import dev.pier.log.ErrorLog;
import dev.pier.os.OsException;
import dev.pier.os.Signal;
import dev.pier.os.SignalFd;

import java.util.EnumSet;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Delivers the master's signals as events. Started by {@code bin/pier}, every JVM thread has the signals blocked and
 * one thread reads them from a signalfd (DESIGN.md "Signals"); started any other way, {@code sun.misc.Signal} handles
 * the ones the JVM lets go (HUP, INT, TERM, USR1, USR2, WINCH; QUIT stays the JVM's thread dump).
 */
public final class SignalSource {
    static final Set<Signal> HANDLED = EnumSet.of(Signal.HUP, Signal.INT, Signal.TERM, Signal.QUIT, Signal.USR1,
            Signal.USR2, Signal.WINCH);

    private SignalSource() {
    }

    private static boolean allBlocked() {
        try {
            for (Signal s : HANDLED) {
                if (!SignalFd.isBlocked(s)) {
                    return false;
                }
            }
            return true;
        } catch (OsException e) {
            return false;
        }
    }

    /** Starts delivering; returns a description of the route taken, for the log. */
    public static String start(Consumer<MasterEvent> events, ErrorLog log) {
        if (allBlocked()) {
            try {
                SignalFd fd = SignalFd.open(HANDLED);
                Thread t = new Thread(() -> {
                    while (true) {
                        try {
                            events.accept(new MasterEvent.Signalled(fd.read()));
                        } catch (Exception e) {
                            log.alert("signalfd read failed: " + e.getMessage());
                            return;
                        }
                    }
                }, "pier-signals");
                t.setDaemon(true);
                t.start();
                return "signalfd";
            } catch (Exception e) {
                log.alert("signalfd() failed, falling back to JVM signal handlers: " + e.getMessage());
            }
        }
        for (Signal s : HANDLED) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal(s.name()),
                        sig -> events.accept(new MasterEvent.Signalled(s)));
            } catch (IllegalArgumentException e) {
                // the JVM keeps this one (QUIT without -Xrs); `pier -s` still works through the control socket
            }
        }
        return "jvm";
    }
}
