package dev.pier.os;

import java.util.EnumSet;

/**
 * Run by {@link SignalFdTest} in a child JVM started with USR1 blocked: reports whether the mask reached its threads,
 * then prints each signal it reads from a signalfd.
 */
public final class SignalFdChild {
    private SignalFdChild() {
    }

    public static void main(String[] args) throws Exception {
        try (SignalFd fd = SignalFd.open(EnumSet.of(Signal.USR1, Signal.HUP))) {
            System.out.println("ready blocked=" + SignalFd.isBlocked(Signal.USR1));
            System.out.flush();
            System.out.println("got " + fd.read());
            System.out.flush();
        }
    }
}
