-- The scheduler looks for orders whose completion date is near on every pass: an index on
-- the date keeps that to the few orders in the window, not every order (issue 7's profile).
CREATE INDEX court_order_complete_by ON court_order(complete_by);
