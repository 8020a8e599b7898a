-- The Open Referral UK API and importer (issue 6, part 5): the HSDS fields 006 does not
-- keep, so that a feed imported from another directory comes back out of /api/v1 whole,
-- and what the importer remembers of each service it imported.

ALTER TABLE organization ADD COLUMN logo TEXT;
ALTER TABLE organization ADD COLUMN uri TEXT;
-- Not a foreign key: a feed may name a parent that is not in it.
ALTER TABLE organization ADD COLUMN parent_organization_id TEXT;

ALTER TABLE service ADD COLUMN accreditations TEXT;
ALTER TABLE service ADD COLUMN assured_date TEXT;
ALTER TABLE service ADD COLUMN assurer_email TEXT;
ALTER TABLE service ADD COLUMN alert TEXT;

ALTER TABLE schedule ADD COLUMN schedule_link TEXT;

-- GET /api/v1/services lists approved services by name, a page at a time.
CREATE INDEX service_approved_name ON service(name COLLATE NOCASE, id)
	WHERE moderation = 'approved';

-- One row per service that came from `cairn import oruk`: the SHA-256 of its JSON (keys
-- sorted) as last imported, so importing the same file again changes nothing, and a
-- changed record is told from an unchanged one.
CREATE TABLE oruk_import (
	service_id TEXT PRIMARY KEY REFERENCES service(id) ON DELETE CASCADE,
	digest TEXT NOT NULL,
	first_imported_at INTEGER NOT NULL,
	last_imported_at INTEGER NOT NULL
) STRICT;

-- Terms that arrive without a taxonomy go in this one. Its id is fixed so every
-- installation's API agrees.
INSERT INTO taxonomy(id, name, description) VALUES
	('0f3c2d6e-5b7a-4e0c-9d2b-8a1f4c6e7b90', 'Imported terms',
	 'Taxonomy terms imported from another directory without a taxonomy of their own.');
