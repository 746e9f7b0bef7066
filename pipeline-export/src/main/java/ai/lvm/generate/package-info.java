/** The synthetic corpus generator, for smoke tests, tests and benchmarks. */
package ai.lvm.generate;
