package io.streamloader.core.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * An access key as the server keeps it: only the SHA-256 of the secret. Configured as the secret itself or as {@code
 * sha256:<64 hex digits>} (so the file need not hold the secret), under {@code key:} or in the file named by {@code
 * key-file:} (trimmed; for container secrets). A presented key is hashed and compared with {@link
 * MessageDigest#isEqual}, which takes the same time wherever the digests differ.
 */
public final class KeySecret {

    /** Shortest secret accepted in clear text: 16 characters (about 96 bits when random). */
    public static final int MIN_LENGTH = 16;

    private static final String SHA256 = "sha256:";
    private final byte[] digest;

    private KeySecret(byte[] digest) {
        this.digest = digest.clone();
    }

    /**
     * Parses one configured value: {@code sha256:<hex>} or the clear secret.
     *
     * @throws IllegalArgumentException naming what is wrong (never echoing the value)
     */
    public static KeySecret parse(String configured) {
        String value = configured.strip();
        if (value.regionMatches(true, 0, SHA256, 0, SHA256.length())) {
            String hex = value.substring(SHA256.length());
            if (!hex.matches("[0-9a-fA-F]{64}")) {
                throw new IllegalArgumentException("a sha256: key needs exactly 64 hex digits after the prefix");
            }
            return new KeySecret(HexFormat.of().parseHex(hex));
        }
        if (value.length() < MIN_LENGTH) {
            throw new IllegalArgumentException("a key must have at least " + MIN_LENGTH
                    + " characters (or be given as sha256:<hex>), got " + value.length());
        }
        return new KeySecret(sha256(value));
    }

    /**
     * Binds {@code key} or {@code key-file} of one key entry (exactly one of them); problems go to the node. Empty when
     * there was a problem.
     */
    public static Optional<KeySecret> from(ConfigNode entry) {
        Optional<String> inline = entry.optionalString("key");
        Optional<Path> file = Optional.ofNullable(entry.path("key-file", null));
        if (inline.isPresent() == file.isPresent()) {
            entry.problem("key", "give exactly one of key and key-file");
            return Optional.empty();
        }
        String where = inline.isPresent() ? "key" : "key-file";
        try {
            String value = inline.isPresent() ? inline.get() : Files.readString(file.get(), StandardCharsets.UTF_8);
            return Optional.of(parse(value));
        } catch (IOException e) {
            entry.problem(
                    where, "cannot read " + file.get() + ": " + e.getClass().getSimpleName());
        } catch (IllegalArgumentException e) {
            entry.problem(where, e.getMessage());
        }
        return Optional.empty();
    }

    /** Whether {@code presented} is this key; constant time in the digests' contents. */
    public boolean matches(String presented) {
        return MessageDigest.isEqual(digest, sha256(presented));
    }

    /** The {@code sha256:<hex>} form, safe to log and to paste into a config. */
    public String hashed() {
        return SHA256 + HexFormat.of().formatHex(digest);
    }

    /** SHA-256 of the UTF-8 bytes of {@code s}. */
    public static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KeySecret k && MessageDigest.isEqual(digest, k.digest);
    }

    @Override
    public int hashCode() {
        return java.util.Arrays.hashCode(digest);
    }

    @Override
    public String toString() {
        return "KeySecret[****]";
    }
}
