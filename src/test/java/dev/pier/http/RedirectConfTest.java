package dev.pier.http;

import dev.pier.config.bind.ConfModules;
import dev.pier.config.bind.HttpConf;
import dev.pier.config.bind.ListenSpec;
import dev.pier.config.bind.Listener;
import dev.pier.config.bind.ServerConf;
import dev.pier.config.bind.UriConf;
import dev.pier.config.bind.VirtualAddress;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static dev.pier.http.Fixtures.prefix;
import static dev.pier.http.Fixtures.server;
import static dev.pier.http.Fixtures.wildcard;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** absolute_redirect, port_in_redirect and merge_slashes on a listener at port 8080. */
class RedirectConfTest {
    @TempDir
    Path www;

    private HttpRuntime runtime(UriConf serverLevel, UriConf relative, UriConf noPort) throws Exception {
        Files.createDirectories(www.resolve("rel/dir"));
        Files.createDirectories(www.resolve("abs/dir"));
        Files.createDirectories(www.resolve("noport/dir"));
        var mods = ConfModules.defaults(www);
        ServerConf s = new ServerConf(List.of("example.com"), List.of(wildcard(8080)), server().root(www)
                .modules(mods.with(UriConf.class, serverLevel))
                .nest(prefix("/rel/").modules(mods.with(UriConf.class, relative)),
                        prefix("/noport/").modules(mods.with(UriConf.class, noPort)),
                        prefix("/ret").ret(302, "/elsewhere"),
                        prefix("/abs/"))
                .build(), Fixtures.SRC);
        VirtualAddress va = new VirtualAddress(wildcard(8080), s, List.of(s));
        return HttpRuntime.compile(new HttpConf(List.of(s), List.of(new Listener(ListenSpec.of(wildcard(8080)),
                List.of(va)))), Fixtures.QUIET);
    }

    @Test
    void locationHeadersAtEveryFragmentSize() throws Exception {
        HttpRuntime rt = runtime(new UriConf(true, true, true), new UriConf(true, false, true),
                new UriConf(true, true, false));
        String r = Wire.get("/abs/dir") + Wire.get("/rel/dir?x=1") + Wire.get("/noport/dir") + Wire.get("/ret");
        for (int size = 1; size <= r.length(); size++) {
            EmbeddedChannel ch = Wire.channel(rt);
            String res = Wire.fragmented(ch, r, size);
            assertThat(res).contains("Location: http://example.com:8080/abs/dir/\r\n")
                    .contains("Location: /rel/dir/?x=1\r\n") // absolute_redirect off: the path alone
                    .contains("Location: http://example.com/noport/dir/\r\n") // port_in_redirect off
                    .contains("Location: http://example.com:8080/elsewhere\r\n");
            assertFalse(ch.finishAndReleaseAll());
        }
    }

    @Test
    void mergeSlashesOffKeepsEmptySegments() throws Exception {
        HttpRuntime merged = runtime(new UriConf(true, true, true), new UriConf(true, true, true),
                new UriConf(true, true, true));
        EmbeddedChannel ch = Wire.channel(merged);
        assertThat(Wire.roundTrip(ch, Wire.get("//abs//dir"))).contains("Location: http://example.com:8080/abs/dir/");
        assertFalse(ch.finishAndReleaseAll());
        HttpRuntime kept = runtime(new UriConf(false, true, true), new UriConf(false, true, true),
                new UriConf(false, true, true));
        ch = Wire.channel(kept);
        // "/abs//dir" is not the directory's URI any more: the prefix "/abs/" still matches, the file is "abs//dir"
        assertThat(Wire.roundTrip(ch, Wire.get("/abs//dir"))).contains("Location: http://example.com:8080/abs//dir/");
        assertFalse(ch.finishAndReleaseAll());
    }

    @Test
    void serverNameInRedirectNamesTheServerInsteadOfTheHost() throws Exception {
        String other = "GET /abs/dir HTTP/1.1\r\nHost: other.test\r\n\r\n";
        HttpRuntime byHost = runtime(new UriConf(true, true, true, false), new UriConf(true, true, true),
                new UriConf(true, true, true));
        EmbeddedChannel ch = Wire.channel(byHost);
        assertThat(Wire.roundTrip(ch, other)).contains("Location: http://other.test:8080/abs/dir/\r\n");
        assertFalse(ch.finishAndReleaseAll());
        HttpRuntime byName = runtime(new UriConf(true, true, true, true), new UriConf(true, true, true),
                new UriConf(true, true, true));
        ch = Wire.channel(byName);
        assertThat(Wire.roundTrip(ch, other)).contains("Location: http://example.com:8080/abs/dir/\r\n");
        assertFalse(ch.finishAndReleaseAll());
    }
}
