// records table for tokens, audit entries and deleted-node snapshots
CREATE NODE TABLE IF NOT EXISTS _Record(key STRING PRIMARY KEY, kind STRING, at STRING, ref STRING, actor STRING, body STRING);
