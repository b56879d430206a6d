package dev.pier.os;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProcessTitleTest {

    @Test
    void theTitleIsWhatPsShowsCutToFifteenBytes() {
        long pid = ProcessHandle.current().pid();
        String before = ProcessTitle.of(pid);
        try {
            ProcessTitle.set("pier:s3:g12");
            assertThat(ProcessTitle.of(pid)).isEqualTo("pier:s3:g12");
            ProcessTitle.set("pier:a-very-long-title");
            assertThat(ProcessTitle.of(pid)).isEqualTo("pier:a-very-lon").hasSize(ProcessTitle.MAX);
        } finally {
            ProcessTitle.set(before);
        }
    }
}
