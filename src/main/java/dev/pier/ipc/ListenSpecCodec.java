package dev.pier.ipc;

import dev.pier.config.bind.ListenAddress;
import dev.pier.config.bind.ListenSpec;
import dev.pier.config.bind.SoKeepalive;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.file.Path;

/** Every field of a {@link ListenSpec}, so a worker or new master rebuilds a spec equal to the master's. */
final class ListenSpecCodec {
    private static final byte INET = 0;
    private static final byte UNIX = 1;

    private ListenSpecCodec() {
    }

    static void write(PayloadWriter w, ListenSpec spec) {
        switch (spec.address()) {
            case ListenAddress.Inet inet -> {
                byte[] ip = inet.host().getAddress();
                w.writeByte(INET).writeByte(ip.length).writeBytes(ip);
                w.writeInt(inet.host() instanceof Inet6Address v6 ? v6.getScopeId() : 0);
                w.writeInt(inet.port());
            }
            case ListenAddress.Unix unix -> w.writeByte(UNIX).writeString(unix.path().toString());
        }
        w.writeBoolean(spec.reuseport()).writeInt(spec.backlog()).writeInt(spec.rcvbuf()).writeInt(spec.sndbuf());
        w.writeBoolean(spec.deferred()).writeBoolean(spec.ipv6only());
        SoKeepalive ka = spec.soKeepalive();
        w.writeByte(ka.mode().ordinal()).writeInt(ka.idleSeconds()).writeInt(ka.intervalSeconds()).writeInt(ka.count());
        w.writeInt(spec.fastopen()).writeBoolean(spec.bind());
    }

    /** Record constructors reject bad values with runtime exceptions; {@link FrameCodec} turns those into IOException. */
    static ListenSpec read(PayloadReader r) throws IOException {
        ListenAddress address = switch (r.readByte("listen address kind")) {
            case INET -> {
                int len = r.readByte("address length");
                if (len != 4 && len != 16) {
                    throw new IOException("bad control frame: IP address of " + len + " bytes");
                }
                byte[] ip = r.readBytes(len, "IP address");
                int scope = r.readInt("IPv6 scope");
                InetAddress host = len == 16 && scope != 0
                        ? Inet6Address.getByAddress(null, ip, scope) : InetAddress.getByAddress(ip);
                yield new ListenAddress.Inet(host, r.readInt("port"));
            }
            case UNIX -> new ListenAddress.Unix(Path.of(r.readString("unix path")));
            default -> throw new IOException("bad control frame: unknown listen address kind");
        };
        boolean reuseport = r.readBoolean("reuseport");
        int backlog = r.readInt("backlog");
        int rcvbuf = r.readInt("rcvbuf");
        int sndbuf = r.readInt("sndbuf");
        boolean deferred = r.readBoolean("deferred");
        boolean ipv6only = r.readBoolean("ipv6only");
        int mode = r.readByte("so_keepalive mode");
        if (mode < 0 || mode >= SoKeepalive.Mode.values().length) {
            throw new IOException("bad control frame: so_keepalive mode " + mode);
        }
        SoKeepalive ka = new SoKeepalive(SoKeepalive.Mode.values()[mode], r.readInt("keepidle"),
                r.readInt("keepintvl"), r.readInt("keepcnt"));
        int fastopen = r.readInt("fastopen");
        boolean bind = r.readBoolean("bind");
        return new ListenSpec(address, reuseport, backlog, rcvbuf, sndbuf, deferred, ipv6only, ka, fastopen, bind);
    }
}
