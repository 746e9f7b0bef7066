package ai.lvm.reader;

/**
 * A run of {@code length} consecutive chunks of one document, from {@code firstChunk}: one entry of
 * a window's {@code context_segments} column.
 */
public record ContextSegment(String docId, int firstChunk, int length)
    implements java.io.Serializable {}
