package ai.lvm.format;

import java.util.Locale;

/** The three splits of a window snapshot; the lower-case name is what is stored. */
public enum Split {
  TRAIN,
  VAL,
  TEST;

  /** The stored name: {@code train}, {@code val}, {@code test}. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Split fromId(String id) {
    for (Split s : values()) {
      if (s.id().equals(id)) {
        return s;
      }
    }
    throw new IllegalArgumentException("Unknown split '" + id + "' (expected train, val or test)");
  }
}
