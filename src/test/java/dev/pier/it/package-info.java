/**
 * Black-box acceptance tests, nginx-tests style: each test writes a config into a temporary prefix, starts the real
 * {@code bin/pier} on loopback ephemeral ports and speaks raw HTTP to it.
 *
 * <p>Classes ending in {@code IT} run under maven-failsafe in {@code verify} (they need {@code target/pier.jar} and
 * the system property {@code pier.home}); the harness ({@link dev.pier.it.PierProcesses},
 * {@link dev.pier.it.PierInstance}, {@link dev.pier.it.TestPrefix}, {@link dev.pier.it.RawHttp},
 * {@link dev.pier.it.ProcNet}, {@link dev.pier.it.Ports})
 * depends on the JDK, JUnit 5 and AssertJ only, never on Pier's classes: the server is tested from the outside.
 * Harness self-checks end in {@code Test} and run under surefire.
 */
package dev.pier.it;
