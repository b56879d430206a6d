import dev.pier.config.bind.LogLevel;
import dev.pier.config.bind.PierConfig;
import dev.pier.http.AccessLogs;
import dev.pier.http.Connections;
import dev.pier.http.HttpRuntime;
import dev.pier.http.HttpServerInitializer;
import dev.pier.log.ErrorLog;
import dev.pier.master.ConfigReader;
import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * CPU time of Pier's HTTP pipeline alone, per request: `return 200` (or, with argument {@code static}, a 4 KiB
 * static file whose region is released unsent; with {@code close}, `return 200` on a new channel per request, closed
 * after it) keep-alive requests pushed through the real pipeline on an in-memory
 * channel, no sockets and no socket syscalls (the static file is still opened and stat'ed). The thread's own CPU time (not wall time) over rounds
 * of 400,000 requests after 4 warm-up rounds; prints the median and the least-disturbed (minimum) round, and the
 * median heap allocated per request (the thread's allocation counter, the in-memory channel's own share included). Run by
 * bench/pipeline.sh; compare builds in the same run, the machine's load moves both.
 */
public final class PipelineCpu {
    /** What a browser adds to a page request's head. */
    private static final String BROWSER = """
            User-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0\r
            Accept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8\r
            Accept-Language: en-GB,en;q=0.7,de;q=0.3\r
            Accept-Encoding: gzip, deflate, br, zstd\r
            Connection: keep-alive\r
            Cookie: session=8f2a61c0d3b94e7a9c1f5e2d7b6a4c3e; theme=dark; consent=analytics%3D0%26ads%3D0\r
            Upgrade-Insecure-Requests: 1\r
            Sec-Fetch-Dest: document\r
            Sec-Fetch-Mode: navigate\r
            Sec-Fetch-Site: none\r
            """;

    public static void main(String[] args) throws Exception {
        String scenario = args.length > 0 ? args[0] : "hello";
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 8;
        Path dir = Files.createTempDirectory("pier-pipeline");
        Files.createDirectories(dir.resolve("conf"));
        Files.createDirectories(dir.resolve("html"));
        Files.write(dir.resolve("html/f4k.bin"), new byte[4096]);
        Path conf = dir.resolve("conf/pier.conf");
        String location = switch (scenario) {
            case "hello" -> "location / { return 200 \"hello\\n\"; }";
            case "static" -> "root html; sendfile on;"; // a 4 KiB file, as bench/run.sh's static-4k
            case "close" -> "location / { return 200 \"hello\\n\"; }"; // a new connection per request
            case "browser" -> "location / { return 200 \"hello\\n\"; }"; // a browser's head: 12 lines, ~560 bytes
            default -> throw new IllegalArgumentException("scenario: hello, static, close or browser");
        };
        String target = scenario.equals("static") ? "/f4k.bin" : "/";
        Files.writeString(conf, """
                events {}
                http {
                    access_log off;
                    keepalive_requests 1000000000;
                    server { listen 127.0.0.1:8080; %s }
                }
                """.formatted(location));
        PierConfig config = ConfigReader.read(conf, dir, List.of());
        HttpRuntime rt = HttpRuntime.compile(config.http(), ErrorLog.silent(), AccessLogs.discarding());
        Connections connections = new Connections(1_000_000, ErrorLog.stderr(LogLevel.EMERG));
        boolean close = scenario.equals("close");
        byte[] request = ("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n"
                + (close ? "Connection: close\r\n" : "") + (scenario.equals("browser") ? BROWSER : "") + "\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        EmbeddedChannel ch = new EmbeddedChannel(new HttpServerInitializer(rt, 0, connections));
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        int perRound = 400_000;
        List<Double> micros = new ArrayList<>();
        List<Long> bytes = new ArrayList<>();
        for (int round = 0; round < rounds + 4; round++) {
            long t0 = threads.getCurrentThreadCpuTime();
            long a0 = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < perRound; i++) {
                if (close) {
                    ch.finishAndReleaseAll();
                    ch = new EmbeddedChannel(new HttpServerInitializer(rt, 0, connections));
                }
                ByteBuf in = ch.alloc().directBuffer(request.length);
                in.writeBytes(request);
                ch.writeInbound(in);
                for (Object o; (o = ch.readOutbound()) != null; ) {
                    ReferenceCountUtil.release(o);
                }
            }
            long t1 = threads.getCurrentThreadCpuTime();
            long a1 = threads.getCurrentThreadAllocatedBytes();
            if (round >= 4) {
                micros.add((t1 - t0) / 1000.0 / perRound);
                bytes.add((a1 - a0) / perRound);
            }
        }
        Collections.sort(micros);
        Collections.sort(bytes);
        System.out.printf("pipeline CPU per request (%s): median %.2f us, min %.2f us, heap %d bytes (%d rounds of %d)%n",
                scenario, micros.get(micros.size() / 2), micros.getFirst(), bytes.get(bytes.size() / 2), rounds,
                perRound);
        System.exit(0);
    }
}
