package dev.pier.ipc;

import dev.pier.config.bind.ListenSpec;
import dev.pier.config.ConfigSnapshot;
import dev.pier.ipc.ControlMessage.Assign;
import dev.pier.ipc.ControlMessage.Command;
import dev.pier.ipc.ControlMessage.CommandResult;
import dev.pier.ipc.ControlMessage.Handoff;
import dev.pier.ipc.ControlMessage.Hello;
import dev.pier.ipc.ControlMessage.Quit;
import dev.pier.ipc.ControlMessage.Ready;
import dev.pier.ipc.ControlMessage.ReopenLogs;
import dev.pier.ipc.ControlMessage.Retire;
import dev.pier.ipc.ControlMessage.Role;
import dev.pier.ipc.ControlMessage.Status;
import dev.pier.ipc.ControlMessage.WarmUp;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The wire format of control frames: {@code [int length][int fdCount][payload]}, big-endian, where {@code length} is
 * the payload's size and the payload is {@code [byte version][byte tag][fields...]}. Tags are fixed per record and never
 * reused. Decoding never throws anything but IOException and never allocates more than the frame holds; frames are
 * capped at {@link #MAX_FRAME} bytes.
 */
public final class FrameCodec {
    public static final byte VERSION = 1;
    /** Bytes before the payload: length and fdCount. */
    public static final int HEADER = 8;
    /**
     * The largest payload accepted (16 MiB: an Assign carries the bytes of every configuration file, usually a few
     * dozen KiB; a reload whose files exceed this fails with a clear error instead of starting workers).
     */
    public static final int MAX_FRAME = 16 << 20;
    /** SCM_MAX_FD: the kernel passes at most this many descriptors in one message. */
    public static final int MAX_FDS = 253;

    private static final byte HELLO = 1, ASSIGN = 2, READY = 3, QUIT = 4, REOPEN_LOGS = 5, COMMAND = 6,
            COMMAND_RESULT = 7, STATUS = 8, HANDOFF = 9, RETIRE = 10, WARM_UP = 11;

    /** A frame's header: payload size and descriptor count. */
    public record Header(int length, int fdCount) {
    }

    private FrameCodec() {
    }

    /** The whole frame, header included; its fdCount is {@code message.fdCount()}. */
    public static byte[] encode(ControlMessage message) {
        byte[] payload = encodePayload(message);
        if (payload.length > MAX_FRAME) {
            throw new IllegalArgumentException("control frame of " + payload.length + " bytes exceeds " + MAX_FRAME);
        }
        byte[] frame = new byte[HEADER + payload.length];
        putInt(frame, 0, payload.length);
        putInt(frame, 4, message.fdCount());
        System.arraycopy(payload, 0, frame, HEADER, payload.length);
        return frame;
    }

    /** Reads and checks the header at {@code offset} (at least {@link #HEADER} bytes must be there). */
    public static Header header(byte[] buf, int offset) throws IOException {
        int length = getInt(buf, offset);
        int fdCount = getInt(buf, offset + 4);
        if (length < 2 || length > MAX_FRAME) {
            throw new IOException("bad control frame: length " + length + " (max " + MAX_FRAME + ")");
        }
        if (fdCount < 0 || fdCount > MAX_FDS) {
            throw new IOException("bad control frame: " + fdCount + " descriptors");
        }
        return new Header(length, fdCount);
    }

    /** Decodes a whole frame (header and payload) that fills {@code frame} exactly. */
    public static ControlMessage decode(byte[] frame) throws IOException {
        if (frame.length < HEADER) {
            throw new IOException("truncated control frame: " + frame.length + " bytes, header needs " + HEADER);
        }
        Header h = header(frame, 0);
        if (frame.length - HEADER != h.length()) {
            throw new IOException("truncated control frame: header says " + h.length() + " bytes, got "
                    + (frame.length - HEADER));
        }
        ControlMessage m = decodePayload(frame, HEADER, h.length());
        if (m.fdCount() != h.fdCount()) {
            throw new IOException("bad control frame: " + m.getClass().getSimpleName() + " needs " + m.fdCount()
                    + " descriptors, header says " + h.fdCount());
        }
        return m;
    }

    static byte[] encodePayload(ControlMessage message) {
        PayloadWriter w = new PayloadWriter().writeByte(VERSION);
        switch (message) {
            case Hello m -> w.writeByte(HELLO).writeByte(m.role().ordinal()).writeLong(m.pid());
            case Assign m -> {
                w.writeByte(ASSIGN).writeLong(m.generation()).writeInt(m.slot());
                w.writeString(m.prefix()).writeString(m.configFile());
                w.writeInt(m.globalDirectives().size());
                m.globalDirectives().forEach(w::writeString);
                writeSnapshot(w, m.config());
                writeSpecs(w, m.listeners());
            }
            case Ready m -> w.writeByte(READY).writeLong(m.pid());
            case Quit m -> w.writeByte(QUIT).writeBoolean(m.graceful());
            case ReopenLogs m -> w.writeByte(REOPEN_LOGS);
            case WarmUp m -> w.writeByte(WARM_UP);
            case Retire m -> {
                w.writeByte(RETIRE).writeInt(m.listeners().size());
                for (int i : m.listeners()) {
                    w.writeInt(i);
                }
                w.writeLong(m.quietMillis());
            }
            case Command m -> w.writeByte(COMMAND).writeString(m.name());
            case CommandResult m -> w.writeByte(COMMAND_RESULT).writeBoolean(m.ok()).writeString(m.message());
            case Status m -> {
                w.writeByte(STATUS).writeLong(m.masterPid()).writeLong(m.generation());
                w.writeInt(m.workerPids().size());
                m.workerPids().forEach(w::writeLong);
            }
            case Handoff m -> {
                w.writeByte(HANDOFF).writeInt(m.sockets().size());
                for (Handoff.Socket s : m.sockets()) {
                    ListenSpecCodec.write(w, s.spec());
                    w.writeInt(s.slot());
                }
            }
        }
        return w.toByteArray();
    }

    /** Decodes {@code length} payload bytes at {@code offset}; trailing bytes are an error. */
    public static ControlMessage decodePayload(byte[] buf, int offset, int length) throws IOException {
        PayloadReader r = new PayloadReader(buf, offset, length);
        byte version = r.readByte("version");
        if (version != VERSION) {
            throw new IOException("control frame version " + version + ", this Pier speaks " + VERSION);
        }
        ControlMessage m;
        try {
            m = readMessage(r);
        } catch (RuntimeException e) {
            // a record constructor refused a decoded value (negative slot, bad port, NUL in a path...)
            throw new IOException("bad control frame: " + e.getMessage(), e);
        }
        if (r.remaining() != 0) {
            throw new IOException("bad control frame: " + r.remaining() + " trailing bytes after "
                    + m.getClass().getSimpleName());
        }
        return m;
    }

    private static ControlMessage readMessage(PayloadReader r) throws IOException {
        byte tag = r.readByte("message tag");
        return switch (tag) {
            case HELLO -> {
                int role = r.readByte("role");
                if (role < 0 || role >= Role.values().length) {
                    throw new IOException("bad control frame: role " + role);
                }
                yield new Hello(Role.values()[role], r.readLong("pid"));
            }
            case ASSIGN -> {
                long generation = r.readLong("generation");
                int slot = r.readInt("slot");
                String prefix = r.readString("prefix");
                String configFile = r.readString("config file");
                int n = r.readCount(4, "global directives");
                List<String> globals = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    globals.add(r.readString("global directive"));
                }
                yield new Assign(generation, slot, prefix, configFile, globals, readSnapshot(r), readSpecs(r));
            }
            case READY -> new Ready(r.readLong("pid"));
            case QUIT -> new Quit(r.readBoolean("graceful"));
            case REOPEN_LOGS -> new ReopenLogs();
            case WARM_UP -> new WarmUp();
            case RETIRE -> {
                int n = r.readCount(4, "retiring listeners");
                List<Integer> listeners = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    listeners.add(r.readInt("listener"));
                }
                yield new Retire(listeners, r.readLong("quiet millis"));
            }
            case COMMAND -> new Command(r.readString("command"));
            case COMMAND_RESULT -> new CommandResult(r.readBoolean("ok"), r.readString("message"));
            case STATUS -> {
                long masterPid = r.readLong("master pid");
                long generation = r.readLong("generation");
                int n = r.readCount(8, "worker pids");
                List<Long> pids = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    pids.add(r.readLong("worker pid"));
                }
                yield new Status(masterPid, generation, pids);
            }
            case HANDOFF -> {
                int n = r.readCount(MIN_SPEC_BYTES + 4, "handoff sockets");
                List<Handoff.Socket> sockets = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    sockets.add(new Handoff.Socket(ListenSpecCodec.read(r), r.readInt("slot")));
                }
                yield new Handoff(sockets);
            }
            default -> throw new IOException("bad control frame: unknown message tag " + tag);
        };
    }

    /**
     * The smallest encoded ListenSpec, to bound list counts: unix kind and an empty path (5), reuseport (1), backlog,
     * rcvbuf, sndbuf (12), deferred, ipv6only (2), keepalive (13), fastopen (4), bind (1).
     */
    private static final int MIN_SPEC_BYTES = 5 + 1 + 12 + 2 + 13 + 4 + 1;

    private static void writeSpecs(PayloadWriter w, List<ListenSpec> specs) {
        w.writeInt(specs.size());
        specs.forEach(s -> ListenSpecCodec.write(w, s));
    }

    private static List<ListenSpec> readSpecs(PayloadReader r) throws IOException {
        int n = r.readCount(MIN_SPEC_BYTES, "listeners");
        List<ListenSpec> specs = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            specs.add(ListenSpecCodec.read(r));
        }
        return specs;
    }

    static void putInt(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 24);
        b[at + 1] = (byte) (v >>> 16);
        b[at + 2] = (byte) (v >>> 8);
        b[at + 3] = (byte) v;
    }

    static int getInt(byte[] b, int at) {
        return ((b[at] & 0xff) << 24) | ((b[at + 1] & 0xff) << 16) | ((b[at + 2] & 0xff) << 8) | (b[at + 3] & 0xff);
    }

    private static void writeSnapshot(PayloadWriter w, ConfigSnapshot s) {
        w.writeInt(s.files().size());
        s.files().forEach((path, bytes) -> w.writeString(path.toString()).writeInt(bytes.length).writeBytes(bytes));
        w.writeInt(s.globs().size());
        s.globs().forEach((pattern, paths) -> {
            w.writeString(pattern).writeInt(paths.size());
            paths.forEach(p -> w.writeString(p.toString()));
        });
    }

    private static ConfigSnapshot readSnapshot(PayloadReader r) throws IOException {
        int n = r.readCount(8, "configuration files");
        Map<Path, byte[]> files = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            Path path = Path.of(r.readString("configuration file name"));
            int length = r.readInt("configuration file length");
            if (length < 0) {
                throw new IOException("bad control frame: configuration file length " + length);
            }
            files.put(path, r.readBytes(length, "configuration file"));
        }
        int g = r.readCount(8, "include patterns");
        Map<String, List<Path>> globs = new LinkedHashMap<>();
        for (int i = 0; i < g; i++) {
            String pattern = r.readString("include pattern");
            int m = r.readCount(4, "include matches");
            List<Path> paths = new ArrayList<>(m);
            for (int j = 0; j < m; j++) {
                paths.add(Path.of(r.readString("include match")));
            }
            globs.put(pattern, paths);
        }
        return new ConfigSnapshot(files, globs);
    }
}
