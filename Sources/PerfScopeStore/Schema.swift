/// The history schema: one list of numbered, forward-only migrations shared by SQLite and PostgreSQL.
///
/// The SQL is written in the subset both understand (TEXT, BIGINT, DOUBLE PRECISION, upserts),
/// times are Unix seconds (DOUBLE PRECISION) so ordering and windows are plain comparisons, and
/// `schema_migrations` records every applied step. A step is never edited once released: a change
/// is a new step. Tests create a database at every earlier version and migrate it to the latest.
public enum Schema {
    public struct Migration: Sendable {
        public let version: Int
        public let name: String
        public let statements: [String]
    }

    public static let migrations: [Migration] = [
        Migration(version: 1, name: "runs, findings, root causes", statements: [
            """
            CREATE TABLE runs (
                id TEXT PRIMARY KEY,
                cluster TEXT NOT NULL,
                source TEXT,
                window_start DOUBLE PRECISION NOT NULL,
                window_end DOUBLE PRECISION NOT NULL,
                created_at DOUBLE PRECISION NOT NULL,
                stored_at DOUBLE PRECISION NOT NULL,
                grade TEXT NOT NULL,
                score_disk BIGINT,
                score_network BIGINT,
                score_cpu BIGINT,
                score_memory BIGINT,
                score_consensus BIGINT,
                score_database BIGINT,
                findings_critical BIGINT NOT NULL DEFAULT 0,
                findings_high BIGINT NOT NULL DEFAULT 0,
                findings_medium BIGINT NOT NULL DEFAULT 0,
                findings_low BIGINT NOT NULL DEFAULT 0,
                findings_info BIGINT NOT NULL DEFAULT 0,
                top_root_cause TEXT,
                report_json TEXT NOT NULL
            )
            """,
            "CREATE INDEX runs_created_at ON runs (created_at)",
            "CREATE INDEX runs_cluster_created_at ON runs (cluster, created_at)",
            """
            CREATE TABLE findings (
                run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
                ordinal BIGINT NOT NULL,
                id TEXT NOT NULL,
                severity TEXT NOT NULL,
                category TEXT NOT NULL,
                methodology TEXT NOT NULL,
                title TEXT NOT NULL,
                instances TEXT NOT NULL,
                PRIMARY KEY (run_id, ordinal)
            )
            """,
            "CREATE INDEX findings_id ON findings (id)",
            """
            CREATE TABLE root_causes (
                run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
                rank BIGINT NOT NULL,
                category TEXT NOT NULL,
                instances TEXT NOT NULL,
                likelihood TEXT NOT NULL,
                confidence DOUBLE PRECISION NOT NULL,
                summary TEXT NOT NULL,
                finding_ids TEXT NOT NULL,
                PRIMARY KEY (run_id, rank)
            )
            """,
        ]),
        // Window statistics per series, queryable for trends without parsing report JSON.
        // p95 (over time, like the report's `metrics[]`), not p99: the report has no p99 statistic.
        Migration(version: 2, name: "metric summaries", statements: [
            """
            CREATE TABLE metric_summaries (
                run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
                ordinal BIGINT NOT NULL,
                subsystem TEXT NOT NULL,
                metric TEXT NOT NULL,
                instance TEXT NOT NULL,
                labels TEXT NOT NULL,
                unit TEXT NOT NULL,
                avg DOUBLE PRECISION,
                max DOUBLE PRECISION,
                min DOUBLE PRECISION,
                last DOUBLE PRECISION,
                p95 DOUBLE PRECISION,
                points BIGINT NOT NULL,
                PRIMARY KEY (run_id, ordinal)
            )
            """,
            "CREATE INDEX metric_summaries_metric_instance ON metric_summaries (metric, instance)",
        ]),
        Migration(version: 3, name: "baselines per cluster", statements: [
            """
            CREATE TABLE baselines (
                cluster TEXT PRIMARY KEY,
                run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
                set_at DOUBLE PRECISION NOT NULL
            )
            """,
            "CREATE INDEX baselines_run_id ON baselines (run_id)",
        ]),
        // Chat conversations survive restarts: each with its own system prompt (NULL → the
        // server's), its messages in order, and server-wide settings such as the default prompt.
        Migration(version: 4, name: "conversations and settings", statements: [
            """
            CREATE TABLE conversations (
                id TEXT PRIMARY KEY,
                title TEXT NOT NULL,
                system_prompt TEXT,
                created_at DOUBLE PRECISION NOT NULL,
                updated_at DOUBLE PRECISION NOT NULL
            )
            """,
            "CREATE INDEX conversations_updated_at ON conversations (updated_at)",
            """
            CREATE TABLE conversation_messages (
                conversation_id TEXT NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
                ordinal BIGINT NOT NULL,
                role TEXT NOT NULL,
                content TEXT NOT NULL,
                steps TEXT,
                created_at DOUBLE PRECISION NOT NULL,
                PRIMARY KEY (conversation_id, ordinal)
            )
            """,
            """
            CREATE TABLE settings (
                key TEXT PRIMARY KEY,
                value TEXT NOT NULL,
                updated_at DOUBLE PRECISION NOT NULL
            )
            """,
        ]),
    ]

    public static var latestVersion: Int { migrations.last?.version ?? 0 }

    static let createVersionTable = """
        CREATE TABLE IF NOT EXISTS schema_migrations (
            version BIGINT PRIMARY KEY,
            name TEXT NOT NULL,
            applied_at DOUBLE PRECISION NOT NULL
        )
        """

    /// The steps after `current`, up to `target` (latest when nil).
    static func pending(after current: Int, upTo target: Int?) -> [Migration] {
        migrations.filter { $0.version > current && $0.version <= (target ?? latestVersion) }
    }
}
