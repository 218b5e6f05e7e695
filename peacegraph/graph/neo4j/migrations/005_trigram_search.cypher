// search by trigrams, as the embedded store does: a TEXT index replaces the full-text one
CREATE TEXT INDEX entity_search_key_text IF NOT EXISTS FOR (n:Entity) ON (n.searchKey);
DROP INDEX node_search IF EXISTS;
