package io.streamloader.sink.support;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SecretTest {

    @Test
    void printsMaskedAndRevealsOnlyOnRequest() {
        Secret secret = Secret.of("hunter2");
        assertThat(secret).hasToString("****");
        assertThat("config[" + secret + "]").doesNotContain("hunter2");
        assertThat(secret.reveal()).isEqualTo("hunter2");
        assertThat(secret).isEqualTo(Secret.of("hunter2")).isNotEqualTo(Secret.of("hunter3"));
        assertThat(Secret.of("")).isSameAs(Secret.NONE).hasToString("");
        assertThat(Secret.of(null).isEmpty()).isTrue();
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "jdbc:postgresql://db:5432/app?user=sl&password=hunter2 | jdbc:postgresql://db:5432/app?user=sl&password=****",
                "jdbc:postgresql://sl:hunter2@db:5432/app | jdbc:postgresql://sl:****@db:5432/app",
                "mongodb://sl:hunter2@h1:27017,h2:27017/db?authSource=admin | mongodb://sl:****@h1:27017,h2:27017/db?authSource=admin",
                "mongodb+srv://sl:p@ss:hunter2@cluster/db | mongodb+srv://sl:****@cluster/db",
                "https://user@es:9200 | https://user@es:9200",
                "http://es:9200/?api_key=hunter2&x=1 | http://es:9200/?api_key=****&x=1",
                "s3://b/k?X-Amz-Signature=hunter2&X-Amz-Credential=AKIA | s3://b/k?X-Amz-Signature=****&X-Amz-Credential=****",
                "jdbc:postgresql://db/app;sslpassword=hunter2 | jdbc:postgresql://db/app;sslpassword=****",
                "see http://a:hunter2@h/x and http://b:hunter2@h/y | see http://a:****@h/x and http://b:****@h/y",
                "plain text, no URL | plain text, no URL"
            })
    void masksSecretsInsideUrls(String text, String masked) {
        assertThat(Secret.maskUrls(text)).isEqualTo(masked).doesNotContain("hunter2");
    }
}
