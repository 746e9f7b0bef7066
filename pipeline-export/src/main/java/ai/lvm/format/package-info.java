/**
 * The on-disk contracts every stage shares: corpus and window schemas, snapshot layout, manifests,
 * and the atomic {@link ai.lvm.format.Publisher}. Owned here, imported by the other modules, never
 * re-declared.
 */
package ai.lvm.format;
