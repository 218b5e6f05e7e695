// A local Neo4j Community server for development and tests: Neo4j's own DBMS, in this
// JVM, with Bolt on loopback. Started by tools/neo4j/run.sh on the classpath Maven
// resolves from tools/neo4j/pom.xml; never packaged or committed as a binary.
//
// Usage: Neo4jServer HOME PORT [PLUGIN_DIR]
// Prints one line "Neo4j ready on bolt://127.0.0.1:PORT" once Bolt answers, then runs
// until it is interrupted (Ctrl-C, SIGTERM), and shuts the databases down cleanly.

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.GraphDatabaseService;

public final class Neo4jServer {
    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: Neo4jServer HOME PORT [PLUGIN_DIR]");
            System.exit(2);
        }
        Path home = Path.of(args[0]).toAbsolutePath();
        int port = Integer.parseInt(args[1]);
        Files.createDirectories(home);
        DatabaseManagementServiceBuilder builder = new DatabaseManagementServiceBuilder(home)
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", port))
                .setConfig(HttpConnector.enabled, false)
                // Loopback only, for development and tests: no users to manage.
                .setConfig(GraphDatabaseSettings.auth_enabled, false)
                .setConfig(GraphDatabaseSettings.pagecache_memory, 512L * 1024 * 1024)
                .setConfig(GraphDatabaseSettings.transaction_timeout, Duration.ofSeconds(60));
        if (args.length > 2) {
            Path plugins = Path.of(args[2]).toAbsolutePath();
            builder.setConfig(GraphDatabaseSettings.plugin_dir, plugins)
                    .setConfig(GraphDatabaseSettings.procedure_unrestricted, java.util.List.of("apoc.*"));
        }
        DatabaseManagementService dbms = builder.build();
        Runtime.getRuntime().addShutdownHook(new Thread(dbms::shutdown));
        GraphDatabaseService db = dbms.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME);
        db.executeTransactionally("RETURN 1");
        System.out.println("Neo4j ready on bolt://127.0.0.1:" + port);
        System.out.flush();
        if ("1".equals(System.getenv("NEO4J_WATCH_STDIN"))) {
            // The parent (a test session) holds our standard input: its end, even by a crash, ends us.
            while (System.in.read() != -1) {
                // Input is ignored; only its end matters.
            }
            System.exit(0);
        }
        Thread.currentThread().join();
    }
}
