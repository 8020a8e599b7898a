-- Welcome calls, one-time sign-in links, topics and sessions, bookings, the register and
-- the hours ledger (issue 4). Minutes are integers; times are UTC seconds.

CREATE TABLE welcome_call (
	id INTEGER PRIMARY KEY,
	task_id INTEGER NOT NULL REFERENCES task(id),
	coordinator_id INTEGER NOT NULL REFERENCES user(id),
	outcome TEXT NOT NULL CHECK (outcome IN ('no_answer', 'left_message', 'completed')),
	notes TEXT,
	at INTEGER NOT NULL
) STRICT;
CREATE INDEX welcome_call_task ON welcome_call(task_id, at);

-- A client who would rather not keep a password signs in by a link sent each time.
ALTER TABLE user ADD COLUMN sign_in_by_link INTEGER NOT NULL DEFAULT 0;

CREATE TABLE sign_in_link (
	token_digest TEXT PRIMARY KEY,
	user_id INTEGER NOT NULL REFERENCES user(id) ON DELETE CASCADE,
	created_at INTEGER NOT NULL,
	expires_at INTEGER NOT NULL,
	used_at INTEGER
) STRICT, WITHOUT ROWID;

CREATE TABLE topic (
	id INTEGER PRIMARY KEY,
	name TEXT NOT NULL UNIQUE COLLATE NOCASE,
	description TEXT NOT NULL DEFAULT '',
	active INTEGER NOT NULL DEFAULT 1
) STRICT;

CREATE TABLE group_session (
	id INTEGER PRIMARY KEY,
	topic_id INTEGER NOT NULL REFERENCES topic(id),
	starts_at INTEGER NOT NULL,
	minutes INTEGER NOT NULL CHECK (minutes BETWEEN 15 AND 480),
	capacity INTEGER NOT NULL CHECK (capacity BETWEEN 1 AND 100),
	facilitator_id INTEGER NOT NULL REFERENCES user(id),
	joining_link TEXT NOT NULL,
	series TEXT,                 -- sessions made together as a weekly series share this
	created_at INTEGER NOT NULL
) STRICT;
CREATE INDEX group_session_start ON group_session(starts_at);
CREATE INDEX group_session_facilitator ON group_session(facilitator_id, starts_at);

CREATE TABLE booking (
	id INTEGER PRIMARY KEY,
	session_id INTEGER NOT NULL REFERENCES group_session(id),
	client_id INTEGER NOT NULL REFERENCES client(id),
	order_id INTEGER NOT NULL REFERENCES court_order(id),
	status TEXT NOT NULL DEFAULT 'booked' CHECK (status IN ('booked', 'cancelled')),
	created_at INTEGER NOT NULL,
	cancelled_at INTEGER,
	reminder_at INTEGER          -- when the day-before reminder went in the outbox
) STRICT;
CREATE UNIQUE INDEX booking_once ON booking(session_id, client_id) WHERE status = 'booked';
CREATE INDEX booking_client ON booking(client_id, status);
CREATE INDEX booking_reminder ON booking(session_id) WHERE status = 'booked' AND reminder_at IS NULL;

-- The register: one outcome per booking; a later change is a new row that supersedes it,
-- with a reason. The current outcome is the row nothing supersedes.
CREATE TABLE register_entry (
	id INTEGER PRIMARY KEY,
	booking_id INTEGER NOT NULL REFERENCES booking(id),
	outcome TEXT NOT NULL CHECK (outcome IN ('attended', 'attended_part', 'failed_to_comply',
		'did_not_attend', 'absence_accepted')),
	minutes INTEGER NOT NULL DEFAULT 0 CHECK (minutes >= 0),
	reason TEXT,                 -- why an absence was accepted
	note TEXT,                   -- engagement note
	supersedes_id INTEGER UNIQUE REFERENCES register_entry(id),
	correction_reason TEXT,
	recorded_by INTEGER NOT NULL REFERENCES user(id),
	recorded_at INTEGER NOT NULL,
	CHECK ((supersedes_id IS NULL) = (correction_reason IS NULL))
) STRICT;
-- Two facilitators saving the same register at once: only one first outcome per booking.
CREATE UNIQUE INDEX register_first ON register_entry(booking_id) WHERE supersedes_id IS NULL;

-- The hours ledger: append-only. counted + not_counted = minutes; credit past the order's
-- other activity hours is not counted. A correction is a reversal (the negated entry)
-- and a new credit.
CREATE TABLE hours_ledger (
	id INTEGER PRIMARY KEY,
	order_id INTEGER NOT NULL REFERENCES court_order(id),
	kind TEXT NOT NULL CHECK (kind IN ('attendance', 'reversal')),
	minutes INTEGER NOT NULL,
	counted_minutes INTEGER NOT NULL,
	register_entry_id INTEGER REFERENCES register_entry(id),
	reverses_id INTEGER UNIQUE REFERENCES hours_ledger(id),
	reason TEXT,
	recorded_by INTEGER NOT NULL REFERENCES user(id),
	at INTEGER NOT NULL
) STRICT;
CREATE INDEX hours_ledger_order ON hours_ledger(order_id, id);
CREATE TRIGGER hours_ledger_no_update BEFORE UPDATE ON hours_ledger
BEGIN SELECT RAISE(ABORT, 'the hours ledger is append-only'); END;
CREATE TRIGGER hours_ledger_no_delete BEFORE DELETE ON hours_ledger
BEGIN SELECT RAISE(ABORT, 'the hours ledger is append-only'); END;

-- Alerts that go once per order: hours complete, order ending soon.
CREATE TABLE order_alert (
	order_id INTEGER NOT NULL REFERENCES court_order(id),
	kind TEXT NOT NULL CHECK (kind IN ('hours_complete', 'ending_soon')),
	at INTEGER NOT NULL,
	PRIMARY KEY (order_id, kind)
) STRICT, WITHOUT ROWID;

-- Messages may carry one attachment (a calendar file).
ALTER TABLE outbox ADD COLUMN attachment_name TEXT;
ALTER TABLE outbox ADD COLUMN attachment_type TEXT;
ALTER TABLE outbox ADD COLUMN attachment TEXT;

INSERT INTO topic(name, description) VALUES
	('Mental wellbeing and trauma recovery', 'Looking after your mental health, and understanding how past experiences affect us.'),
	('Emotions, thoughts and behaviours', 'How what we think and feel shapes what we do, and how to change it.'),
	('Dealing with conflict', 'Staying calm, being heard, and finding a way through disagreements.'),
	('Personal relationships', 'Healthy relationships with partners, family and friends.'),
	('Employment and training', 'Finding work or training, CVs, applications and interviews.'),
	('Diet and healthy eating', 'Eating well on a budget, and how food affects mood and energy.'),
	('Benefits and budgeting', 'Making money go further, benefits you may be entitled to, dealing with debt.'),
	('Alcohol and drug education', 'The effects of alcohol and drugs, and where to get support.'),
	('Understanding gambling', 'How gambling works, the risks, and where to get help.'),
	('Digital skills', 'Using a phone or computer with confidence: email, forms, staying safe online.'),
	('Self-reflection peer support', 'A supportive group to reflect on progress and plans.');
