package dev.pier.http;

import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** The variables templates may use, with nginx's names and meanings. Resolved at compile time, read per request. */
public enum Variable {
    PID("pid", ex -> Constants.PID),
    HOSTNAME("hostname", ex -> Constants.HOSTNAME),
    REQUEST_URI("request_uri", Exchange::requestUri),
    URI("uri", Exchange::uri),
    DOCUMENT_URI("document_uri", Exchange::uri),
    ARGS("args", Exchange::args),
    QUERY_STRING("query_string", Exchange::args),
    IS_ARGS("is_args", ex -> ex.args().isEmpty() ? "" : "?"),
    HOST("host", Exchange::host),
    REMOTE_ADDR("remote_addr", Exchange::remoteAddr),
    SERVER_PORT("server_port", Exchange::serverPort),
    SERVER_NAME("server_name", ex -> ex.server().primaryName()),
    SCHEME("scheme", Exchange::scheme),
    REQUEST_METHOD("request_method", ex -> ex.method().name()),
    SERVER_PROTOCOL("server_protocol", ex -> ex.request().protocolVersion().text());

    private static final Map<String, Variable> BY_NAME =
            Stream.of(values()).collect(Collectors.toUnmodifiableMap(v -> v.nginxName, v -> v));

    private final String nginxName;
    private final Function<Exchange, String> getter;

    Variable(String nginxName, Function<Exchange, String> getter) {
        this.nginxName = nginxName;
        this.getter = getter;
    }

    public String nginxName() {
        return nginxName;
    }

    public String value(Exchange ex) {
        return getter.apply(ex);
    }

    public static Optional<Variable> byName(String name) {
        return Optional.ofNullable(BY_NAME.get(name));
    }

    private static final class Constants {
        static final String PID = Long.toString(ProcessHandle.current().pid());
        static final String HOSTNAME = hostname();

        private static String hostname() {
            try {
                return java.net.InetAddress.getLocalHost().getHostName();
            } catch (java.io.IOException e) {
                return "localhost";
            }
        }
    }
}
