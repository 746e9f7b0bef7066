package ai.lvm.ingest;

import java.util.Locale;

/**
 * Why an input record cannot become part of the corpus. The lower-case, dashed names are the keys
 * of {@code skipped} in the corpus manifest.
 */
public enum BadRecord {
  /** A JSON line that does not parse, or is not a JSON object. */
  INVALID_JSON,
  /** Bytes that are not UTF-8 (a JSON line or a text file). */
  INVALID_UTF8,
  /** A JSON record without a non-blank string {@code doc_id}. */
  MISSING_DOC_ID,
  /** A field of the wrong type: {@code text} not a string, {@code chunks} not strings, both. */
  INVALID_FIELD,
  /** A document with no text to embed (after markup removal), or an empty {@code chunks}. */
  EMPTY_DOCUMENT,
  /** A {@code doc_id} already used by an earlier record (file order, then line order). */
  DUPLICATE_DOC_ID;

  /** The manifest key, e.g. {@code invalid-json}. */
  public String key() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
