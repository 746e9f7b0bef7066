package ai.lvm.config;

/**
 * A problem the user can fix: a bad configuration value, a missing path, a corpus that breaks its
 * contract. The launcher prints the message alone (no stack trace) and exits with status 2, so the
 * message must name the problem, the offending value and what would fix it.
 */
public class InvalidInputException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public InvalidInputException(String message) {
    super(message);
  }

  public InvalidInputException(String message, Throwable cause) {
    super(message, cause);
  }
}
