-- The directory of services and placements (issue 6), shaped on HSDS 3.0 / ORUK 3.0 so the
-- /api/v1 objects map one table to one object, column names = HSDS field names:
--   organization, service, location (+ address), service_at_location, contact, phone,
--   schedule, taxonomy, taxonomy_term: HSDS objects; ids are UUID v4 text ("id" columns).
--   service_taxonomy is HSDS "attribute" (link_type 'service'): service.attributes[].taxonomy_term.
--   service.last_modified etc. are UTC seconds: format as RFC 3339 ('...T...Z') in the API.
--   Integer "n" columns are internal row numbers for the FTS5 and R*Tree indexes: never expose.
--   Cairn's own (not HSDS, never in the API): moderation ('approved' = public; the API shows
--   only approved services), counts_as_other_activity, typical_minutes, placement_offer,
--   postcode, directory_referral, taxonomy.cairn_use. Service status is HSDS's own enum.
-- Time: UTC seconds since 1970. Minutes are integers, as in the hours ledger.

-- Two CHECK constraints gain a value: the user role 'organisation' and the ledger kind
-- 'directory'. Only loosening a CHECK changes nothing stored, so (as SQLite's ALTER TABLE
-- documentation describes) the table's schema text is edited in place instead of copying
-- the tables; the guard below fails the migration if the text was not found.
PRAGMA writable_schema = ON;
UPDATE sqlite_schema SET sql = replace(sql, '''authority_lead'', ''client'')',
	'''authority_lead'', ''client'', ''organisation'')') WHERE type = 'table' AND name = 'user';
UPDATE sqlite_schema SET sql = replace(sql, 'kind IN (''attendance'', ''reversal'')',
	'kind IN (''attendance'', ''reversal'', ''directory'')')
	WHERE type = 'table' AND name = 'hours_ledger';
PRAGMA writable_schema = RESET;
CREATE TEMP TABLE migration_guard (ok INTEGER NOT NULL CHECK (ok = 1));
INSERT INTO migration_guard SELECT instr(sql, '''organisation'')') > 0 FROM sqlite_schema
	WHERE type = 'table' AND name = 'user';
INSERT INTO migration_guard SELECT instr(sql, '''directory'')') > 0 FROM sqlite_schema
	WHERE type = 'table' AND name = 'hours_ledger';
DROP TABLE migration_guard;

CREATE TABLE organization (
	id TEXT PRIMARY KEY,
	name TEXT NOT NULL,
	description TEXT NOT NULL DEFAULT '',
	email TEXT,                  -- where directory referrals go
	website TEXT,
	created_at INTEGER NOT NULL,
	last_modified INTEGER NOT NULL
) STRICT;

CREATE TABLE service (
	n INTEGER PRIMARY KEY,       -- internal: the rowid of service_fts
	id TEXT NOT NULL UNIQUE,
	organization_id TEXT NOT NULL REFERENCES organization(id),
	name TEXT NOT NULL,
	description TEXT NOT NULL DEFAULT '',
	url TEXT,
	email TEXT,
	status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'inactive', 'defunct',
		'temporarily closed')),
	fees TEXT,                   -- cost, in words
	eligibility_description TEXT,
	application_process TEXT,    -- how to access
	minimum_age INTEGER,
	maximum_age INTEGER,
	counts_as_other_activity INTEGER NOT NULL DEFAULT 0 CHECK (counts_as_other_activity IN (0, 1)),
	typical_minutes INTEGER NOT NULL DEFAULT 0 CHECK (typical_minutes BETWEEN 0 AND 18000),
	moderation TEXT NOT NULL DEFAULT 'pending' CHECK (moderation IN ('pending', 'approved',
		'retired')),
	moderated_by INTEGER REFERENCES user(id),
	moderated_at INTEGER,
	created_at INTEGER NOT NULL,
	last_modified INTEGER NOT NULL
) STRICT;
CREATE INDEX service_organization ON service(organization_id);
CREATE INDEX service_moderation ON service(moderation, last_modified);
CREATE INDEX service_last_modified ON service(last_modified);

CREATE TABLE location (
	n INTEGER PRIMARY KEY,       -- internal: the id of location_geo
	id TEXT NOT NULL UNIQUE,
	organization_id TEXT REFERENCES organization(id),
	location_type TEXT NOT NULL DEFAULT 'physical' CHECK (location_type IN ('physical',
		'postal', 'virtual')),
	name TEXT,
	description TEXT,
	latitude REAL CHECK (latitude BETWEEN -90 AND 90),
	longitude REAL CHECK (longitude BETWEEN -180 AND 180),
	CHECK ((latitude IS NULL) = (longitude IS NULL))
) STRICT;
CREATE INDEX location_organization ON location(organization_id);

CREATE TABLE address (
	id TEXT PRIMARY KEY,
	location_id TEXT NOT NULL REFERENCES location(id) ON DELETE CASCADE,
	attention TEXT,
	address_1 TEXT NOT NULL,
	address_2 TEXT,
	city TEXT NOT NULL,
	region TEXT,
	state_province TEXT NOT NULL DEFAULT 'Scotland',
	postal_code TEXT NOT NULL,   -- normalised: 'G1 1XQ'
	country TEXT NOT NULL DEFAULT 'GB',
	address_type TEXT NOT NULL DEFAULT 'physical' CHECK (address_type IN ('physical',
		'postal', 'virtual'))
) STRICT;
CREATE INDEX address_location ON address(location_id);

CREATE TABLE service_at_location (
	id TEXT PRIMARY KEY,
	service_id TEXT NOT NULL REFERENCES service(id) ON DELETE CASCADE,
	location_id TEXT NOT NULL REFERENCES location(id),
	description TEXT,
	UNIQUE (service_id, location_id)
) STRICT;
CREATE INDEX service_at_location_location ON service_at_location(location_id);

CREATE TABLE contact (
	id TEXT PRIMARY KEY,
	organization_id TEXT REFERENCES organization(id),
	service_id TEXT REFERENCES service(id) ON DELETE CASCADE,
	name TEXT,
	title TEXT,
	email TEXT
) STRICT;
CREATE INDEX contact_service ON contact(service_id);

CREATE TABLE phone (
	id TEXT PRIMARY KEY,
	contact_id TEXT REFERENCES contact(id) ON DELETE CASCADE,
	service_id TEXT REFERENCES service(id) ON DELETE CASCADE,
	number TEXT NOT NULL,
	description TEXT
) STRICT;
CREATE INDEX phone_contact ON phone(contact_id);
CREATE INDEX phone_service ON phone(service_id);

CREATE TABLE schedule (
	id TEXT PRIMARY KEY,
	service_id TEXT REFERENCES service(id) ON DELETE CASCADE,
	service_at_location_id TEXT REFERENCES service_at_location(id) ON DELETE CASCADE,
	valid_from TEXT,             -- ISO dates
	valid_to TEXT,
	dtstart TEXT,
	freq TEXT CHECK (freq IN ('WEEKLY', 'MONTHLY')),
	interval INTEGER,
	byday TEXT,                  -- 'MO,WE'
	bymonthday TEXT,
	description TEXT,
	opens_at TEXT,               -- 'HH:MM'
	closes_at TEXT,
	attending_type TEXT,
	notes TEXT
) STRICT;
CREATE INDEX schedule_service ON schedule(service_id);

CREATE TABLE taxonomy (
	id TEXT PRIMARY KEY,
	name TEXT NOT NULL,
	description TEXT NOT NULL DEFAULT '',
	uri TEXT,
	version TEXT,
	-- Cairn's filters: which search field offers its terms. NULL for imported taxonomies.
	cairn_use TEXT UNIQUE CHECK (cairn_use IN ('category', 'service_type', 'skill'))
) STRICT;

CREATE TABLE taxonomy_term (
	id TEXT PRIMARY KEY,
	taxonomy_id TEXT NOT NULL REFERENCES taxonomy(id),
	parent_id TEXT REFERENCES taxonomy_term(id),
	code TEXT,                   -- HSDS 'code' (ORUK 'term')
	name TEXT NOT NULL,
	description TEXT NOT NULL DEFAULT '',
	term_uri TEXT
) STRICT;
CREATE INDEX taxonomy_term_taxonomy ON taxonomy_term(taxonomy_id, name);

-- HSDS attribute linking a service to a taxonomy term (categories and service types).
CREATE TABLE service_taxonomy (
	id TEXT PRIMARY KEY,         -- the attribute's id
	service_id TEXT NOT NULL REFERENCES service(id) ON DELETE CASCADE,
	taxonomy_term_id TEXT NOT NULL REFERENCES taxonomy_term(id),
	UNIQUE (service_id, taxonomy_term_id)
) STRICT;
CREATE INDEX service_taxonomy_term ON service_taxonomy(taxonomy_term_id, service_id);

-- An organisation's offer to host individual placements, listed under one of its services.
CREATE TABLE placement_offer (
	id TEXT PRIMARY KEY,
	organization_id TEXT NOT NULL REFERENCES organization(id),
	service_id TEXT NOT NULL REFERENCES service(id) ON DELETE CASCADE,
	area_of_expertise TEXT NOT NULL,
	places_available INTEGER NOT NULL CHECK (places_available BETWEEN 0 AND 1000),
	times TEXT NOT NULL DEFAULT '',   -- when placements happen, in words
	moderation TEXT NOT NULL DEFAULT 'pending' CHECK (moderation IN ('pending', 'approved',
		'retired')),
	moderated_by INTEGER REFERENCES user(id),
	moderated_at INTEGER,
	created_at INTEGER NOT NULL,
	last_modified INTEGER NOT NULL
) STRICT;
CREATE INDEX placement_offer_service ON placement_offer(service_id, moderation);
CREATE INDEX placement_offer_organization ON placement_offer(organization_id);

-- The skills a client can gain or use on a placement: terms of the 'skill' taxonomy.
CREATE TABLE placement_skill (
	placement_offer_id TEXT NOT NULL REFERENCES placement_offer(id) ON DELETE CASCADE,
	taxonomy_term_id TEXT NOT NULL REFERENCES taxonomy_term(id),
	PRIMARY KEY (placement_offer_id, taxonomy_term_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX placement_skill_term ON placement_skill(taxonomy_term_id);

-- ONS Postcode Directory / NSPL: normalised postcode ('G1 1XQ') to its centre.
CREATE TABLE postcode (
	postcode TEXT PRIMARY KEY,
	latitude REAL NOT NULL CHECK (latitude BETWEEN -90 AND 90),
	longitude REAL NOT NULL CHECK (longitude BETWEEN -180 AND 180)
) STRICT, WITHOUT ROWID;

-- Clients' postcodes, for "Find a service near ..." (optional).
ALTER TABLE client ADD COLUMN postcode TEXT;

-- Organisation users belong to one organisation.
ALTER TABLE user ADD COLUMN organization_id TEXT REFERENCES organization(id)
	CHECK ((role = 'organisation') = (organization_id IS NOT NULL));
CREATE INDEX user_organization ON user(organization_id) WHERE organization_id IS NOT NULL;

-- A case worker's referral of a client (for one order) to a directory service.
CREATE TABLE directory_referral (
	id INTEGER PRIMARY KEY,
	reference TEXT NOT NULL UNIQUE,            -- 'D-7K3M-9QXT', shown to both sides
	client_id INTEGER NOT NULL REFERENCES client(id),
	order_id INTEGER NOT NULL REFERENCES court_order(id),
	authority_id INTEGER NOT NULL REFERENCES local_authority(id),
	service_id TEXT NOT NULL REFERENCES service(id),
	organization_id TEXT NOT NULL REFERENCES organization(id),
	placement_offer_id TEXT REFERENCES placement_offer(id),
	status TEXT NOT NULL DEFAULT 'sent' CHECK (status IN ('sent', 'accepted', 'declined',
		'completed')),
	referred_by INTEGER NOT NULL REFERENCES user(id),
	form_token TEXT NOT NULL UNIQUE,           -- a double-clicked Refer makes one referral
	created_at INTEGER NOT NULL,
	answered_by INTEGER REFERENCES user(id),   -- accepted or declined
	answered_at INTEGER,
	decline_reason TEXT,
	completed_by INTEGER REFERENCES user(id),
	completed_at INTEGER,
	minutes_confirmed INTEGER CHECK (minutes_confirmed BETWEEN 0 AND 18000),
	CHECK ((status IN ('accepted', 'declined', 'completed')) = (answered_at IS NOT NULL)),
	CHECK ((status = 'completed') = (minutes_confirmed IS NOT NULL))
) STRICT;
CREATE INDEX directory_referral_organization ON directory_referral(organization_id, status, created_at);
CREATE INDEX directory_referral_client ON directory_referral(client_id, created_at);
-- One open referral of a client to a service at a time.
CREATE UNIQUE INDEX directory_referral_open ON directory_referral(client_id, service_id)
	WHERE status IN ('sent', 'accepted');

-- Each change of a directory referral's status: who and when.
CREATE TABLE directory_referral_event (
	id INTEGER PRIMARY KEY,
	directory_referral_id INTEGER NOT NULL REFERENCES directory_referral(id),
	status TEXT NOT NULL CHECK (status IN ('sent', 'accepted', 'declined', 'completed')),
	user_id INTEGER NOT NULL REFERENCES user(id),
	at INTEGER NOT NULL,
	note TEXT
) STRICT;
CREATE INDEX directory_referral_event_referral ON directory_referral_event(directory_referral_id, id);

-- Confirmed hours of a service that counts as other activity: a 'directory' ledger entry,
-- at most one per directory referral.
ALTER TABLE hours_ledger ADD COLUMN directory_referral_id INTEGER REFERENCES directory_referral(id);
CREATE UNIQUE INDEX hours_ledger_directory_once ON hours_ledger(directory_referral_id)
	WHERE kind = 'directory';

-- Free-text search: one row per service (rowid = service.n), Porter stemming; kept in step
-- by the triggers below from service_fts_source.
CREATE VIRTUAL TABLE service_fts USING fts5(name, description, organization, terms,
	tokenize = 'porter unicode61 remove_diacritics 2', prefix = '2 3 4');

CREATE VIEW service_fts_source AS
SELECT s.n AS n, s.id AS id, s.name AS name, s.description AS description,
	o.name AS organization,
	coalesce((SELECT group_concat(t.name, ' ') FROM service_taxonomy st
		JOIN taxonomy_term t ON t.id = st.taxonomy_term_id WHERE st.service_id = s.id), '')
	|| ' ' ||
	coalesce((SELECT group_concat(p.area_of_expertise, ' ') FROM placement_offer p
		WHERE p.service_id = s.id AND p.moderation <> 'retired'), '') AS terms
FROM service s JOIN organization o ON o.id = s.organization_id;

CREATE TRIGGER service_fts_insert AFTER INSERT ON service BEGIN
	INSERT INTO service_fts(rowid, name, description, organization, terms)
	SELECT n, name, description, organization, terms FROM service_fts_source WHERE n = new.n;
END;
CREATE TRIGGER service_fts_update AFTER UPDATE OF name, description, organization_id ON service BEGIN
	DELETE FROM service_fts WHERE rowid = old.n;
	INSERT INTO service_fts(rowid, name, description, organization, terms)
	SELECT n, name, description, organization, terms FROM service_fts_source WHERE n = new.n;
END;
CREATE TRIGGER service_fts_delete AFTER DELETE ON service BEGIN
	DELETE FROM service_fts WHERE rowid = old.n;
END;
CREATE TRIGGER service_fts_organization AFTER UPDATE OF name ON organization BEGIN
	DELETE FROM service_fts WHERE rowid IN (SELECT n FROM service WHERE organization_id = new.id);
	INSERT INTO service_fts(rowid, name, description, organization, terms)
	SELECT n, name, description, organization, terms FROM service_fts_source
	WHERE n IN (SELECT n FROM service WHERE organization_id = new.id);
END;
CREATE TRIGGER service_fts_term_add AFTER INSERT ON service_taxonomy BEGIN
	DELETE FROM service_fts WHERE rowid = (SELECT n FROM service WHERE id = new.service_id);
	INSERT INTO service_fts(rowid, name, description, organization, terms)
	SELECT n, name, description, organization, terms FROM service_fts_source WHERE id = new.service_id;
END;
CREATE TRIGGER service_fts_term_remove AFTER DELETE ON service_taxonomy BEGIN
	DELETE FROM service_fts WHERE rowid = (SELECT n FROM service WHERE id = old.service_id);
	INSERT INTO service_fts(rowid, name, description, organization, terms)
	SELECT n, name, description, organization, terms FROM service_fts_source WHERE id = old.service_id;
END;
CREATE TRIGGER service_fts_term_rename AFTER UPDATE OF name ON taxonomy_term BEGIN
	DELETE FROM service_fts WHERE rowid IN (SELECT s.n FROM service s JOIN service_taxonomy st
		ON st.service_id = s.id WHERE st.taxonomy_term_id = new.id);
	INSERT INTO service_fts(rowid, name, description, organization, terms)
	SELECT n, name, description, organization, terms FROM service_fts_source WHERE id IN
		(SELECT service_id FROM service_taxonomy WHERE taxonomy_term_id = new.id);
END;
CREATE TRIGGER service_fts_placement_add AFTER INSERT ON placement_offer BEGIN
	DELETE FROM service_fts WHERE rowid = (SELECT n FROM service WHERE id = new.service_id);
	INSERT INTO service_fts(rowid, name, description, organization, terms)
	SELECT n, name, description, organization, terms FROM service_fts_source WHERE id = new.service_id;
END;
CREATE TRIGGER service_fts_placement_change AFTER UPDATE OF area_of_expertise, moderation, service_id
	ON placement_offer BEGIN
	DELETE FROM service_fts WHERE rowid IN (SELECT n FROM service WHERE id IN (old.service_id, new.service_id));
	INSERT INTO service_fts(rowid, name, description, organization, terms)
	SELECT n, name, description, organization, terms FROM service_fts_source
	WHERE id IN (old.service_id, new.service_id);
END;
CREATE TRIGGER service_fts_placement_remove AFTER DELETE ON placement_offer BEGIN
	DELETE FROM service_fts WHERE rowid = (SELECT n FROM service WHERE id = old.service_id);
	INSERT INTO service_fts(rowid, name, description, organization, terms)
	SELECT n, name, description, organization, terms FROM service_fts_source WHERE id = old.service_id;
END;

-- Distance search: a box around each located location (id = location.n), in degrees.
CREATE VIRTUAL TABLE location_geo USING rtree(id, min_lat, max_lat, min_lon, max_lon);
CREATE TRIGGER location_geo_insert AFTER INSERT ON location WHEN new.latitude IS NOT NULL BEGIN
	INSERT INTO location_geo(id, min_lat, max_lat, min_lon, max_lon)
	VALUES (new.n, new.latitude, new.latitude, new.longitude, new.longitude);
END;
CREATE TRIGGER location_geo_update AFTER UPDATE OF latitude, longitude ON location BEGIN
	DELETE FROM location_geo WHERE id = old.n;
	INSERT INTO location_geo(id, min_lat, max_lat, min_lon, max_lon)
	SELECT new.n, new.latitude, new.latitude, new.longitude, new.longitude
	WHERE new.latitude IS NOT NULL;
END;
CREATE TRIGGER location_geo_delete AFTER DELETE ON location BEGIN
	DELETE FROM location_geo WHERE id = old.n;
END;

-- Where each service is, by internal numbers only, and whether it is listed (approved),
-- kept by triggers from service_at_location, location and service: the search reads a
-- service's places and its listing through one integer index instead of lookups by UUID
-- text and of the whole service row (the 50,000-service search in a third of the time).
CREATE TABLE service_place (
	service_n INTEGER NOT NULL,
	location_n INTEGER NOT NULL,
	latitude REAL NOT NULL,
	longitude REAL NOT NULL,
	listed INTEGER NOT NULL,
	PRIMARY KEY (service_n, location_n)
) STRICT, WITHOUT ROWID;
CREATE INDEX service_place_location ON service_place(location_n, service_n);
CREATE TRIGGER service_place_add AFTER INSERT ON service_at_location BEGIN
	INSERT OR REPLACE INTO service_place(service_n, location_n, latitude, longitude, listed)
	SELECT s.n, l.n, l.latitude, l.longitude, s.moderation = 'approved' FROM service s, location l
	WHERE s.id = new.service_id AND l.id = new.location_id AND l.latitude IS NOT NULL;
END;
CREATE TRIGGER service_place_remove AFTER DELETE ON service_at_location BEGIN
	DELETE FROM service_place WHERE service_n = (SELECT n FROM service WHERE id = old.service_id)
		AND location_n = (SELECT n FROM location WHERE id = old.location_id);
END;
CREATE TRIGGER service_place_move AFTER UPDATE OF latitude, longitude ON location BEGIN
	DELETE FROM service_place WHERE location_n = old.n;
	INSERT INTO service_place(service_n, location_n, latitude, longitude, listed)
	SELECT s.n, new.n, new.latitude, new.longitude, s.moderation = 'approved'
	FROM service_at_location sal JOIN service s ON s.id = sal.service_id
	WHERE sal.location_id = new.id AND new.latitude IS NOT NULL;
END;
CREATE TRIGGER service_place_listed AFTER UPDATE OF moderation ON service BEGIN
	UPDATE service_place SET listed = new.moderation = 'approved' WHERE service_n = new.n;
END;

-- The starting taxonomies. Their ids are fixed so every installation's API agrees.
INSERT INTO taxonomy(id, name, description, cairn_use) VALUES
	('425c41a8-f3b9-48c7-bc71-ff66476a6bf1', 'Cairn community justice',
	 'Categories of support for people on community sentences in Scotland.', 'category'),
	('5e850f66-983c-40d9-832a-e6d2a8e29702', 'Cairn service types',
	 'The kinds of service a directory listing offers.', 'service_type'),
	('c5e0b043-acda-4631-b2fd-059a2f1184e0', 'Cairn placement skills',
	 'Skills a client can gain or use on an individual placement.', 'skill');

INSERT INTO taxonomy_term(id, taxonomy_id, code, name, description) VALUES
	('ab4305e1-b5f7-4f2b-8b52-2857a099770f', '425c41a8-f3b9-48c7-bc71-ff66476a6bf1', 'employability', 'Employability', 'Getting ready for work, finding and keeping a job.'),
	('67904853-4174-4ff0-aaf8-d37862d6cd5c', '425c41a8-f3b9-48c7-bc71-ff66476a6bf1', 'education-training', 'Education and training', 'Courses, qualifications and learning.'),
	('db6b0a18-cf7f-45b8-b5b0-183025234687', '425c41a8-f3b9-48c7-bc71-ff66476a6bf1', 'health-wellbeing', 'Health and wellbeing', 'Physical and mental health.'),
	('8eece149-26a1-4993-a909-7d793c59d1b3', '425c41a8-f3b9-48c7-bc71-ff66476a6bf1', 'substance-use', 'Substance use', 'Support with alcohol and drugs.'),
	('36207c14-5f05-4993-9fc3-943d576b5040', '425c41a8-f3b9-48c7-bc71-ff66476a6bf1', 'housing', 'Housing', 'Finding and keeping a home.'),
	('96431518-4bc2-41c6-9353-ba248a6d08a7', '425c41a8-f3b9-48c7-bc71-ff66476a6bf1', 'money-benefits', 'Money and benefits', 'Benefits, budgeting and debt.'),
	('ee5c16b8-1e41-4577-8d54-6735205afd48', '425c41a8-f3b9-48c7-bc71-ff66476a6bf1', 'relationships-family', 'Relationships and family', 'Partners, parents, children and friends.'),
	('2e935979-0ec1-449e-ba38-1c2b9ffeeabb', '425c41a8-f3b9-48c7-bc71-ff66476a6bf1', 'volunteering-placements', 'Volunteering and placements', 'Giving time, and individual placements with local organisations.'),
	('9f976f4b-5f13-48c1-ae9e-77c9afa5cb75', '425c41a8-f3b9-48c7-bc71-ff66476a6bf1', 'digital-skills', 'Digital skills', 'Using phones, computers and the internet with confidence.'),
	('2daba08c-af37-4fa6-9a39-7fdea2795625', '5e850f66-983c-40d9-832a-e6d2a8e29702', 'course', 'Course or training', 'A course with sessions on set dates.'),
	('a82c5215-5fbd-42c9-a2b9-b4b90e79b758', '5e850f66-983c-40d9-832a-e6d2a8e29702', 'one-to-one', 'One-to-one support', 'Support from a named worker.'),
	('c2eae6a2-31d7-4330-9787-267af65c88af', '5e850f66-983c-40d9-832a-e6d2a8e29702', 'group', 'Group programme', 'A programme delivered to a group.'),
	('3b3c45b9-4b66-442b-873f-15f5092e24aa', '5e850f66-983c-40d9-832a-e6d2a8e29702', 'drop-in', 'Drop-in', 'Come along without an appointment.'),
	('01b27ebc-5b99-4d5b-b12c-d83b8c468ffd', '5e850f66-983c-40d9-832a-e6d2a8e29702', 'advice', 'Advice service', 'Information and advice.'),
	('bbf62a27-ef03-400a-812c-bd45f213212e', '5e850f66-983c-40d9-832a-e6d2a8e29702', 'counselling', 'Counselling or therapy', 'Talking therapies.'),
	('b6b8a15e-971f-4a72-bafb-44f07f3b90b8', '5e850f66-983c-40d9-832a-e6d2a8e29702', 'placement', 'Individual placement', 'Hosting one person on an individual placement.'),
	('889a1667-5183-41b0-8c8a-d58c90b66571', '5e850f66-983c-40d9-832a-e6d2a8e29702', 'volunteering', 'Volunteering opportunity', 'Unpaid work for a community organisation.'),
	('58a17233-f4d6-4f9e-91c8-42765adaee2b', 'c5e0b043-acda-4631-b2fd-059a2f1184e0', 'customer-service', 'Customer service', 'Dealing with the public.'),
	('11529ce9-a2f3-4b19-95ce-63166db0aecf', 'c5e0b043-acda-4631-b2fd-059a2f1184e0', 'catering', 'Catering and food hygiene', 'Preparing and serving food safely.'),
	('f069a0ba-93d3-4745-bf10-dc1b00b70ca6', 'c5e0b043-acda-4631-b2fd-059a2f1184e0', 'gardening', 'Gardening and horticulture', 'Growing, planting and grounds work.'),
	('f123a422-9681-4036-ba1a-8fd6b517a76f', 'c5e0b043-acda-4631-b2fd-059a2f1184e0', 'retail', 'Retail', 'Working in a shop: stock, tills, displays.'),
	('0e02164d-f804-4466-9fd1-68512c0a0ed9', 'c5e0b043-acda-4631-b2fd-059a2f1184e0', 'warehouse', 'Warehouse and logistics', 'Sorting, packing and moving goods.'),
	('18d13013-0be8-4a43-a15c-993eaa4131a4', 'c5e0b043-acda-4631-b2fd-059a2f1184e0', 'construction', 'Construction and trades', 'Joinery, painting, repairs.'),
	('1c44521b-5bd2-41e9-afc5-e83e8dd14b3d', 'c5e0b043-acda-4631-b2fd-059a2f1184e0', 'administration', 'Office and administration', 'Filing, data entry, answering phones.'),
	('d536c19c-e91e-4f48-979b-b21b0b569279', 'c5e0b043-acda-4631-b2fd-059a2f1184e0', 'caring', 'Caring and support', 'Helping people who need support.'),
	('531d2ff0-27b7-46c5-b517-6e8764dfb8bb', 'c5e0b043-acda-4631-b2fd-059a2f1184e0', 'computers', 'Computers and IT', 'Setting up and using computers.'),
	('783ed9c1-a9c4-49b8-ab87-dd5bd44db588', 'c5e0b043-acda-4631-b2fd-059a2f1184e0', 'cleaning', 'Cleaning and maintenance', 'Keeping buildings clean and in repair.');
