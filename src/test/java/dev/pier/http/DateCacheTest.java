package dev.pier.http;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

class DateCacheTest {
    /** RFC 9110 5.6.7's preferred format (two-digit day, unlike the JDK's RFC 1123 formatter). */
    private static final DateTimeFormatter IMF_FIXDATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US);

    @Test
    void lastModifiedDatesAreRightWhateverTheCacheHolds() {
        // 4,096 seconds spread so that many share a slot of the 256-entry cache, each asked for twice in turn
        for (int round = 0; round < 2; round++) {
            for (long s = 0; s < 4096; s++) {
                long millis = 1_700_000_000_000L + s * 977_123L + 999;
                assertThat(DateCache.format(millis).toString()).isEqualTo(IMF_FIXDATE.format(
                        Instant.ofEpochMilli(millis).atOffset(ZoneOffset.UTC)));
            }
        }
        assertThat((Object) DateCache.format(1_700_000_000_500L)).isSameAs(DateCache.format(1_700_000_000_000L));
    }

    @Test
    void theDateIsTheWallClocksSecondAcrossASecondsEnd() {
        // read it every 200 µs for 1.2 s: at least one second ends meanwhile, and each value must be the second of a
        // wall-clock reading taken just before or just after it (give or take 2 ms: the end of the second is
        // predicted on the monotonic clock, whose rate NTP's slewing may set apart from the wall clock's)
        long end = System.nanoTime() + 1_200_000_000L;
        java.util.Set<String> seen = new java.util.HashSet<>();
        while (System.nanoTime() - end < 0) {
            String before = http(System.currentTimeMillis() - 2);
            String value = DateCache.now().toString();
            String after = http(System.currentTimeMillis() + 2);
            assertThat(value).isIn(before, after);
            seen.add(value);
            java.util.concurrent.locks.LockSupport.parkNanos(200_000);
        }
        assertThat(seen).hasSizeGreaterThanOrEqualTo(2);
    }

    @Test
    void withinAnEventTheDateIsTheEventsSecond() {
        EventClock.Event e = EventClock.begin();
        try {
            String before = http(System.currentTimeMillis());
            String value = DateCache.now().toString();
            assertThat(value).isIn(before, http(System.currentTimeMillis()));
        } finally {
            e.close();
        }
    }

    /** The first question, in an event that began before the class was loaded, gets a date, not an empty value. */
    @Test
    void aFreshClassAnswersAnEventThatBeganBeforeIt() throws Exception {
        java.util.List<java.net.URL> urls = new java.util.ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            urls.add(java.nio.file.Path.of(entry).toUri().toURL());
        }
        try (var loader = new java.net.URLClassLoader(urls.toArray(java.net.URL[]::new),
                ClassLoader.getPlatformClassLoader())) {
            Object event = loader.loadClass(EventClock.class.getName()).getMethod("begin").invoke(null);
            java.util.concurrent.locks.LockSupport.parkNanos(3_000_000);
            String before = http(System.currentTimeMillis() - 10);
            Object value = loader.loadClass(DateCache.class.getName()).getMethod("now").invoke(null);
            assertThat(value.toString()).isIn(before, http(System.currentTimeMillis()));
            event.getClass().getMethod("close").invoke(event);
        }
    }

    private static String http(long millis) {
        return IMF_FIXDATE.format(Instant.ofEpochMilli(millis).atOffset(ZoneOffset.UTC));
    }
}
