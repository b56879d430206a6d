/**
 * Test support for fuzzing without a fuzzing dependency: seeded, reproducible random mutations of valid inputs
 * ({@link dev.pier.fuzz.Mutator}), used by the configuration and request fuzz tests. JDK only.
 */
package dev.pier.fuzz;
