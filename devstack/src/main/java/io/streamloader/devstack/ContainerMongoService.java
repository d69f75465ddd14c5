package io.streamloader.devstack;

import java.io.IOException;
import org.testcontainers.mongodb.MongoDBContainer;

/** A real standalone mongod in a container: unlike mongo-java-server it has sessions, $text and {@code hello}. */
final class ContainerMongoService extends ContainerService implements MongoService {

    private static final int MONGO_PORT = 27017;

    ContainerMongoService(String image, int port) {
        super(new MongoDBContainer(image), MONGO_PORT, port);
    }

    @Override
    public String name() {
        return "MongoDB (container)";
    }

    @Override
    public String connectionString() {
        return "mongodb://" + Ports.HOST + ":" + port() + "/?directConnection=true";
    }

    @Override
    boolean ready() {
        try {
            return container()
                    .execInContainer("mongosh", "--quiet", "--eval", "db.adminCommand({ping: 1}).ok")
                    .getStdout()
                    .trim()
                    .equals("1");
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
