package dev.pier.master;

import dev.pier.ipc.ControlChannel;
import dev.pier.ipc.ControlMessage;

import java.io.IOException;
import java.util.function.Consumer;

/** The master's ways with a control connection: answer a client, read a peer without blocking the loop, close. */
final class ControlLinks {
    private ControlLinks() {
    }

    /** Answers a {@code pier -s} client and closes its connection; {@code ch} null (a signal asked): nobody to tell. */
    static void answer(ControlChannel ch, boolean ok, String message) {
        if (ch == null) {
            return;
        }
        try (ch) {
            ch.send(new ControlMessage.CommandResult(ok, message));
        } catch (Exception ignored) {
            // the client went away; the outcome stands
        }
    }

    /**
     * Reads {@code ch} on a daemon thread of its own (the master's loop never blocks on a peer), handing each message
     * to {@code onMessage} and running {@code onEnd} (if any; it should only post an event) when the peer goes away.
     */
    static void readInBackground(String name, ControlChannel ch, Consumer<ControlMessage> onMessage,
                                 Runnable onEnd) {
        Thread t = new Thread(() -> {
            try {
                while (true) {
                    onMessage.accept(ch.receive().message());
                }
            } catch (IOException eof) {
                if (onEnd != null) {
                    onEnd.run();
                }
            }
        }, name);
        t.setDaemon(true);
        t.start();
    }

    static void closeQuietly(ControlChannel ch) {
        if (ch == null) {
            return;
        }
        try {
            ch.close();
        } catch (Exception ignored) {
            // already closed
        }
    }
}
