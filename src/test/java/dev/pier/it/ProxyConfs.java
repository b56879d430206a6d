package dev.pier.it;

/** Config texts for the proxy ITs: one server on 127.0.0.1:port in front of test backends. */
final class ProxyConfs {
    private ProxyConfs() {
    }

    /**
     * {@code worker_processes N}, error log at {@code info} (the proxy's connect and timeout lines are
     * {@code error}, "temporarily disabled" is {@code warn}), {@code httpLevel} (upstream blocks, proxy_* defaults)
     * and one server on 127.0.0.1:port whose body is {@code serverBody}.
     */
    static String conf(int workers, int port, String httpLevel, String serverBody) {
        return """
                worker_processes %d;
                error_log logs/error.log info;

                events {
                    worker_connections 1024;
                }

                http {
                %s
                    server {
                        listen 127.0.0.1:%d;
                        server_name localhost;
                %s
                    }
                }
                """.formatted(workers, httpLevel, port, serverBody);
    }

    /**
     * Waits until a request to {@code path} is answered 200 through the proxy: the master accepts connections
     * before its worker is ready, and a busy machine may take seconds to start the worker's JVM.
     */
    static void awaitProxying(int port, String path) {
        Await.until(java.time.Duration.ofSeconds(30), "a 200 through the proxy for " + path, () -> {
            try {
                return RawHttp.get(port, path).status() == 200;
            } catch (RuntimeException e) {
                return false;
            }
        });
    }
}
