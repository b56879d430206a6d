package dev.pier.it;

/** Config texts shared by the ITs, in the contract's shape (nginx syntax). */
public final class Confs {
    private Confs() {
    }

    /**
     * {@code worker_processes N; master_process on|off;} and one server on 127.0.0.1:port: static files from
     * {@code html/} with {@code X-Worker: $pid}, and {@code = /hello} returning {@code "hello\n"}.
     */
    public static String basic(int port, int workers, boolean masterProcess, boolean reuseport) {
        return """
                worker_processes %d;
                master_process %s;
                error_log logs/error.log info;

                events {
                    worker_connections 1024;
                }

                http {
                    server {
                        listen 127.0.0.1:%d%s;
                        server_name localhost;
                        root html;

                        location / {
                            add_header X-Worker $pid;
                        }

                        location = /hello {
                            return 200 "hello\\n";
                        }
                    }
                }
                """.formatted(workers, masterProcess ? "on" : "off", port, reuseport ? " reuseport" : "");
    }

    /**
     * The operations tests' config: {@code worker_processes N}, one server on 127.0.0.1:port (with {@code reuseport}
     * if asked) answering every request with {@code 200 "TAG PID\n"}, so a response tells which configuration and which
     * worker served it. The error log is at {@code notice}: per-connection {@code info} lines would swamp it under
     * load.
     */
    public static String tagged(int port, int workers, boolean reuseport, String tag) {
        return """
                worker_processes %d;
                error_log logs/error.log notice;

                events {
                    worker_connections 1024;
                }

                http {
                    server {
                        listen 127.0.0.1:%d%s;
                        server_name localhost;

                        location / {
                            return 200 "%s $pid\n";
                        }
                    }
                }
                """.formatted(workers, port, reuseport ? " reuseport" : "", tag);
    }

    /**
     * The access log tests' config: two workers on 127.0.0.1:port with {@code reuseport} answering {@code = /hello}
     * with {@code "hello\n"}, every request logged {@code combined} to {@code logs/access.log} with
     * {@code buffer=BUFFER flush=1s}; {@code mainExtra} is added at the main level (e.g. an {@code error_log}).
     */
    public static String bufferedAccessLog(int port, String buffer, String mainExtra) {
        return """
                worker_processes 2;
                %s
                events { worker_connections 256; }
                http {
                    access_log logs/access.log combined buffer=%s flush=1s;
                    server {
                        listen 127.0.0.1:%d reuseport;
                        location = /hello { return 200 "hello\\n"; }
                    }
                }
                """.formatted(mainExtra, buffer, port);
    }

    /**
     * The exhaustion tests' config: one worker with {@code worker_connections N} on 127.0.0.1:port, static files from
     * {@code html/}, {@code client_max_body_size 1m}, {@code keepalive_requests 20000}, {@code /p/} answering its
     * {@code $request_uri}, {@code = /hello} answering {@code "hello\n"}, and {@code extra} inside the server.
     */
    public static String exhaustion(int port, int workerConnections, String extra) {
        return """
                worker_processes 1;
                error_log logs/error.log notice;

                events {
                    worker_connections %d;
                }

                http {
                    server {
                        listen 127.0.0.1:%d;
                        server_name localhost;
                        root html;
                        client_max_body_size 1m;
                        keepalive_requests 20000;
                        lingering_timeout 1s;

                        location / {
                        }

                        location /p/ {
                            return 200 "$request_uri\\n";
                        }

                        location = /hello {
                            return 200 "hello\\n";
                        }
                %s
                    }
                }
                """.formatted(workerConnections, port, extra);
    }

    /** Two workers sharing 127.0.0.1:port with {@code reuseport}. */
    public static String twoWorkers(int port) {
        return basic(port, 2, true, true);
    }
}
