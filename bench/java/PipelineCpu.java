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
 * static file whose region is released unsent) keep-alive requests pushed through the real pipeline on an in-memory
 * channel, no sockets and no socket syscalls (the static file is still opened and stat'ed). The thread's own CPU time (not wall time) over rounds
 * of 400,000 requests after 4 warm-up rounds; prints the median and the least-disturbed (minimum) round. Run by
 * bench/pipeline.sh; compare builds in the same run, the machine's load moves both.
 */
public final class PipelineCpu {
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
            default -> throw new IllegalArgumentException("scenario: hello or static");
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
        byte[] request = ("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        EmbeddedChannel ch = new EmbeddedChannel(new HttpServerInitializer(rt, 0, connections));
        var threads = ManagementFactory.getThreadMXBean();
        int perRound = 400_000;
        List<Double> micros = new ArrayList<>();
        for (int round = 0; round < rounds + 4; round++) {
            long t0 = threads.getCurrentThreadCpuTime();
            for (int i = 0; i < perRound; i++) {
                ByteBuf in = ch.alloc().directBuffer(request.length);
                in.writeBytes(request);
                ch.writeInbound(in);
                for (Object o; (o = ch.readOutbound()) != null; ) {
                    ReferenceCountUtil.release(o);
                }
            }
            long t1 = threads.getCurrentThreadCpuTime();
            if (round >= 4) {
                micros.add((t1 - t0) / 1000.0 / perRound);
            }
        }
        Collections.sort(micros);
        System.out.printf("pipeline CPU per request (%s): median %.2f us, min %.2f us (%d rounds of %d)%n",
                scenario, micros.get(micros.size() / 2), micros.getFirst(), rounds, perRound);
        System.exit(0);
    }
}
