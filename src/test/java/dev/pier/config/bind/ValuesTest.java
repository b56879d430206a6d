package dev.pier.config.bind;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ValuesTest {

    @Test
    void numbersAreDigitsOnly() {
        assertThat(Values.number("0")).isZero();
        assertThat(Values.number("1024")).isEqualTo(1024);
        assertThat(Values.number("")).isEqualTo(-1);
        assertThat(Values.number("-1")).isEqualTo(-1);
        assertThat(Values.number("+1")).isEqualTo(-1);
        assertThat(Values.number("12a")).isEqualTo(-1);
        assertThat(Values.number("99999999999999999999")).isEqualTo(-1); // overflow
        assertThat(Values.intNumber("3000000000")).isEqualTo(-1);
    }

    @Test
    void sizesTakeKAndM() {
        assertThat(Values.size("512")).isEqualTo(512);
        assertThat(Values.size("8k")).isEqualTo(8192);
        assertThat(Values.size("8K")).isEqualTo(8192);
        assertThat(Values.size("2m")).isEqualTo(2 * 1024 * 1024);
        assertThat(Values.size("2M")).isEqualTo(2 * 1024 * 1024);
        assertThat(Values.size("1g")).as("ngx_parse_size has no g").isEqualTo(-1);
        assertThat(Values.size("k")).isEqualTo(-1);
        assertThat(Values.size("1.5k")).isEqualTo(-1);
        assertThat(Values.offset("1g")).isEqualTo(1024L * 1024 * 1024);
        assertThat(Values.offset("3G")).isEqualTo(3L * 1024 * 1024 * 1024);
    }

    @Test
    void millisecondTimes() {
        assertThat(Values.msec("75")).as("plain number is seconds").isEqualTo(75_000);
        assertThat(Values.msec("75s")).isEqualTo(75_000);
        assertThat(Values.msec("500ms")).isEqualTo(500);
        assertThat(Values.msec("1h 30m")).isEqualTo(90 * 60_000);
        assertThat(Values.msec("1h30m")).isEqualTo(90 * 60_000);
        assertThat(Values.msec("1d2h3m4s5ms")).isEqualTo(((26 * 60 + 3) * 60 + 4) * 1000L + 5);
        assertThat(Values.msec("2w")).isEqualTo(14 * 86_400_000L);
        assertThat(Values.msec("1m 5")).as("a trailing bare number counts as seconds").isEqualTo(65_000);
        assertThat(Values.msec("1y")).as("no years in milliseconds").isEqualTo(-1);
        assertThat(Values.msec("1M")).as("no months in milliseconds").isEqualTo(-1);
        assertThat(Values.msec("30m 1h")).as("units must decrease").isEqualTo(-1);
        assertThat(Values.msec("1s1s")).isEqualTo(-1);
        assertThat(Values.msec("s")).isEqualTo(-1);
        assertThat(Values.msec("")).isEqualTo(-1);
        assertThat(Values.msec("10x")).isEqualTo(-1);
    }

    @Test
    void secondTimes() {
        assertThat(Values.sec("30m")).isEqualTo(1800);
        assertThat(Values.sec("10")).isEqualTo(10);
        assertThat(Values.sec("1y")).isEqualTo(365L * 86400);
        assertThat(Values.sec("1M")).isEqualTo(30L * 86400);
        assertThat(Values.sec("1y 1M")).isEqualTo(395L * 86400);
        assertThat(Values.sec("500ms")).as("ms is not a second value").isEqualTo(-1);
    }
}
