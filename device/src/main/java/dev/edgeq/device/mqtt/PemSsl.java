package dev.edgeq.device.mqtt;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Collection;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Builds an SSLContext from PEM files with the JDK alone: a CA bundle to trust (instead of the JDK's
 * default roots), and optionally a client certificate chain and private key for mutual TLS. Keys: PKCS#8
 * ({@code BEGIN PRIVATE KEY}; RSA, EC or Ed25519) and PKCS#1 RSA ({@code BEGIN RSA PRIVATE KEY}, wrapped
 * into PKCS#8 here). Encrypted keys are refused with a message saying how to decrypt them.
 */
public final class PemSsl {
    private static final Pattern BLOCK = Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]+)-----END \\1-----");

    private PemSsl() {}

    public static SSLContext context(Path caFile, Path certFile, Path keyFile) throws IOException {
        try {
            TrustManagerFactory tmf = null;
            if (caFile != null) {
                KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
                trust.load(null, null);
                int i = 0;
                for (Certificate c : certificates(caFile)) trust.setCertificateEntry("ca" + i++, c);
                tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(trust);
            }
            KeyManagerFactory kmf = null;
            if (certFile != null) {
                Certificate[] chain = certificates(certFile).toArray(new Certificate[0]);
                PrivateKey key = privateKey(keyFile);
                KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
                ks.load(null, null);
                char[] none = new char[0];
                ks.setKeyEntry("client", key, none, chain);
                kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(ks, none);
            }
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf == null ? null : kmf.getKeyManagers(), tmf == null ? null : tmf.getTrustManagers(), null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IOException("TLS set-up failed: " + e.getMessage(), e);
        }
    }

    static Collection<? extends Certificate> certificates(Path file) throws IOException, GeneralSecurityException {
        byte[] bytes = read(file, "certificate");
        Collection<? extends Certificate> certs;
        try (InputStream in = new ByteArrayInputStream(bytes)) {
            certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
        } catch (java.security.cert.CertificateException e) {
            throw new IOException(file + ": not a PEM certificate file (" + e.getMessage() + ")", e);
        }
        if (certs.isEmpty()) throw new IOException(file + ": no certificate in it");
        return certs;
    }

    static PrivateKey privateKey(Path file) throws IOException, GeneralSecurityException {
        String pem = new String(read(file, "private key"), StandardCharsets.US_ASCII);
        Matcher m = BLOCK.matcher(pem);
        while (m.find()) {
            String type = m.group(1);
            byte[] der = Base64.getMimeDecoder().decode(m.group(2));
            switch (type) {
                case "PRIVATE KEY":
                    return pkcs8(der, file);
                case "RSA PRIVATE KEY":
                    return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(wrapPkcs1Rsa(der)));
                case "ENCRYPTED PRIVATE KEY":
                    throw new IOException(file + ": the key is encrypted; decrypt it first: openssl pkcs8 -in KEY -out KEY.plain");
                case "EC PRIVATE KEY":
                    throw new IOException(file + ": SEC1 EC key; convert it to PKCS#8: openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.pk8");
                default:
                    // skip e.g. "EC PARAMETERS"
            }
        }
        throw new IOException(file + ": no PEM private key in it (expected -----BEGIN PRIVATE KEY-----)");
    }

    private static PrivateKey pkcs8(byte[] der, Path file) throws IOException {
        for (String alg : new String[] {"RSA", "EC", "Ed25519", "EdDSA"}) {
            try {
                return KeyFactory.getInstance(alg).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                // try the next algorithm
            }
        }
        throw new IOException(file + ": PKCS#8 key of an unsupported algorithm (RSA, EC and Ed25519 are supported)");
    }

    /** PKCS#8 PrivateKeyInfo { version 0, AlgorithmIdentifier rsaEncryption NULL, OCTET STRING pkcs1 }. */
    static byte[] wrapPkcs1Rsa(byte[] pkcs1) {
        byte[] algId = {0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00};
        byte[] version = {0x02, 0x01, 0x00};
        byte[] octet = tlv(0x04, pkcs1);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(version);
        body.writeBytes(algId);
        body.writeBytes(octet);
        return tlv(0x30, body.toByteArray());
    }

    private static byte[] tlv(int tag, byte[] value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        int n = value.length;
        if (n < 0x80) {
            out.write(n);
        } else if (n < 0x100) {
            out.write(0x81);
            out.write(n);
        } else if (n < 0x10000) {
            out.write(0x82);
            out.write(n >> 8);
            out.write(n);
        } else {
            out.write(0x83);
            out.write(n >> 16);
            out.write(n >> 8);
            out.write(n);
        }
        out.writeBytes(value);
        return out.toByteArray();
    }

    private static byte[] read(Path file, String what) throws IOException {
        if (file == null) throw new IOException("no " + what + " file given");
        if (!Files.isReadable(file)) throw new IOException(what + " file " + file + " is missing or not readable");
        return Files.readAllBytes(file);
    }
}
