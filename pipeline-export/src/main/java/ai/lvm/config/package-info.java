/**
 * Configuration: HOCON under {@code lvm.*}, the {@code --config}/{@code --set} command line, typed
 * and validated getters, and the user-facing {@link ai.lvm.config.InvalidInputException}.
 */
package ai.lvm.config;
