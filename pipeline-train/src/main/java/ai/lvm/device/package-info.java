/**
 * Device choice and the start-up check of a training worker (CPU, or a GPU the ND4J CUDA build has
 * code for).
 */
package ai.lvm.device;
