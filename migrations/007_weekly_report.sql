-- The weekly report (issue 5): which case worker's report of which ISO week is in the
-- outbox already ("once per case worker per week", also across restarts), and indexes for
-- reading a week's figures at a country's size.
CREATE TABLE weekly_report_sent (
	case_worker_id INTEGER NOT NULL REFERENCES user(id),
	week TEXT NOT NULL,          -- ISO week, e.g. 2026-W48
	at INTEGER NOT NULL,
	PRIMARY KEY (case_worker_id, week)
) STRICT, WITHOUT ROWID;

-- Hours done and credited in a week, per order, from the index alone.
CREATE INDEX hours_ledger_order_at ON hours_ledger(order_id, at, counted_minutes);
-- A week's bookings and each order's next booking, from the index alone (without it each
-- of a country's ~10,000 bookings of a week is a random read of the booking table).
CREATE INDEX booking_session_order ON booking(session_id, status, order_id);
-- A booking's register outcome, from the index alone.
CREATE INDEX register_entry_outcome ON register_entry(booking_id, outcome);
-- An authority's report.
CREATE INDEX referral_authority ON referral(authority_id, status);
