/**
 * The window export job: corpus validation, per-split streams, distributed window cutting, the
 * sufficiency gate and atomic publication of a snapshot.
 */
package ai.lvm.export;
