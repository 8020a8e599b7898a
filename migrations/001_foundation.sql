-- Local authorities, staff and client accounts, sessions, referrals, the outbox and the
-- audit log. Times are UTC seconds since 1970; dates are ISO 'YYYY-MM-DD' text.

CREATE TABLE setting (
	key TEXT PRIMARY KEY,
	value TEXT NOT NULL
) STRICT;

CREATE TABLE local_authority (
	id INTEGER PRIMARY KEY,
	name TEXT NOT NULL UNIQUE,
	-- NULL: the installation's setting 'other_activity_cap_percent' applies.
	other_activity_cap_percent INTEGER CHECK (other_activity_cap_percent BETWEEN 0 AND 100)
) STRICT;

CREATE TABLE client (
	id INTEGER PRIMARY KEY,
	authority_id INTEGER NOT NULL REFERENCES local_authority(id),
	first_name TEXT NOT NULL,
	last_name TEXT NOT NULL,
	date_of_birth TEXT NOT NULL,
	email TEXT,
	mobile TEXT,
	access_needs TEXT,
	group_notes TEXT,
	created_at INTEGER NOT NULL
) STRICT;

CREATE TABLE user (
	id INTEGER PRIMARY KEY,
	email TEXT NOT NULL UNIQUE COLLATE NOCASE,
	name TEXT NOT NULL,
	role TEXT NOT NULL CHECK (role IN ('administrator', 'coordinator', 'case_worker',
		'facilitator', 'authority_lead', 'client')),
	authority_id INTEGER REFERENCES local_authority(id),
	client_id INTEGER UNIQUE REFERENCES client(id),
	-- Empty until the person sets a password (a client accepting an invitation).
	password_hash TEXT NOT NULL DEFAULT '',
	created_at INTEGER NOT NULL,
	CHECK (role NOT IN ('case_worker', 'authority_lead') OR authority_id IS NOT NULL),
	CHECK ((role = 'client') = (client_id IS NOT NULL))
) STRICT;

CREATE TABLE session (
	token_digest TEXT PRIMARY KEY,
	user_id INTEGER NOT NULL REFERENCES user(id) ON DELETE CASCADE,
	created_at INTEGER NOT NULL,
	last_seen_at INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
CREATE INDEX session_user ON session(user_id);

-- Failed sign-ins, by account (the email typed) and by address, for throttling.
CREATE TABLE sign_in_failure (
	id INTEGER PRIMARY KEY,
	email TEXT NOT NULL COLLATE NOCASE,
	address TEXT NOT NULL,
	at INTEGER NOT NULL
) STRICT;
CREATE INDEX sign_in_failure_email ON sign_in_failure(email, at);
CREATE INDEX sign_in_failure_address ON sign_in_failure(address, at);

CREATE TABLE court_order (
	id INTEGER PRIMARY KEY,
	client_id INTEGER NOT NULL REFERENCES client(id),
	reference TEXT NOT NULL UNIQUE,          -- Cairn's own, shown to people
	court_reference TEXT NOT NULL,           -- as the court gave it
	imposed_on TEXT NOT NULL,
	unpaid_hours INTEGER NOT NULL CHECK (unpaid_hours BETWEEN 20 AND 300),
	activity_minutes INTEGER NOT NULL CHECK (activity_minutes > 0),
	complete_by TEXT NOT NULL,
	created_at INTEGER NOT NULL
) STRICT;
CREATE INDEX court_order_client ON court_order(client_id);

CREATE TABLE referral (
	id INTEGER PRIMARY KEY,
	reference TEXT NOT NULL UNIQUE,
	client_id INTEGER NOT NULL REFERENCES client(id),
	order_id INTEGER NOT NULL REFERENCES court_order(id),
	case_worker_id INTEGER NOT NULL REFERENCES user(id),
	authority_id INTEGER NOT NULL REFERENCES local_authority(id),
	case_reference TEXT,
	status TEXT NOT NULL DEFAULT 'sent' CHECK (status IN ('sent', 'welcomed', 'active',
		'completed', 'withdrawn')),
	-- One per rendered form: a double-clicked Send makes one referral, not two.
	form_token TEXT NOT NULL UNIQUE,
	created_at INTEGER NOT NULL
) STRICT;
CREATE INDEX referral_case_worker ON referral(case_worker_id, created_at);
CREATE INDEX referral_client ON referral(client_id);

CREATE TABLE task (
	id INTEGER PRIMARY KEY,
	kind TEXT NOT NULL CHECK (kind IN ('welcome_call')),
	referral_id INTEGER NOT NULL REFERENCES referral(id),
	status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done')),
	created_at INTEGER NOT NULL
) STRICT;
CREATE INDEX task_open ON task(status, created_at);

CREATE TABLE invitation (
	token_digest TEXT PRIMARY KEY,
	client_id INTEGER NOT NULL REFERENCES client(id),
	created_at INTEGER NOT NULL,
	expires_at INTEGER NOT NULL,
	used_at INTEGER
) STRICT, WITHOUT ROWID;

CREATE TABLE outbox (
	id INTEGER PRIMARY KEY,
	kind TEXT NOT NULL,
	recipient TEXT NOT NULL,
	subject TEXT NOT NULL,
	body TEXT NOT NULL,
	created_at INTEGER NOT NULL,
	attempts INTEGER NOT NULL DEFAULT 0,
	next_attempt_at INTEGER NOT NULL,
	sent_at INTEGER,
	last_error TEXT
) STRICT;
CREATE INDEX outbox_due ON outbox(next_attempt_at) WHERE sent_at IS NULL;

-- Every staff read of a person's record, and the changes staff make.
CREATE TABLE audit (
	id INTEGER PRIMARY KEY,
	at INTEGER NOT NULL,
	user_id INTEGER NOT NULL REFERENCES user(id),
	action TEXT NOT NULL,
	subject_type TEXT NOT NULL,
	subject_id INTEGER NOT NULL,
	address TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX audit_subject ON audit(subject_type, subject_id, at);

INSERT INTO setting(key, value) VALUES ('other_activity_cap_percent', '30');

INSERT INTO local_authority(name) VALUES
	('Aberdeen City'), ('Aberdeenshire'), ('Angus'), ('Argyll and Bute'),
	('City of Edinburgh'), ('Clackmannanshire'), ('Dumfries and Galloway'), ('Dundee City'),
	('East Ayrshire'), ('East Dunbartonshire'), ('East Lothian'), ('East Renfrewshire'),
	('Falkirk'), ('Fife'), ('Glasgow City'), ('Highland'), ('Inverclyde'), ('Midlothian'),
	('Moray'), ('Na h-Eileanan Siar'), ('North Ayrshire'), ('North Lanarkshire'),
	('Orkney Islands'), ('Perth and Kinross'), ('Renfrewshire'), ('Scottish Borders'),
	('Shetland Islands'), ('South Ayrshire'), ('South Lanarkshire'), ('Stirling'),
	('West Dunbartonshire'), ('West Lothian');
