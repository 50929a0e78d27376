//! The history on disk: an SQLite file (WAL journal) that the console writes behind the
//! ring and reads back at start. SQLite because one file that any `sqlite3` opens lets an
//! operator query past alerts by hand, its crash safety is the best tested of any embedded
//! store, and rusqlite's `bundled` build needs no system library.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rusqlite::{Connection, params};
use saker_event::Alert;

use crate::ConsoleError;
use crate::history::{RestoredAlert, StoredAlert};

/// The layout this code writes (`PRAGMA user_version`).
const SCHEMA_VERSION: i64 = 1;

const SCHEMA: &str = "
CREATE TABLE alerts (
    id INTEGER PRIMARY KEY,
    time_ns INTEGER NOT NULL,
    received_ns INTEGER NOT NULL,
    priority TEXT NOT NULL,
    rule TEXT NOT NULL,
    source TEXT NOT NULL,
    output TEXT NOT NULL,
    -- The alert as /api/alerts serves it (output_fields, tags, hostname...).
    json TEXT NOT NULL
);
PRAGMA user_version = 1;
";

pub(crate) struct Store {
    connection: Connection,
    path: PathBuf,
    keep: usize,
}

impl Store {
    /// Opens (or creates) the file and reads back the newest `keep` alerts, oldest first.
    pub fn open(path: &Path, keep: usize) -> Result<(Store, Vec<RestoredAlert>), ConsoleError> {
        let db_error = |source| ConsoleError::Database {
            path: path.to_path_buf(),
            source,
        };
        let connection = Connection::open(path).map_err(db_error)?;
        // WAL: a crash loses at most the last unsynced batch, never the file.
        connection
            .pragma_update(None, "journal_mode", "WAL")
            .map_err(db_error)?;
        connection
            .pragma_update(None, "synchronous", "NORMAL")
            .map_err(db_error)?;
        let version: i64 = connection
            .pragma_query_value(None, "user_version", |row| row.get(0))
            .map_err(db_error)?;
        match version {
            SCHEMA_VERSION => {}
            0 => {
                let tables: i64 = connection
                    .query_row("SELECT count(*) FROM sqlite_master", [], |row| row.get(0))
                    .map_err(db_error)?;
                if tables > 0 {
                    return Err(ConsoleError::NotOurs {
                        path: path.to_path_buf(),
                        reason: "holds other tables: not a Saker console database".to_string(),
                    });
                }
                connection.execute_batch(SCHEMA).map_err(db_error)?;
            }
            other => {
                return Err(ConsoleError::NotOurs {
                    path: path.to_path_buf(),
                    reason: format!(
                        "schema version {other}, this Saker reads version {SCHEMA_VERSION}"
                    ),
                });
            }
        }
        let store = Store {
            connection,
            path: path.to_path_buf(),
            keep,
        };
        let restored = store.read_newest().map_err(db_error)?;
        Ok((store, restored))
    }

    fn read_newest(&self) -> rusqlite::Result<Vec<RestoredAlert>> {
        let mut statement = self.connection.prepare(
            "SELECT id, received_ns, json FROM
               (SELECT id, received_ns, json FROM alerts ORDER BY id DESC LIMIT ?1)
             ORDER BY id",
        )?;
        let rows = statement.query_map([self.keep as i64], |row| {
            Ok((
                row.get::<_, i64>(0)?,
                row.get::<_, i64>(1)?,
                row.get::<_, String>(2)?,
            ))
        })?;
        let mut restored = Vec::new();
        for row in rows {
            let (id, received_ns, json) = row?;
            match alert_from_json(&json) {
                Some(alert) => restored.push(RestoredAlert {
                    id: id as u64,
                    received_ns: received_ns as u64,
                    alert,
                }),
                None => tracing::warn!(
                    path = %self.path.display(),
                    id,
                    "console: a stored alert does not parse; skipped"
                ),
            }
        }
        Ok(restored)
    }

    /// Appends `alerts` in one transaction and forgets what fell out of the history.
    pub fn write(&mut self, alerts: &[Arc<StoredAlert>]) -> rusqlite::Result<()> {
        let transaction = self.connection.transaction()?;
        {
            let mut insert = transaction.prepare_cached(
                "INSERT OR REPLACE INTO alerts
                   (id, time_ns, received_ns, priority, rule, source, output, json)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            )?;
            for alert in alerts {
                let json = alert.json();
                insert.execute(params![
                    alert.id as i64,
                    alert.time_ns as i64,
                    alert.received_ns as i64,
                    alert.priority.falco_name(),
                    &*alert.rule,
                    &*alert.source,
                    &*alert.output,
                    std::str::from_utf8(&json).unwrap_or_default(),
                ])?;
            }
        }
        if let Some(last) = alerts.last() {
            let oldest_kept = last.id.saturating_sub(self.keep as u64 - 1);
            transaction.execute("DELETE FROM alerts WHERE id < ?1", [oldest_kept as i64])?;
        }
        transaction.commit()
    }

    #[cfg(test)]
    fn count(&self) -> i64 {
        self.connection
            .query_row("SELECT count(*) FROM alerts", [], |row| row.get(0))
            .unwrap_or(-1)
    }
}

/// Rebuilds an alert from the JSON the history served; `None` when a field is missing.
fn alert_from_json(json: &str) -> Option<Alert> {
    let value: serde_json::Value = serde_json::from_str(json).ok()?;
    let text = |key: &str| value.get(key)?.as_str().map(str::to_string);
    Some(Alert {
        time_ns: value.get("time_ns")?.as_u64()?,
        rule: text("rule")?,
        priority: text("priority")?.parse().ok()?,
        source: text("source")?,
        output: text("output")?,
        output_fields: value
            .get("output_fields")?
            .as_object()?
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect(),
        tags: value
            .get("tags")?
            .as_array()?
            .iter()
            .filter_map(|t| t.as_str().map(str::to_string))
            .collect(),
        hostname: text("hostname")?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::history::History;
    use saker_event::Priority;

    fn alert(n: u64) -> Alert {
        Alert {
            time_ns: n,
            rule: format!("rule {n}"),
            priority: Priority::Error,
            source: "k8s_audit".to_string(),
            output: format!("<script>{n}</script>"),
            output_fields: [("ka.user.name".to_string(), serde_json::json!("a\"b"))].into(),
            tags: vec!["x".to_string()],
            hostname: "h".to_string(),
        }
    }

    #[test]
    fn keeps_the_newest_and_reads_them_back_as_they_were() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("console.db");
        let (mut store, restored) = Store::open(&path, 3).unwrap();
        assert!(restored.is_empty());
        let mut history = History::new(3);
        let stored: Vec<_> = (1..=5).map(|n| history.push(alert(n), n * 10)).collect();
        store.write(&stored[..2]).unwrap();
        store.write(&stored[2..]).unwrap();
        assert_eq!(store.count(), 3);
        drop(store);

        let (_, restored) = Store::open(&path, 3).unwrap();
        let ids: Vec<u64> = restored.iter().map(|r| r.id).collect();
        assert_eq!(ids, vec![3, 4, 5]);
        assert_eq!(restored[0].alert, alert(3));
        assert_eq!(restored[0].received_ns, 30);
        // A smaller history reads back fewer.
        let (_, restored) = Store::open(&path, 2).unwrap();
        assert_eq!(
            restored.iter().map(|r| r.id).collect::<Vec<_>>(),
            vec![4, 5]
        );
    }

    #[test]
    fn refuses_a_database_that_is_not_ours() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("other.db");
        Connection::open(&path)
            .unwrap()
            .execute_batch("CREATE TABLE t (x)")
            .unwrap();
        let error = Store::open(&path, 3).err().unwrap().to_string();
        assert!(
            error.ends_with("holds other tables: not a Saker console database"),
            "{error}"
        );

        let path = dir.path().join("newer.db");
        Connection::open(&path)
            .unwrap()
            .execute_batch("PRAGMA user_version = 7")
            .unwrap();
        let error = Store::open(&path, 3).err().unwrap().to_string();
        assert!(
            error.ends_with("schema version 7, this Saker reads version 1"),
            "{error}"
        );

        let path = dir.path().join("garbage.db");
        std::fs::write(&path, b"this is not a database file at all, just text...").unwrap();
        let error = Store::open(&path, 3).err().unwrap().to_string();
        assert!(
            error.starts_with(&format!("console: database {}", path.display())),
            "{error}"
        );
    }
}
