package dev.pier.config.bind;

/** Where a directive may appear: nginx's NGX_MAIN_CONF, NGX_EVENT_CONF, NGX_HTTP_MAIN_CONF, _SRV_CONF, _LOC_CONF. */
public enum Context {
    MAIN, EVENTS, HTTP, SERVER, LOCATION
}
