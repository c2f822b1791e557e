import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import org.h2.mvstore.MVStore;

/**
 * Serves the MongoDB wire protocol on loopback. With MONGO_WIRE_FILE set, data persists in that
 * H2 file (the dev stack); without it, data lives in memory (a test run).
 *
 * MONGO_WIRE_CACHE_MB sizes H2's page cache (H2's own default is 16 MB). mongo-java-server answers
 * every query but one by _id by reading every document of the collection, so a cache smaller than
 * the file reads it from disk for each list page: seconds per page at 20 000 cases, and no answer
 * at 40 000; with the file in cache it still answered at 100 000 (`npm run bench:store`).
 */
public class MongoWire {
    public static void main(String[] args) throws Exception {
        String file = System.getenv("MONGO_WIRE_FILE");
        int port = Integer.parseInt(System.getenv().getOrDefault("MONGO_WIRE_PORT", "27017"));
        int cacheMb = Integer.parseInt(System.getenv().getOrDefault("MONGO_WIRE_CACHE_MB", "16"));
        boolean inMemory = file == null || file.isEmpty();
        H2Backend backend = inMemory ? H2Backend.inMemory() : new H2Backend(new MVStore.Builder().fileName(file).cacheSize(cacheMb).open());
        MongoServer server = new MongoServer(backend);
        Runtime.getRuntime().addShutdownHook(new Thread(server::shutdown));
        server.bind("127.0.0.1", port);
        System.out.println("mongo-wire listening on 127.0.0.1:" + port + (inMemory ? " (memory)" : " (" + file + ", cache " + cacheMb + " MB)"));
        Thread.currentThread().join();
    }
}
