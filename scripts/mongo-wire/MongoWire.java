import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.backend.QueryResult;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.backend.h2.H2Collection;
import de.bwaldvogel.mongo.backend.h2.H2Database;
import de.bwaldvogel.mongo.bson.Document;
import io.netty.channel.Channel;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;

/**
 * Serves the MongoDB wire protocol on loopback. With MONGO_WIRE_FILE set, data persists in that
 * H2 file (the dev stack); without it, data lives in memory (a test run).
 *
 * MONGO_WIRE_CACHE_MB sizes H2's page cache (H2's own default is 16 MB). mongo-java-server answers
 * every query whose keys are not exactly an index's by reading every document of the collection,
 * so a cache smaller than the file reads it from disk for each list page: seconds per page at
 * 20 000 cases, and no answer at 40 000; with the file in cache it still answered at 100 000
 * (`npm run bench:store`).
 *
 * Durability: a write is committed to the file before the server answers it (Backend.handleCommand),
 * so whatever a client saw acknowledged survives the process being killed (SIGKILL included). H2's
 * own default commits from a background thread about once a second, which lost acknowledged writes
 * when the process was killed. The commit leaves the data with the operating system; MONGO_WIRE_FSYNC=1
 * also forces it to the disk on every write (survives a power cut, costs a disk flush per write).
 * docs/operations.md, "The MongoDB-wire stand-in".
 *
 * A query that names one string `_id` among other conditions (the projection's versioned write,
 * `{_id, version}`) reads only that document here: mongo-java-server would scan the collection for
 * it, so each case's write cost grew with the number of cases (a 100 000-case bench opened 15 cases
 * a second at first and 3 at 40 000, the server's threads all matching documents).
 */
public class MongoWire {
    public static void main(String[] args) throws Exception {
        String file = System.getenv("MONGO_WIRE_FILE");
        int port = Integer.parseInt(System.getenv().getOrDefault("MONGO_WIRE_PORT", "27017"));
        int cacheMb = Integer.parseInt(System.getenv().getOrDefault("MONGO_WIRE_CACHE_MB", "16"));
        boolean inMemory = file == null || file.isEmpty();
        MVStore store = inMemory ? MVStore.open(null) : new MVStore.Builder().fileName(file).cacheSize(cacheMb).open();
        boolean fsync = "1".equals(System.getenv("MONGO_WIRE_FSYNC"));
        // H2 keeps each dead chunk for 45 s before reusing its space (a guard for disks that reorder
        // unflushed writes on a power cut); with a commit per write that held every write of the last
        // 45 s, a file 14x the size of one commit a second. A killed process loses nothing the
        // kernel already has, so 1 s is enough unless every commit is flushed anyway.
        if (!inMemory && !fsync) store.setRetentionTime(1_000);
        MongoServer server = new MongoServer(new Backend(store, fsync));
        Runtime.getRuntime().addShutdownHook(new Thread(server::shutdown));
        server.bind("127.0.0.1", port);
        System.out.println("mongo-wire listening on 127.0.0.1:" + port + (inMemory ? " (memory)" : " (" + file + ", cache " + cacheMb + " MB, commit per write" + (fsync ? " + fsync" : "") + ")"));
        Thread.currentThread().join();
    }

    static class Backend extends H2Backend {
        private final boolean fsync;

        Backend(MVStore store, boolean fsync) {
            super(store);
            this.fsync = fsync;
        }

        /**
         * Every client command (OP_MSG and OP_QUERY both arrive here) is answered only after what it
         * changed is committed: the wire handler writes the response once this returns. Committed
         * even when the command fails, since part of a batch may already be applied and reported.
         * A known write always commits: commit() waits for a commit another thread has under way
         * (which may hold this write's pages) and then writes what is left, on this thread. Any
         * other command commits only if it left changes behind; a read costs one check.
         */
        @Override
        public Document handleCommand(Channel channel, String database, String command, Document query) {
            try {
                return super.handleCommand(channel, database, command, query);
            } finally {
                MVStore store = getMvStore();
                if (store.getFileStore() != null && (WRITES.contains(command.toLowerCase(Locale.ROOT)) || store.hasUnsavedChanges())) {
                    store.commit();
                    if (fsync) store.sync();
                }
            }
        }

        private static final Set<String> WRITES = Set.of(
            "insert", "update", "delete", "findandmodify", "create", "drop", "dropdatabase", "createindexes", "dropindexes", "renamecollection", "aggregate");

        @Override
        protected MongoDatabase openOrCreateDatabase(String name) {
            return new Database(name);
        }

        /** Inner, so the store is at hand while H2Database's constructor already opens collections. */
        class Database extends H2Database {
            Database(String name) {
                super(name, getMvStore(), getCursorRegistry());
            }

            /** The map names are H2Database's own (mongo-java-server 1.47, pinned in pom.xml), so existing files open unchanged. */
            @Override
            protected MongoCollection<Object> openOrCreateCollection(String name, CollectionOptions options) {
                String namespace = getFullCollectionNamespace(name);
                MVMap<Object, Document> data = getMvStore().openMap("databases." + namespace);
                MVMap<String, Object> meta = getMvStore().openMap("meta." + namespace);
                return new Collection(this, name, options, data, meta, cursorRegistry);
            }
        }
    }

    static class Collection extends H2Collection {
        Collection(MongoDatabase db, String name, CollectionOptions options, MVMap<Object, Document> data, MVMap<String, Object> meta, CursorRegistry cursors) {
            super(db, name, options, data, meta, cursors);
        }

        /** Reached when no index answers the query: one named string `_id` narrows it to that document, matched against the whole query. */
        @Override
        protected QueryResult matchDocuments(Document query, Document orderBy, int skip, int limit, int batchSize, Document fields) {
            Object id = getIdField() == null ? null : query.get(getIdField());
            if (!(id instanceof String)) return super.matchDocuments(query, orderBy, skip, limit, batchSize, fields);
            List<Object> positions = getDocument(id) == null ? List.of() : List.of(id);
            return matchDocuments(query, positions, orderBy, skip, limit, batchSize, fields);
        }
    }
}
