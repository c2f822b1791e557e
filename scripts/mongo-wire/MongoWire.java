import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.h2.H2Backend;

/**
 * Serves the MongoDB wire protocol on loopback. With MONGO_WIRE_FILE set, data persists in that
 * H2 file (the dev stack); without it, data lives in memory (a test run).
 */
public class MongoWire {
    public static void main(String[] args) throws Exception {
        String file = System.getenv("MONGO_WIRE_FILE");
        int port = Integer.parseInt(System.getenv().getOrDefault("MONGO_WIRE_PORT", "27017"));
        H2Backend backend = (file == null || file.isEmpty()) ? H2Backend.inMemory() : new H2Backend(file);
        MongoServer server = new MongoServer(backend);
        Runtime.getRuntime().addShutdownHook(new Thread(server::shutdown));
        server.bind("127.0.0.1", port);
        System.out.println("mongo-wire listening on 127.0.0.1:" + port + (file == null || file.isEmpty() ? " (memory)" : " (" + file + ")"));
        Thread.currentThread().join();
    }
}
