// which figures an item states approximately ("environ 258 femmes") on every node table
ALTER TABLE Organization ADD IF NOT EXISTS approximate STRING[];
ALTER TABLE Person ADD IF NOT EXISTS approximate STRING[];
ALTER TABLE Event ADD IF NOT EXISTS approximate STRING[];
ALTER TABLE Programme ADD IF NOT EXISTS approximate STRING[];
ALTER TABLE Place ADD IF NOT EXISTS approximate STRING[];
ALTER TABLE Observation ADD IF NOT EXISTS approximate STRING[];
ALTER TABLE Source ADD IF NOT EXISTS approximate STRING[];
