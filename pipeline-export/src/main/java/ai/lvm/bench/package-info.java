/** Re-runnable benchmark commands whose figures go into docs/benchmarks.md. */
package ai.lvm.bench;
