-- Session feedback and the impact dashboard (issue 5, parts 2 and 3).

-- A client's answer about an attended session: one per booking (the primary key), so a
-- double submission stores one answer.
CREATE TABLE feedback (
	booking_id INTEGER PRIMARY KEY REFERENCES booking(id),
	knowledge_improved INTEGER NOT NULL CHECK (knowledge_improved IN (0, 1)),
	will_apply INTEGER NOT NULL CHECK (will_apply IN (0, 1)),
	rating INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 5),
	comment TEXT CHECK (comment IS NULL OR length(comment) <= 1000),
	answered_at INTEGER NOT NULL
) STRICT;

-- "How was your session?" goes once per attended booking: the primary key holds "once",
-- as order_alert does for alerts.
CREATE TABLE feedback_request (
	booking_id INTEGER PRIMARY KEY REFERENCES booking(id),
	at INTEGER NOT NULL
) STRICT;

-- The dashboard's figures by day. The facts it counts live in four tables joined by five
-- keys (ledger -> register entry -> booking -> session -> topic; booking -> client ->
-- authority): at national scale, a year of those joins costs seconds a page, and even a
-- row per event is a million rows a year to add up. So the triggers below keep, in the
-- transaction of each change, running totals per kind, local authority, day and topic;
-- a figure for a year and all of Scotland is the sum of some 12,000 rows of its key.
-- day is the London calendar day (days since 1970-01-01), so months and weeks, which
-- start at London midnight, are whole runs of days; london_summer holds the rule
-- domain/london_time uses (BST from 01:00 UTC on the last Sunday of March to 01:00 UTC on
-- the last Sunday of October), one row a year. topic_id is 0 except for kind topic.
--   booking   bookings made that day (booking.created_at): amount
--   outcome   register outcomes of sessions held that day: amount; yes: attended or
--             attended part. A changed outcome takes the old one back out.
--   minutes   counted minutes credited that day (hours_ledger.at): amount
--   topic     the same by topic (for hours by topic): kept apart, as it has ten times the
--             rows, which the other figures need not read
--   feedback  answers about sessions held that day: amount; yes: knowledge improved;
--             yes_too: intend to apply it
CREATE TABLE london_summer (
	starts_at INTEGER PRIMARY KEY,
	ends_at INTEGER NOT NULL
) STRICT;
WITH RECURSIVE y(year) AS (SELECT 1970 UNION ALL SELECT year + 1 FROM y WHERE year < 2200)
INSERT INTO london_summer(starts_at, ends_at)
SELECT CAST(strftime('%s', date(year || '-03-25', 'weekday 0')) AS INTEGER) + 3600,
       CAST(strftime('%s', date(year || '-10-25', 'weekday 0')) AS INTEGER) + 3600 FROM y;

CREATE TABLE impact_day (
	kind TEXT NOT NULL CHECK (kind IN ('booking', 'outcome', 'minutes', 'topic', 'feedback')),
	authority_id INTEGER NOT NULL,
	day INTEGER NOT NULL,
	topic_id INTEGER NOT NULL,
	amount INTEGER NOT NULL DEFAULT 0,
	yes INTEGER NOT NULL DEFAULT 0,
	yes_too INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (kind, authority_id, day, topic_id)
) STRICT, WITHOUT ROWID;

CREATE TRIGGER booking_impact AFTER INSERT ON booking
BEGIN
	INSERT INTO impact_day(kind, authority_id, day, topic_id, amount)
	SELECT 'booking', c.authority_id, (NEW.created_at
		 + coalesce((SELECT 3600 FROM london_summer WHERE starts_at <= NEW.created_at AND ends_at > NEW.created_at
			     ORDER BY starts_at DESC LIMIT 1), 0)) / 86400, 0, 1
	FROM client c WHERE c.id = NEW.client_id
	ON CONFLICT DO UPDATE SET amount = amount + excluded.amount, yes = yes + excluded.yes,
		yes_too = yes_too + excluded.yes_too;
END;

CREATE TRIGGER register_entry_impact AFTER INSERT ON register_entry
BEGIN
	-- A correction first takes the outcome it supersedes back out.
	INSERT INTO impact_day(kind, authority_id, day, topic_id, amount, yes)
	SELECT 'outcome', c.authority_id, (g.starts_at
		 + coalesce((SELECT 3600 FROM london_summer WHERE starts_at <= g.starts_at AND ends_at > g.starts_at
			     ORDER BY starts_at DESC LIMIT 1), 0)) / 86400, 0, -1,
	       -(o.outcome IN ('attended', 'attended_part'))
	FROM register_entry o JOIN booking b ON b.id = o.booking_id
	JOIN group_session g ON g.id = b.session_id JOIN client c ON c.id = b.client_id
	WHERE o.id = NEW.supersedes_id
	ON CONFLICT DO UPDATE SET amount = amount + excluded.amount, yes = yes + excluded.yes,
		yes_too = yes_too + excluded.yes_too;
	INSERT INTO impact_day(kind, authority_id, day, topic_id, amount, yes)
	SELECT 'outcome', c.authority_id, (g.starts_at
		 + coalesce((SELECT 3600 FROM london_summer WHERE starts_at <= g.starts_at AND ends_at > g.starts_at
			     ORDER BY starts_at DESC LIMIT 1), 0)) / 86400, 0, 1,
	       NEW.outcome IN ('attended', 'attended_part')
	FROM booking b JOIN group_session g ON g.id = b.session_id
	JOIN client c ON c.id = b.client_id WHERE b.id = NEW.booking_id
	ON CONFLICT DO UPDATE SET amount = amount + excluded.amount, yes = yes + excluded.yes,
		yes_too = yes_too + excluded.yes_too;
END;

CREATE TRIGGER hours_ledger_impact AFTER INSERT ON hours_ledger
BEGIN
	INSERT INTO impact_day(kind, authority_id, day, topic_id, amount)
	SELECT k.kind, c.authority_id, (NEW.at
		 + coalesce((SELECT 3600 FROM london_summer WHERE starts_at <= NEW.at AND ends_at > NEW.at
			     ORDER BY starts_at DESC LIMIT 1), 0)) / 86400,
	       CASE k.kind WHEN 'topic' THEN
	       coalesce((SELECT g.topic_id FROM register_entry r JOIN booking b ON b.id = r.booking_id
			 JOIN group_session g ON g.id = b.session_id WHERE r.id = NEW.register_entry_id), 0)
	       ELSE 0 END,
	       NEW.counted_minutes
	FROM court_order o JOIN client c ON c.id = o.client_id
	JOIN (SELECT 'minutes' AS kind UNION ALL SELECT 'topic') k WHERE o.id = NEW.order_id
	ON CONFLICT DO UPDATE SET amount = amount + excluded.amount, yes = yes + excluded.yes,
		yes_too = yes_too + excluded.yes_too;
END;

CREATE TRIGGER feedback_impact AFTER INSERT ON feedback
BEGIN
	INSERT INTO impact_day(kind, authority_id, day, topic_id, amount, yes, yes_too)
	SELECT 'feedback', c.authority_id, (g.starts_at
		 + coalesce((SELECT 3600 FROM london_summer WHERE starts_at <= g.starts_at AND ends_at > g.starts_at
			     ORDER BY starts_at DESC LIMIT 1), 0)) / 86400, 0, 1,
	       NEW.knowledge_improved, NEW.will_apply
	FROM booking b JOIN group_session g ON g.id = b.session_id
	JOIN client c ON c.id = b.client_id WHERE b.id = NEW.booking_id
	ON CONFLICT DO UPDATE SET amount = amount + excluded.amount, yes = yes + excluded.yes,
		yes_too = yes_too + excluded.yes_too;
END;

-- The facts already there when this migration runs (no feedback yet).
INSERT INTO impact_day(kind, authority_id, day, topic_id, amount)
SELECT 'booking', c.authority_id, (b.created_at
		 + coalesce((SELECT 3600 FROM london_summer WHERE starts_at <= b.created_at AND ends_at > b.created_at
			     ORDER BY starts_at DESC LIMIT 1), 0)) / 86400 AS d, 0, count(*)
FROM booking b JOIN client c ON c.id = b.client_id
GROUP BY c.authority_id, d;
INSERT INTO impact_day(kind, authority_id, day, topic_id, amount, yes)
SELECT 'outcome', c.authority_id, (g.starts_at
		 + coalesce((SELECT 3600 FROM london_summer WHERE starts_at <= g.starts_at AND ends_at > g.starts_at
			     ORDER BY starts_at DESC LIMIT 1), 0)) / 86400 AS d, 0, count(*),
       sum(r.outcome IN ('attended', 'attended_part'))
FROM register_entry r JOIN booking b ON b.id = r.booking_id
JOIN group_session g ON g.id = b.session_id JOIN client c ON c.id = b.client_id
WHERE NOT EXISTS (SELECT 1 FROM register_entry n WHERE n.supersedes_id = r.id)
GROUP BY c.authority_id, d;
INSERT INTO impact_day(kind, authority_id, day, topic_id, amount)
SELECT 'topic', c.authority_id, (l.at
		 + coalesce((SELECT 3600 FROM london_summer WHERE starts_at <= l.at AND ends_at > l.at
			     ORDER BY starts_at DESC LIMIT 1), 0)) / 86400 AS d,
       coalesce((SELECT g.topic_id FROM register_entry r JOIN booking b ON b.id = r.booking_id
		 JOIN group_session g ON g.id = b.session_id WHERE r.id = l.register_entry_id), 0) AS t,
       sum(l.counted_minutes)
FROM hours_ledger l JOIN court_order o ON o.id = l.order_id JOIN client c ON c.id = o.client_id
GROUP BY c.authority_id, d, t;
INSERT INTO impact_day(kind, authority_id, day, topic_id, amount)
SELECT 'minutes', authority_id, day, 0, sum(amount) FROM impact_day WHERE kind = 'topic'
GROUP BY authority_id, day;

-- The dashboard's referral figures: referrals in a period, for one authority or all.
CREATE INDEX referral_impact_time ON referral(created_at, authority_id, client_id, case_worker_id);
CREATE INDEX referral_impact_area ON referral(authority_id, created_at, client_id, case_worker_id);
-- A client's attended sessions awaiting feedback, and the sessions whose feedback requests
-- are due, go from a session to its bookings.
CREATE INDEX booking_session ON booking(session_id, status);
