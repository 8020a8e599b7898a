-- My referrals (a case worker's referrals, newest first, 50 a page) reads every column it
-- shows from this index, in the page's order, instead of the referral table's rows and a
-- court_order row for each (issue 7: the list's SQL was 55% of its instructions). It
-- replaces referral_case_worker, whose two columns are its first two.
CREATE INDEX referral_case_worker_list ON referral(case_worker_id, created_at, id, client_id,
	reference, case_reference, status);
DROP INDEX referral_case_worker;
