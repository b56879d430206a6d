package dev.pier.config.bind;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.config.ConfigException;
import dev.pier.config.ConfigFileSystem;
import dev.pier.config.ConfigParser;
import dev.pier.config.Source;
import dev.pier.fuzz.Mutator;

import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Seeded random mutations of valid configurations (byte flips, truncations, duplicated and swapped tokens) through
 * the real parser and binder: the only failure allowed is a {@link ConfigException} (nginx's "[emerg] ... in
 * FILE:LINE"), never another exception, and no case may hang. 5,000 cases by default; {@code -Dfuzz.cases=N} and
 * {@code -Dfuzz.seed=S} for longer or other runs. Includes are served from memory, names resolve without DNS.
 */
class ConfigParserFuzzTest {
    private static final Path FILE = Path.of("/etc/pier/pier.conf");
    private static final Path PREFIX = Path.of("/opt/pier");
    private static final BindEnvironment ENV = new BindEnvironment(2, false, host -> {
        if (host.equals("localhost")) {
            return List.of(java.net.InetAddress.getLoopbackAddress());
        }
        throw new UnknownHostException(host);
    });
    private static final byte[] ALPHABET = "{};\"'\\$#\n\r\t ~*^=@/:,.0123456789abcdefkmsx()[]|?!%&<>-_\0"
            .getBytes(StandardCharsets.ISO_8859_1);
    private static final ExecutorService RUNNER = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "config-fuzz");
        t.setDaemon(true);
        return t;
    });

    private static final List<String> SEEDS = List.of("""
            worker_processes 2;
            error_log logs/error.log info;
            pid logs/pier.pid;
            user nobody nogroup;
            events { worker_connections 1024; }
            http {
                include mime.types;
                default_type application/octet-stream;
                log_format main '$remote_addr - $remote_user [$time_local] "$request" $status';
                access_log logs/access.log main buffer=32k flush=5s;
                keepalive_timeout 65s 60s;
                keepalive_requests 100;
                client_max_body_size 2m;
                large_client_header_buffers 4 8k;
                gzip on; gzip_types text/css application/json; gzip_min_length 20;
                upstream app { server 127.0.0.1:9000 weight=2 max_fails=3 fail_timeout=10s; server localhost:9001 backup; keepalive 8; }
                server {
                    listen 127.0.0.1:8080 reuseport backlog=511 so_keepalive=30s:10s:3 default_server;
                    listen [::1]:8081 ipv6only=on;
                    server_name example.com *.example.com ~^(?<sub>\\w+)\\.test$;
                    root html;
                    index index.html index.htm;
                    error_page 404 /404.html;
                    error_page 500 502 503 =200 @fallback;
                    location = /health { return 200 "ok\\n"; }
                    location ^~ /static/ { alias /srv/static/; expires 1h; etag off; autoindex on; }
                    location ~* \\.(png|jpg)$ { add_header Cache-Control "max-age=60" always; try_files $uri =404; }
                    location /app/ {
                        proxy_pass http://app/;
                        proxy_set_header Host $host;
                        proxy_read_timeout 30s;
                        proxy_next_upstream error timeout http_502;
                    }
                    location @fallback { return 302 https://example.com$request_uri; }
                    location /old { rewrite ^/old/(.*)$ /new/$1 permanent; }
                    location /if {
                        set $x "a";
                        if ($arg_q = "1") { return 403; }
                        if ($http_user_agent ~* bot) { set $x b; }
                        return 200 $x;
                    }
                }
            }
            """, """
            master_process off;
            worker_processes auto;
            events { }
            http {
                server {
                    listen 8080;
                    location / { return 301 /x; }
                    location /a { internal; limit_rate 10k; limit_rate_after 1m; }
                    location ~ ^/b/(\\d+) { return 200 "$1"; }
                    client_header_timeout 10s; client_body_timeout 5s; send_timeout 5s;
                    lingering_close always; lingering_time 30s; lingering_timeout 5s;
                    ignore_invalid_headers off; underscores_in_headers on; server_tokens off;
                }
            }
            """);

    /** Included files, from memory: any include of the seeds (or a mutated one) reads these or fails cleanly. */
    private static final ConfigFileSystem FS = new ConfigFileSystem() {
        private final Map<String, String> files = Map.of("/etc/pier/mime.types",
                "types { text/html html; text/css css; image/png png; }");

        @Override
        public byte[] read(Path file, Source includedFrom) throws ConfigException {
            String f = files.get(file.toString());
            if (f == null) {
                throw new ConfigException("open() \"" + file + "\" failed (2: No such file or directory)",
                        includedFrom);
            }
            return f.getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public List<Path> glob(String pattern) {
            return List.of();
        }
    };

    @AfterAll
    static void stop() {
        RUNNER.shutdownNow();
    }

    @Test
    void seedsAreValid() throws Exception {
        for (String s : SEEDS) {
            assertThat(bind(s.getBytes(StandardCharsets.UTF_8))).isNotNull();
        }
    }

    /** Regressions found by the fuzzer: a NUL byte in a path argument threw InvalidPathException. */
    @Test
    void nulInAPathIsAConfigError() {
        for (String conf : List.of("pid logs/pier.pi\0;", "http { access_log logs/a\0.log; }",
                "error_log logs/e\0.log;", "include mime.\0types;", "http { root ht\0ml; }",
                "http { client_body_temp_path t\0mp; }", "http { server { location / { alias /a\0/; } } }")) {
            Throwable t = org.assertj.core.api.Assertions.catchThrowable(() -> bind(conf.getBytes(
                    StandardCharsets.UTF_8)));
            assertThat(t).as(conf.replace("\0", "\\0")).isInstanceOf(ConfigException.class)
                    .hasMessageContaining("in /etc/pier/pier.conf:1");
        }
    }

    @Test
    void mutatedConfigsFailOnlyWithConfigException() throws Exception {
        long seed = Mutator.seed(7);
        int cases = Mutator.cases(5000);
        Mutator m = new Mutator(seed, ALPHABET);
        List<String> failures = new ArrayList<>();
        int rejected = 0;
        for (int i = 0; i < cases && failures.size() < 5; i++) {
            byte[] input = m.mutate(SEEDS.get(m.nextInt(SEEDS.size())).getBytes(StandardCharsets.UTF_8));
            Future<Throwable> f = RUNNER.submit(() -> {
                try {
                    bind(input);
                    return null;
                } catch (Throwable t) {
                    return t;
                }
            });
            Throwable t;
            try {
                t = f.get(5, TimeUnit.SECONDS);
            } catch (TimeoutException hang) {
                failures.add("case " + i + " (seed " + seed + ") hangs: " + HexFormat.of().formatHex(input));
                break; // the runner thread is stuck; nothing more can run
            }
            if (t instanceof ConfigException) {
                rejected++;
            } else if (t != null) {
                failures.add("case " + i + " (seed " + seed + ") threw " + t + " at " + where(t) + "\n"
                        + new String(input, StandardCharsets.ISO_8859_1));
            }
        }
        System.out.println("[figures] config fuzz: " + cases + " cases, seed " + seed + ", " + rejected
                + " rejected with ConfigException, " + failures.size() + " failures");
        assertThat(failures).isEmpty();
    }

    private static String where(Throwable t) {
        StackTraceElement[] st = t.getStackTrace();
        return st.length > 0 ? st[0].toString() : "?";
    }

    static PierConfig bind(byte[] text) throws ConfigException {
        return ConfigBinder.bind(parse(text), PREFIX, FILE, ENV);
    }

    private static List<dev.pier.config.Directive> parse(byte[] text) throws ConfigException {
        ConfigFileSystem one = new ConfigFileSystem() {
            @Override
            public byte[] read(Path file, Source includedFrom) throws ConfigException {
                return file.equals(FILE) ? text : FS.read(file, includedFrom);
            }

            @Override
            public List<Path> glob(String pattern) {
                return FS.glob(pattern);
            }
        };
        return ConfigParser.parseFile(FILE, null, one);
    }
}
