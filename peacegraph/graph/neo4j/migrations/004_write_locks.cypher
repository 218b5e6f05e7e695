// per-id write locks for read-check-write transactions
CREATE CONSTRAINT lock_id IF NOT EXISTS FOR (l:_Lock) REQUIRE l.id IS UNIQUE;
