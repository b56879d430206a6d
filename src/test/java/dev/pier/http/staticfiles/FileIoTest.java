package dev.pier.http.staticfiles;

import dev.pier.config.bind.CharsetConf;
import dev.pier.config.bind.ConfModules;
import dev.pier.config.bind.FileIoConf;
import dev.pier.config.bind.ModuleConfs;
import dev.pier.http.Fixtures;
import dev.pier.http.HttpRuntime;
import dev.pier.http.Wire;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

import static dev.pier.http.Fixtures.prefix;
import static dev.pier.http.Fixtures.server;
import static dev.pier.http.Fixtures.serverConf;
import static dev.pier.http.Wire.get;
import static dev.pier.http.Wire.roundTrip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** charset, sendfile off, disable_symlinks and open_file_cache through the whole pipeline. */
class FileIoTest {
    /*
     * base/
     *   outside.txt         "outside"
     *   www/                root; the same tree again in www/on/, www/owner/, www/nosendfile/
     *     a.txt             "hello file\n"
     *     big.bin           100 KiB (several 32 KiB buffers with sendfile off)
     *     link.txt ->       a.txt (a symbolic link)
     *     out.txt ->        .../outside.txt
     *     ldir ->           sub (a linked directory)
     *     sub/b.txt         "b"
     *     from/x ->         www/on (inside the from= part)
     */
    @TempDir
    static Path base;
    static Path www;
    static HttpRuntime rt;
    static byte[] big;

    private static ModuleConfs io(FileIoConf io, Optional<String> charset) {
        return ConfModules.defaults(www).with(FileIoConf.class, io).with(CharsetConf.class,
                new CharsetConf(charset, Set.of("text/html", "text/plain"), false));
    }

    private static FileIoConf conf(FileIoConf.Symlinks symlinks, String from, boolean sendfile) {
        return new FileIoConf(symlinks, Optional.ofNullable(from), Optional.empty(), Duration.ofSeconds(60), 1,
                false, sendfile, false, 0, 0);
    }

    /** One copy of the tree per location (root + the whole URI names the file). */
    private static void tree(Path dir) throws Exception {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("a.txt"), "hello file\n");
        Files.write(dir.resolve("big.bin"), big);
        Files.createSymbolicLink(dir.resolve("link.txt"), Path.of("a.txt"));
        Files.createSymbolicLink(dir.resolve("out.txt"), base.relativize(base.resolve("outside.txt"))
                .resolveSibling(dir.relativize(base).resolve("outside.txt")));
        Files.createDirectories(dir.resolve("sub"));
        Files.writeString(dir.resolve("sub/b.txt"), "b");
        Files.createSymbolicLink(dir.resolve("ldir"), Path.of("sub"));
    }

    @BeforeAll
    static void tree() throws Exception {
        www = Files.createDirectories(base.resolve("www"));
        Files.writeString(base.resolve("outside.txt"), "outside");
        big = new byte[100 * 1024];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) (i * 31 + i / 7);
        }
        tree(www);
        for (String d : new String[] {"on", "owner", "nosendfile"}) {
            tree(base.resolve("www/" + d));
        }
        // /from/x/... maps to www/from/x/...; "x" is a link to www/on, inside from=
        Files.createDirectories(www.resolve("from"));
        Files.createSymbolicLink(www.resolve("from/x"), www.resolve("on"));
        FileIoConf on = conf(FileIoConf.Symlinks.ON, null, true);
        rt = Fixtures.runtime(serverConf(server().root(www).defaultType("application/octet-stream")
                .modules(io(conf(FileIoConf.Symlinks.OFF, null, true), Optional.of("utf-8"))).nest(
                        prefix("/on/").root(www).modules(io(on, Optional.empty())),
                        prefix("/from/").root(www).modules(io(conf(FileIoConf.Symlinks.ON, www + "/from/x",
                                true), Optional.empty())),
                        prefix("/owner/").root(www).modules(io(conf(FileIoConf.Symlinks.IF_NOT_OWNER, null, true),
                                Optional.empty())),
                        prefix("/nosendfile/").root(www).modules(io(conf(FileIoConf.Symlinks.OFF, null, false),
                                Optional.empty())),
                        prefix("/ret/").ret(200, "text")), "example.com"));
    }

    @Test
    void charsetIsAppendedToListedTypesOnly() {
        EmbeddedChannel ch = Wire.channel(rt);
        assertThat(roundTrip(ch, get("/a.txt"))).contains("Content-Type: text/plain; charset=utf-8\r\n");
        assertThat(roundTrip(ch, get("/big.bin"))).contains("Content-Type: application/octet-stream\r\n");
        // error pages are text/html: nginx's filter sees them too
        assertThat(roundTrip(ch, get("/missing.txt"))).startsWith("HTTP/1.1 404")
                .contains("Content-Type: text/html; charset=utf-8\r\n");
        assertFalse(ch.finishAndReleaseAll());
    }

    @Test
    void sendfileOffReadsTheFileIntoBuffers() {
        EmbeddedChannel ch = Wire.channel(rt);
        ch.writeInbound(Unpooled.copiedBuffer(get("/nosendfile/big.bin"), StandardCharsets.ISO_8859_1));
        StringBuilder wire = new StringBuilder();
        for (Object o; (o = ch.readOutbound()) != null; ) {
            assertThat(o).isInstanceOf(ByteBuf.class); // no FileRegion reaches the socket
            ByteBuf b = (ByteBuf) o;
            wire.append(b.toString(StandardCharsets.ISO_8859_1));
            b.release();
        }
        String res = wire.toString();
        assertThat(res).startsWith("HTTP/1.1 200 OK").contains("Content-Length: 102400\r\n")
                .endsWith("\r\n\r\n" + new String(big, StandardCharsets.ISO_8859_1));
        assertThat(ch.pipeline().get(FileTransfer.BUFFERS)).isNotNull();
        // the same connection then serves a sendfile location zero-copy again, and a range still works
        assertThat(roundTrip(ch, get("/a.txt"))).endsWith("hello file\n");
        String range = roundTrip(ch, "GET /nosendfile/a.txt HTTP/1.1\r\nHost: example.com\r\nRange: bytes=0-4\r\n\r\n");
        assertThat(range).startsWith("HTTP/1.1 206").endsWith("\r\n\r\nhello");
        assertFalse(ch.finishAndReleaseAll());
    }

    @Test
    void sendfileOnSendsASmallFileWithItsHeadAndALargeOneZeroCopy() {
        EmbeddedChannel ch = Wire.channel(rt);
        ch.writeInbound(Unpooled.copiedBuffer(get("/a.txt"), StandardCharsets.ISO_8859_1));
        java.util.List<Object> small = drainObjects(ch);
        assertThat(small).allMatch(o -> o instanceof ByteBuf); // read with the head: one writev, one segment
        assertThat(text(small)).startsWith("HTTP/1.1 200").endsWith("\r\n\r\nhello file\n");
        ch.writeInbound(Unpooled.copiedBuffer(get("/big.bin"), StandardCharsets.ISO_8859_1));
        java.util.List<Object> large = drainObjects(ch);
        assertThat(large).anyMatch(o -> o instanceof io.netty.channel.FileRegion); // 100 KiB: sendfile
        large.forEach(io.netty.util.ReferenceCountUtil::release);
        assertFalse(ch.finishAndReleaseAll());
    }

    private static java.util.List<Object> drainObjects(EmbeddedChannel ch) {
        java.util.List<Object> out = new java.util.ArrayList<>();
        for (Object o; (o = ch.readOutbound()) != null; ) {
            out.add(o);
        }
        return out;
    }

    private static String text(java.util.List<Object> bufs) {
        StringBuilder sb = new StringBuilder();
        for (Object o : bufs) {
            ByteBuf b = (ByteBuf) o;
            sb.append(b.toString(StandardCharsets.ISO_8859_1));
            b.release();
        }
        return sb.toString();
    }

    @Test
    void disableSymlinksOnRefusesAnyLinkedComponentWith403() {
        EmbeddedChannel ch = Wire.channel(rt);
        assertThat(roundTrip(ch, get("/on/a.txt"))).startsWith("HTTP/1.1 200").endsWith("hello file\n");
        assertThat(roundTrip(ch, get("/on/link.txt"))).startsWith("HTTP/1.1 403");
        assertThat(roundTrip(ch, get("/on/out.txt"))).startsWith("HTTP/1.1 403");
        assertThat(roundTrip(ch, get("/on/ldir/b.txt"))).startsWith("HTTP/1.1 403");
        assertThat(roundTrip(ch, get("/on/missing"))).startsWith("HTTP/1.1 404");
        // off (the default) follows links
        assertThat(roundTrip(ch, get("/link.txt"))).startsWith("HTTP/1.1 200").endsWith("hello file\n");
        assertThat(roundTrip(ch, get("/ldir/b.txt"))).startsWith("HTTP/1.1 200").endsWith("b");
        assertFalse(ch.finishAndReleaseAll());
    }

    @Test
    void fromSkipsTheTrustedPartAndIfNotOwnerComparesOwners() {
        EmbeddedChannel ch = Wire.channel(rt);
        // www/from/x is itself a link, but inside from=: only what follows is checked
        assertThat(roundTrip(ch, get("/from/x/a.txt"))).startsWith("HTTP/1.1 200").endsWith("hello file\n");
        assertThat(roundTrip(ch, get("/from/x/link.txt"))).startsWith("HTTP/1.1 403");
        // the links and their targets belong to the same user here: if_not_owner follows them
        assertThat(roundTrip(ch, get("/owner/link.txt"))).startsWith("HTTP/1.1 200").endsWith("hello file\n");
        assertFalse(ch.finishAndReleaseAll());
    }

    @Test
    void returnTextGetsTheCharsetOfItsLocationOnlyWhenSet() {
        EmbeddedChannel ch = Wire.channel(rt);
        assertThat(roundTrip(ch, get("/ret/x"))).doesNotContain("charset=");
        assertFalse(ch.finishAndReleaseAll());
    }
}
