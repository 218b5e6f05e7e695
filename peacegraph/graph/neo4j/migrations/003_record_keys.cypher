// unique keys of tokens, audit entries and snapshots
CREATE CONSTRAINT record_key IF NOT EXISTS FOR (x:_Record) REQUIRE x.key IS UNIQUE;
