// indexes on search keys and dates, full-text index on names and aliases
CREATE INDEX entity_search_key IF NOT EXISTS FOR (n:Entity) ON (n.searchKey);
CREATE INDEX entity_dates IF NOT EXISTS FOR (n:Entity) ON (n.dateFrom, n.dateTo);
CREATE FULLTEXT INDEX node_search IF NOT EXISTS FOR (n:Organization|Person|Event|Programme|Place|Observation|Source) ON EACH [n.searchKey];
