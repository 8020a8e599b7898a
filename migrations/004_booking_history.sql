-- A booking's register outcome and the minutes it credited are looked up by booking (the
-- client's pages, the booking page, the booking rules): without these two indexes each
-- lookup read every register entry and every ledger row, 1.9 s a page at national scale
-- (issue 7, with its 380,000 bookings).
CREATE INDEX register_entry_booking ON register_entry(booking_id);
CREATE INDEX hours_ledger_entry ON hours_ledger(register_entry_id);
