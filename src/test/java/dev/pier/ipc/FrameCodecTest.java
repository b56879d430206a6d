package dev.pier.ipc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pier.config.bind.ListenAddress;
import dev.pier.config.bind.ListenSpec;
import dev.pier.config.bind.SoKeepalive;
import dev.pier.ipc.ControlMessage.Assign;
import dev.pier.ipc.ControlMessage.Command;
import dev.pier.ipc.ControlMessage.CommandResult;
import dev.pier.ipc.ControlMessage.Handoff;
import dev.pier.ipc.ControlMessage.Hello;
import dev.pier.ipc.ControlMessage.Quit;
import dev.pier.ipc.ControlMessage.Ready;
import dev.pier.ipc.ControlMessage.ReopenLogs;
import dev.pier.ipc.ControlMessage.Role;
import dev.pier.ipc.ControlMessage.Status;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

class FrameCodecTest {

    static List<ListenSpec> specs() throws Exception {
        return List.of(
                ListenSpec.of(new ListenAddress.Inet(InetAddress.getByName("0.0.0.0"), 80)),
                new ListenSpec(new ListenAddress.Inet(InetAddress.getByName("127.0.0.1"), 8080), true, 1024, 65536,
                        32768, true, true, new SoKeepalive(SoKeepalive.Mode.ON, 1800, 0, 10), 256, true),
                new ListenSpec(new ListenAddress.Inet(InetAddress.getByName("::"), 443), false, -1, -1, -1, false,
                        false, new SoKeepalive(SoKeepalive.Mode.OFF, 0, 0, 0), -1, false),
                ListenSpec.of(new ListenAddress.Inet(InetAddress.getByName("2001:db8::1"), 65535)).withReuseport(true),
                ListenSpec.of(new ListenAddress.Inet(Inet6Address.getByAddress(null,
                        InetAddress.getByName("fe80::1").getAddress(), 3), 8443)),
                ListenSpec.of(new ListenAddress.Unix(Path.of("/run/pier/app.sock"))),
                ListenSpec.of(new ListenAddress.Unix(Path.of("relative/sock"))));
    }

    /** Two files (one with bytes that are not UTF-8) and an include pattern with its matches. */
    static final dev.pier.config.ConfigSnapshot SNAPSHOT = new dev.pier.config.ConfigSnapshot(
            java.util.Map.of(Path.of("/etc/pier/pier.conf"), "include conf.d/*.conf;\n".getBytes(),
                    Path.of("/etc/pier/conf.d/a.conf"), new byte[] {'#', (byte) 0xff, '\n'}),
            java.util.Map.of("/etc/pier/conf.d/*.conf", List.of(Path.of("/etc/pier/conf.d/a.conf"))));

    static List<ControlMessage> everyMessage() throws Exception {
        List<ListenSpec> specs = specs();
        List<Handoff.Socket> sockets = new ArrayList<>();
        for (int i = 0; i < specs.size(); i++) {
            sockets.add(new Handoff.Socket(specs.get(i), i % 2 == 0 ? -1 : i));
        }
        return List.of(
                new Hello(Role.WORKER, 4242), new Hello(Role.MASTER, 1), new Hello(Role.CLIENT, Long.MAX_VALUE),
                new Assign(7, 3, "/usr/local/pier/", "/etc/pier/pier.conf", List.of("daemon off;", "pid ünï.pid;"),
                        SNAPSHOT, specs),
                new Assign(0, 0, "", "", List.of(), dev.pier.config.ConfigSnapshot.EMPTY, List.of()),
                new Ready(99), new Quit(true), new Quit(false), new ReopenLogs(), new ControlMessage.WarmUp(),
                new ControlMessage.Retire(List.of(0, 2), 1500), new ControlMessage.Retire(List.of(), 0),
                new Command("reload"), new Command("upgrade"),
                new CommandResult(true, ""), new CommandResult(false, "[emerg] unknown directive \"foo\" in x:1"),
                new Status(10, 2, List.of(11L, 12L, 13L)), new Status(10, 0, List.of()),
                new Handoff(sockets), new Handoff(List.of()));
    }

    @Test
    void everyMessageRoundTrips() throws Exception {
        for (ControlMessage m : everyMessage()) {
            byte[] frame = FrameCodec.encode(m);
            assertThat(FrameCodec.header(frame, 0))
                    .isEqualTo(new FrameCodec.Header(frame.length - FrameCodec.HEADER, m.fdCount()));
            assertThat(FrameCodec.decode(frame)).as("%s", m).isEqualTo(m);
        }
    }

    @Test
    void listenSpecsKeepEveryField() throws Exception {
        Assign a = new Assign(1, 0, "p", "c", List.of(), dev.pier.config.ConfigSnapshot.EMPTY, specs());
        Assign back = (Assign) FrameCodec.decode(FrameCodec.encode(a));
        assertThat(back.fdCount()).isEqualTo(specs().size());
        for (int i = 0; i < specs().size(); i++) {
            ListenSpec s = back.listeners().get(i);
            // ListenSpec.toString is only the address: compare field by field through the record's equals
            assertThat(s).usingRecursiveComparison().isEqualTo(specs().get(i));
        }
        var v6 = (ListenAddress.Inet) back.listeners().get(4).address();
        assertThat(((Inet6Address) v6.host()).getScopeId()).isEqualTo(3);
    }

    @Test
    void everyTruncationIsAnIOException() throws Exception {
        for (ControlMessage m : everyMessage()) {
            byte[] frame = FrameCodec.encode(m);
            for (int len = 0; len < frame.length; len++) {
                byte[] cut = Arrays.copyOf(frame, len);
                assertThatThrownBy(() -> FrameCodec.decode(cut)).isInstanceOf(IOException.class);
                // a payload cut short but with a header that agrees: the field reader catches it
                if (len > FrameCodec.HEADER + 1) {
                    byte[] consistent = cut.clone();
                    FrameCodec.putInt(consistent, 0, len - FrameCodec.HEADER);
                    assertThatThrownBy(() -> FrameCodec.decode(consistent)).isInstanceOf(IOException.class);
                }
            }
        }
    }

    @Test
    void garbageIsAnIOExceptionNeverAnotherException() throws Exception {
        Random random = new Random(42);
        List<byte[]> frames = new ArrayList<>();
        for (ControlMessage m : everyMessage()) {
            frames.add(FrameCodec.encode(m));
        }
        for (int round = 0; round < 20_000; round++) {
            byte[] frame = frames.get(random.nextInt(frames.size())).clone();
            int flips = 1 + random.nextInt(4);
            for (int i = 0; i < flips; i++) {
                // keep the header's length honest half of the time so the payload decoder is exercised
                int at = random.nextBoolean() ? FrameCodec.HEADER + random.nextInt(frame.length - FrameCodec.HEADER)
                        : random.nextInt(frame.length);
                frame[at] = (byte) random.nextInt(256);
            }
            try {
                FrameCodec.decode(frame);
            } catch (IOException expected) {
                // fine: the only permitted failure
            }
        }
    }

    @Test
    void refusesHugeOrNegativeLengthsAndCounts() {
        byte[] huge = new byte[16];
        FrameCodec.putInt(huge, 0, FrameCodec.MAX_FRAME + 1);
        assertThatThrownBy(() -> FrameCodec.header(huge, 0)).isInstanceOf(IOException.class)
                .hasMessageContaining("length");
        byte[] fds = new byte[16];
        FrameCodec.putInt(fds, 0, 8);
        FrameCodec.putInt(fds, 4, -1);
        assertThatThrownBy(() -> FrameCodec.header(fds, 0)).hasMessageContaining("descriptors");
        // a Status claiming 2^31-1 worker pids in a 30-byte frame must fail before allocating
        byte[] status = FrameCodec.encode(new Status(1, 1, List.of()));
        FrameCodec.putInt(status, status.length - 4, Integer.MAX_VALUE);
        assertThatThrownBy(() -> FrameCodec.decode(status)).isInstanceOf(IOException.class)
                .hasMessageContaining("exceeds the frame");
    }

    @Test
    void refusesOtherVersionsUnknownTagsAndWrongDescriptorCounts() {
        byte[] frame = FrameCodec.encode(new Ready(1));
        frame[FrameCodec.HEADER] = 9;
        assertThatThrownBy(() -> FrameCodec.decode(frame)).hasMessageContaining("version 9");
        byte[] tag = FrameCodec.encode(new Ready(1));
        tag[FrameCodec.HEADER + 1] = 127;
        assertThatThrownBy(() -> FrameCodec.decode(tag)).hasMessageContaining("unknown message tag 127");
        byte[] count = FrameCodec.encode(new Ready(1));
        FrameCodec.putInt(count, 4, 2);
        assertThatThrownBy(() -> FrameCodec.decode(count)).hasMessageContaining("needs 0 descriptors");
    }

    @Test
    void valuesARecordRefusesAreIOExceptions() {
        byte[] frame = FrameCodec.encode(new Assign(1, 5, "", "", List.of(), dev.pier.config.ConfigSnapshot.EMPTY, List.of()));
        FrameCodec.putInt(frame, FrameCodec.HEADER + 2 + 8, -5); // slot
        assertThatThrownBy(() -> FrameCodec.decode(frame)).isInstanceOf(IOException.class)
                .hasMessageContaining("slot -5");
    }
}
