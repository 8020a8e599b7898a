-- Indexes for two reads that issue 7's profiles found costly at national scale.
--
-- My referrals (a case worker's referrals, newest first, 50 a page) reads every column it
-- shows from this index, in the page's order, instead of the referral table's rows and a
-- court_order row for each (the list's SQL was 55% of its instructions). It replaces
-- referral_case_worker, whose two columns are its first two.
CREATE INDEX referral_case_worker_list ON referral(case_worker_id, created_at, id, client_id,
	reference, case_reference, status);
DROP INDEX referral_case_worker;

-- The scheduler looks for orders ending soon on every pass of the sender: from the orders
-- whose completion date is near to their referral (it scanned every referral), and sums
-- each candidate's counted minutes from the index alone.
CREATE INDEX referral_order ON referral(order_id);
CREATE INDEX hours_ledger_counted ON hours_ledger(order_id, counted_minutes);
