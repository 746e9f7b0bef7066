/**
 * Ingest: documents (JSON Lines, a directory of text files) or the reference system's NPZ vectors
 * into a vector corpus that satisfies {@link ai.lvm.format.CorpusSchema}, published atomically with
 * a {@link ai.lvm.format.CorpusManifest}. Chunking, markup removal and the .npy header are pure
 * functions; the encoder sits behind {@link ai.lvm.ingest.SentenceEncoder}; Spark code only moves
 * data to them.
 */
package ai.lvm.ingest;
