package dev.pier.config.bind;

/**
 * Where a directive may appear: nginx's NGX_MAIN_CONF, NGX_EVENT_CONF, NGX_HTTP_MAIN_CONF, _SRV_CONF, _LOC_CONF, and
 * the inside of an {@code if} block in a server ({@code NGX_HTTP_SIF_CONF}) or a location ({@code NGX_HTTP_LIF_CONF}).
 */
public enum Context {
    MAIN, EVENTS, HTTP, SERVER, LOCATION, IF_SERVER, IF_LOCATION
}
