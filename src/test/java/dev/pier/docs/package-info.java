/**
 * Tests that hold the documentation to the repository: numbers the docs quote are the numbers of the result files
 * and scripts in git. JDK, JUnit and AssertJ only.
 */
package dev.pier.docs;
