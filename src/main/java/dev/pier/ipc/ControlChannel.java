package dev.pier.ipc;

import dev.pier.os.Fds;
import dev.pier.os.OsException;
import dev.pier.os.PeerCred;
import dev.pier.os.UnixSockets;

import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A blocking control connection over a connected Unix stream socket. Each {@link #send} is one sendmsg carrying one
 * frame and its descriptors. Receiving keeps a byte buffer and a FIFO of descriptors: the kernel delivers a message's
 * descriptors with the read that returns its first byte, which is the frame's header, so by the time a frame is complete
 * its descriptors are at the head of the FIFO, after those of earlier frames.
 *
 * <p>Threads: any number may send (a lock keeps frames whole); one thread receives. {@link #close} from another thread
 * shuts the socket down first, so a blocked receive returns (EOF) instead of reading a recycled descriptor number.
 */
public final class ControlChannel implements AutoCloseable {
    private static final int READ_CHUNK = 64 * 1024;

    /** A decoded message and the descriptors that came with it (owned by the caller, close-on-exec). */
    public record Received(ControlMessage message, int[] fds) {
        public Received {
            Objects.requireNonNull(message, "message");
            Objects.requireNonNull(fds, "fds");
        }
    }

    private final int fd;
    private final ReentrantLock sendLock = new ReentrantLock();
    private final ArrayDeque<Integer> pendingFds = new ArrayDeque<>();
    private byte[] buffer = new byte[READ_CHUNK];
    private int start;
    private int end;
    private volatile boolean closed;

    /** Takes ownership of a connected Unix stream socket. */
    public ControlChannel(int fd) {
        this.fd = fd;
    }

    /** Connects to a control socket, e.g. the master's. */
    public static ControlChannel connect(Path path) throws OsException {
        return new ControlChannel(UnixSockets.connect(path));
    }

    public int fd() {
        return fd;
    }

    /** The connected process's credentials (SO_PEERCRED). */
    public PeerCred peer() throws OsException {
        return UnixSockets.peerCred(fd);
    }

    /**
     * Sends {@code message} with {@code fds} (the receiver gets duplicates; the caller keeps and still owns these).
     * Their number must be {@code message.fdCount()}.
     */
    public void send(ControlMessage message, int... fds) throws IOException {
        if (fds.length != message.fdCount()) {
            throw new IllegalArgumentException(message.getClass().getSimpleName() + " carries "
                    + message.fdCount() + " descriptors, got " + fds.length);
        }
        byte[] frame = FrameCodec.encode(message);
        sendLock.lock();
        try {
            UnixSockets.sendmsg(fd, frame, fds);
        } finally {
            sendLock.unlock();
        }
    }

    /**
     * Blocks for the next message. Throws EOFException when the peer closed the connection between frames, and
     * IOException for a frame cut short or malformed (the connection is then unusable: close it).
     */
    public Received receive() throws IOException {
        if (closed) {
            throw new EOFException("control channel closed");
        }
        while (true) {
            int available = end - start;
            if (available >= FrameCodec.HEADER) {
                FrameCodec.Header h = FrameCodec.header(buffer, start);
                int total = FrameCodec.HEADER + h.length();
                if (available >= total) {
                    return take(h, total);
                }
                ensureRoom(total);
            } else {
                ensureRoom(FrameCodec.HEADER);
            }
            fill();
        }
    }

    private Received take(FrameCodec.Header h, int total) throws IOException {
        ControlMessage m = FrameCodec.decodePayload(buffer, start + FrameCodec.HEADER, h.length());
        start += total;
        if (m.fdCount() != h.fdCount()) {
            throw new IOException("bad control frame: " + m.getClass().getSimpleName() + " needs " + m.fdCount()
                    + " descriptors, header says " + h.fdCount());
        }
        if (pendingFds.size() < h.fdCount()) {
            throw new IOException("control frame announced " + h.fdCount() + " descriptors, "
                    + pendingFds.size() + " arrived");
        }
        int[] fds = new int[h.fdCount()];
        synchronized (pendingFds) {
            for (int i = 0; i < fds.length; i++) {
                fds[i] = pendingFds.removeFirst();
            }
        }
        return new Received(m, fds);
    }

    /** Makes room for {@code frameBytes} from {@code start}: compacts, then grows (bounded by MAX_FRAME + HEADER). */
    private void ensureRoom(int frameBytes) {
        if (start > 0 && buffer.length - start < Math.max(frameBytes, READ_CHUNK)) {
            System.arraycopy(buffer, start, buffer, 0, end - start);
            end -= start;
            start = 0;
        }
        if (buffer.length < frameBytes) {
            buffer = Arrays.copyOf(buffer, frameBytes);
        }
    }

    private void fill() throws IOException {
        int room = buffer.length - end;
        UnixSockets.Received r = UnixSockets.recvmsg(fd, room, FrameCodec.MAX_FDS);
        synchronized (pendingFds) {
            if (closed) {
                Fds.closeQuietly(r.fds());
                throw new EOFException("control channel closed");
            }
            for (int received : r.fds()) {
                pendingFds.addLast(received);
            }
        }
        if (r.isEof()) {
            if (end == start) {
                throw new EOFException("control connection closed by peer");
            }
            throw new IOException("control connection closed in the middle of a frame (" + (end - start)
                    + " bytes buffered)");
        }
        System.arraycopy(r.data(), 0, buffer, end, r.data().length);
        end += r.data().length;
    }

    /** Shuts the connection down, closes it and any received descriptors no frame claimed. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        UnixSockets.shutdownAndClose(fd);
        synchronized (pendingFds) {
            while (!pendingFds.isEmpty()) {
                Fds.closeQuietly(pendingFds.removeFirst());
            }
        }
    }
}
