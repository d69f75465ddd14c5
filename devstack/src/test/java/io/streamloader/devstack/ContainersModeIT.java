package io.streamloader.devstack;

import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;

/** Without Docker, containers mode must say so instead of failing somewhere inside Testcontainers. */
class ContainersModeIT {

    @Test
    void containersModeWithoutDockerFailsWithAClearMessage() {
        assumeFalse(DockerClientFactory.instance().isDockerAvailable(), "Docker is available here");

        assertThatThrownBy(() -> Containers.s3(0))
                .isInstanceOf(DevStackException.class)
                .hasMessageContaining("streamloader.services=containers needs Docker");
        assertThatThrownBy(() -> Containers.mongo(0)).hasMessageContaining("needs Docker");
    }
}
