package dev.pier.config.bind;

import org.junit.jupiter.api.Test;

import static dev.pier.config.bind.TestConf.fails;

/** The checks every directive passes before its setter runs, with nginx's ngx_conf_handler texts. */
class DispatchTest {

    @Test
    void unknownDirective() {
        fails("http {\n server {\n  lsten 80;\n }\n}", "unknown directive \"lsten\"", 3);
        fails("workers 2;", "unknown directive \"workers\"", 1);
    }

    @Test
    void wrongContext() {
        fails("listen 80;", "\"listen\" directive is not allowed here", 1);
        fails("http {\n listen 80;\n}", "\"listen\" directive is not allowed here", 2);
        fails("http { server { worker_processes 2; } }", "\"worker_processes\" directive is not allowed here", 1);
        fails("events { http { } }", "\"http\" directive is not allowed here", 1);
        fails("http { location / { } }", "\"location\" directive is not allowed here", 1);
        fails("http { server { server { } } }", "\"server\" directive is not allowed here", 1);
        fails("http { return 404; }", "\"return\" directive is not allowed here", 1);
        fails("http { server { location / { server_name a; } } }",
                "\"server_name\" directive is not allowed here", 1);
        fails("worker_connections 10;", "\"worker_connections\" directive is not allowed here", 1);
        fails("root /x;", "\"root\" directive is not allowed here", 1);
    }

    @Test
    void blockOrNot() {
        fails("http;", "directive \"http\" has no opening \"{\"", 1);
        fails("http { server; }", "directive \"server\" has no opening \"{\"", 1);
        fails("http { server { location /; } }", "directive \"location\" has no opening \"{\"", 1);
        fails("daemon on { }", "directive \"daemon\" is not terminated by \";\"", 1);
        fails("http { server { listen 80 { } } }", "directive \"listen\" is not terminated by \";\"", 1);
    }

    @Test
    void argumentCount() {
        fails("worker_processes;", "invalid number of arguments in \"worker_processes\" directive", 1);
        fails("worker_processes 1 2;", "invalid number of arguments in \"worker_processes\" directive", 1);
        fails("daemon on off;", "invalid number of arguments in \"daemon\" directive", 1);
        fails("events x { }", "invalid number of arguments in \"events\" directive", 1);
        fails("http {\n server {\n  listen;\n }\n}", "invalid number of arguments in \"listen\" directive", 3);
        fails("http { server { location { } } }", "invalid number of arguments in \"location\" directive", 1);
        fails("http { server { location = / x { } } }", "invalid number of arguments in \"location\" directive", 1);
        fails("http { server { return; } }", "invalid number of arguments in \"return\" directive", 1);
        fails("http { add_header X; }", "invalid number of arguments in \"add_header\" directive", 1);
        fails("http { add_header X y always z; }", "invalid number of arguments in \"add_header\" directive", 1);
        fails("http { keepalive_timeout 1 2 3; }",
                "invalid number of arguments in \"keepalive_timeout\" directive", 1);
        fails("http { index; }", "invalid number of arguments in \"index\" directive", 1);
        fails("error_log;", "invalid number of arguments in \"error_log\" directive", 1);
    }
}
