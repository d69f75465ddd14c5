package io.streamloader.devstack;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A self-signed certificate for a test broker's TLS listener, made with the running JDK's {@code keytool}, so no
 * library or download is needed. The certificate names {@code localhost} and {@code 127.0.0.1}, so clients verify
 * the host name as they would in production; it is its own CA ({@link #caPem()} is what clients trust).
 *
 * @param keystore PKCS12 key store holding the broker's key and certificate
 * @param password the key store's password (a test secret, not a real one)
 * @param caPem the certificate as PEM, for clients' {@code ssl.truststore.location} with type {@code PEM}
 */
record KafkaTls(Path keystore, String password, Path caPem) {

    /** The certificate in {@code dir}, made on first use and kept (a broker restart reuses it). */
    static KafkaTls in(Path dir) throws IOException {
        KafkaTls tls = new KafkaTls(dir.resolve("broker.p12"), "devstack-keystore", dir.resolve("ca.pem"));
        if (Files.exists(tls.caPem)) {
            return tls;
        }
        Files.createDirectories(dir);
        Files.deleteIfExists(tls.keystore);
        keytool(
                "-genkeypair",
                "-alias",
                "broker",
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-validity",
                "3650",
                "-dname",
                "CN=localhost",
                "-ext",
                "SAN=dns:localhost,ip:127.0.0.1",
                "-storetype",
                "PKCS12",
                "-keystore",
                tls.keystore.toString(),
                "-storepass",
                tls.password);
        Path pending = dir.resolve("ca.pem.tmp");
        keytool(
                "-exportcert",
                "-rfc",
                "-alias",
                "broker",
                "-keystore",
                tls.keystore.toString(),
                "-storepass",
                tls.password,
                "-file",
                pending.toString());
        Files.move(pending, tls.caPem);
        return tls;
    }

    private static void keytool(String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IOException("keytool " + args[0] + " failed: " + output.strip());
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running keytool", e);
        }
    }
}
