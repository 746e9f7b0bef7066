package ai.lvm.ingest;

import ai.lvm.ingest.IngestConfig.Format;
import ai.lvm.job.HadoopSettings;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Reads one input file inside a Spark task into document rows ({@link #SCHEMA}): a JSON Lines file
 * gives one row per non-blank line, a text file one row. Every row carries where it came from (file
 * and line), and either the document's chunks or why it is bad ({@link BadRecord} and a message
 * naming the file and line). Bad records are data, not exceptions, so the driver can count them per
 * reason and report the first ones in input order.
 */
final class DocumentReader implements FlatMapFunction<Row, Row>, Serializable {
  private static final long serialVersionUID = 1L;
  private static final ObjectMapper JSON = new ObjectMapper();

  static final String FILE = "file";
  static final String LINE = "line";
  static final String DOC_ID = "doc_id";
  static final String SOURCE = "source";
  static final String CHUNKS = "chunks";
  static final String REASON = "reason";
  static final String MESSAGE = "message";

  /** A document (or a bad record) as read, before duplicate checks and embedding. */
  static final StructType SCHEMA =
      new StructType()
          .add(FILE, DataTypes.StringType, false)
          .add(LINE, DataTypes.LongType, false)
          .add(DOC_ID, DataTypes.StringType, true)
          .add(SOURCE, DataTypes.StringType, true)
          .add(CHUNKS, DataTypes.createArrayType(DataTypes.StringType, false), true)
          .add(REASON, DataTypes.StringType, true)
          .add(MESSAGE, DataTypes.StringType, true);

  /** The input files: the path to open and the relative path that names the document. */
  static final StructType FILES =
      new StructType()
          .add("path", DataTypes.StringType, false)
          .add("relative", DataTypes.StringType, false);

  private final Format format;
  private final int minChunkChars;
  private final int maxChunkChars;
  private final String defaultSource;
  private final Map<String, String> hadoopConf;

  /**
   * @param defaultSource the {@code source} of documents that name none (text files in the input
   *     directory's top level, JSON records without {@code source})
   * @param hadoopConf the driver's Hadoop settings, so tasks reach the same file systems
   */
  DocumentReader(
      Format format,
      int minChunkChars,
      int maxChunkChars,
      String defaultSource,
      Map<String, String> hadoopConf) {
    this.format = format;
    this.minChunkChars = minChunkChars;
    this.maxChunkChars = maxChunkChars;
    this.defaultSource = defaultSource;
    this.hadoopConf = hadoopConf;
  }

  @Override
  public java.util.Iterator<Row> call(Row file) throws IOException {
    String path = file.getString(0);
    String relative = file.getString(1);
    Configuration conf = HadoopSettings.toConfiguration(hadoopConf);
    Path p = new Path(path);
    Chunker chunker = new Chunker(minChunkChars, maxChunkChars);
    try (InputStream in = new BufferedInputStream(p.getFileSystem(conf).open(p), 1 << 16)) {
      return format == Format.JSONL
          ? jsonLines(in, relative, chunker).iterator()
          : List.of(textFile(in.readAllBytes(), relative, chunker)).iterator();
    }
  }

  /** One text file: doc_id = its relative path, source = its top directory. */
  static Row textFile(byte[] bytes, String relative, Chunker chunker, String defaultSource) {
    String text;
    try {
      text = decode(bytes);
    } catch (CharacterCodingException e) {
      return bad(relative, 0, relative, BadRecord.INVALID_UTF8, relative + ": " + e.getMessage());
    }
    int slash = relative.indexOf('/');
    String source = slash > 0 ? relative.substring(0, slash) : defaultSource;
    Markup.Kind kind = Markup.kindOf(relative);
    List<String> chunks =
        chunker.chunk(Markup.strip(text, kind == null ? Markup.Kind.PLAIN : kind));
    if (chunks.isEmpty()) {
      return bad(
          relative,
          0,
          relative,
          BadRecord.EMPTY_DOCUMENT,
          relative + ": no text to embed (empty, or only markup)");
    }
    return RowFactory.create(
        relative, 0L, relative, source, chunks.toArray(String[]::new), null, null);
  }

  private Row textFile(byte[] bytes, String relative, Chunker chunker) {
    return textFile(bytes, relative, chunker, defaultSource);
  }

  private List<Row> jsonLines(InputStream in, String relative, Chunker chunker) throws IOException {
    List<Row> out = new ArrayList<>();
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    long number = 0;
    int b;
    boolean pending = false;
    while ((b = in.read()) != -1) {
      pending = true;
      if (b == '\n') {
        number++;
        addLine(out, line.toByteArray(), relative, number, chunker);
        line.reset();
        pending = false;
      } else {
        line.write(b);
      }
    }
    if (pending) {
      addLine(out, line.toByteArray(), relative, number + 1, chunker);
    }
    return out;
  }

  private void addLine(List<Row> out, byte[] bytes, String file, long number, Chunker chunker) {
    Row row = jsonLine(bytes, file, number, chunker, defaultSource);
    if (row != null) {
      out.add(row);
    }
  }

  /** One JSON line, or null when the line is blank (blank lines are not records). */
  static Row jsonLine(byte[] bytes, String file, long number, Chunker chunker, String source) {
    String where = file + ":" + number;
    String text;
    try {
      text = decode(bytes);
    } catch (CharacterCodingException e) {
      return bad(file, number, null, BadRecord.INVALID_UTF8, where + ": " + e.getMessage());
    }
    if (text.isBlank()) {
      return null;
    }
    JsonNode node;
    try {
      node = JSON.readTree(text);
    } catch (JsonProcessingException e) {
      return bad(
          file,
          number,
          null,
          BadRecord.INVALID_JSON,
          where + ": invalid JSON (" + e.getOriginalMessage() + ")");
    }
    if (!(node instanceof ObjectNode record)) {
      return bad(
          file,
          number,
          null,
          BadRecord.INVALID_JSON,
          where + ": expected a JSON object per line, found " + node.getNodeType());
    }
    JsonNode id = record.get("doc_id");
    if (id == null || !(id.isTextual() || id.isIntegralNumber()) || id.asText().isBlank()) {
      return bad(
          file,
          number,
          null,
          BadRecord.MISSING_DOC_ID,
          where + ": no doc_id (a non-blank string) in the record");
    }
    String docId = id.asText();
    String at = where + " (doc_id '" + docId + "')";
    JsonNode src = record.get("source");
    if (src != null && !src.isNull() && !src.isTextual()) {
      return bad(file, number, docId, BadRecord.INVALID_FIELD, at + ": 'source' is not a string");
    }
    String docSource = src != null && src.isTextual() ? src.asText() : source;
    JsonNode textNode = record.get("text");
    JsonNode chunksNode = record.get("chunks");
    boolean hasText = textNode != null && !textNode.isNull();
    boolean hasChunks = chunksNode != null && !chunksNode.isNull();
    if (hasText && hasChunks) {
      return bad(
          file,
          number,
          docId,
          BadRecord.INVALID_FIELD,
          at + ": has both 'text' and 'chunks'; give one");
    }
    List<String> chunks = new ArrayList<>();
    if (hasText) {
      if (!textNode.isTextual()) {
        return bad(file, number, docId, BadRecord.INVALID_FIELD, at + ": 'text' is not a string");
      }
      chunks = chunker.chunk(textNode.asText());
    } else if (hasChunks) {
      if (!chunksNode.isArray()) {
        return bad(file, number, docId, BadRecord.INVALID_FIELD, at + ": 'chunks' is not an array");
      }
      for (int i = 0; i < chunksNode.size(); i++) {
        JsonNode c = chunksNode.get(i);
        if (!c.isTextual() || c.asText().isBlank()) {
          return bad(
              file,
              number,
              docId,
              BadRecord.INVALID_FIELD,
              at + ": chunks[" + i + "] is not a non-blank string");
        }
        chunks.add(c.asText());
      }
    }
    if (chunks.isEmpty()) {
      return bad(
          file,
          number,
          docId,
          BadRecord.EMPTY_DOCUMENT,
          at + ": no text to embed ('text' or 'chunks' missing or empty)");
    }
    return RowFactory.create(
        file, number, docId, docSource, chunks.toArray(String[]::new), null, null);
  }

  private static Row bad(String file, long line, String docId, BadRecord reason, String message) {
    return RowFactory.create(file, line, docId, null, null, reason.key(), message);
  }

  /** Strict UTF-8 (a malformed byte fails, it is not replaced); a leading BOM is dropped. */
  static String decode(byte[] bytes) throws CharacterCodingException {
    CharsetDecoder decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    try {
      String s = decoder.decode(in).toString();
      return s.startsWith("\uFEFF") ? s.substring(1) : s;
    } catch (CharacterCodingException e) {
      // The decoder stops at the bad byte: name its offset, which the exception does not.
      throw new CharacterCodingException() {
        private static final long serialVersionUID = 1L;

        @Override
        public String getMessage() {
          return "invalid UTF-8 at byte " + in.position() + "; convert the file to UTF-8";
        }
      };
    }
  }
}
