/**
 * The benchmark commands ({@code bin/lvm bench-train}, {@code bench-recipe}, {@code bench-read}):
 * thin entry points that time the training kernels and the window reader and print each figure
 * beside a ceiling measured in the same JVM, so a result on a shared machine carries its ratio
 * (docs/benchmarks.md).
 */
package ai.lvm.bench;
