-- Deliveries are claimed one by one instead of one subscription at a time, so that several requests to a
-- subscription's endpoint can be in flight (each the oldest unfinished delivery of its task). A claim moves the
-- delivery's next_at past the lease and stamps it with the claiming instance's token: while the lease runs nobody
-- else claims it, and once it lapses (the instance died) the delivery is simply due again. The outcome is recorded
-- only by the token that holds the lease.
--
-- Stop the instances of an older version before this migration runs: they still lease subscription rows.
ALTER TABLE subscription_delivery ADD COLUMN lease_token uuid;

ALTER TABLE subscription
    DROP COLUMN busy_until,
    DROP COLUMN busy_token,
    DROP COLUMN claimed_at;

-- a claim walks a subscription's pending deliveries in due order and stops at the first one not yet due
DROP INDEX subscription_delivery_pending;
CREATE INDEX subscription_delivery_due ON subscription_delivery (subscription_id, next_at, id) WHERE state = 'pending';

-- An event-type glob (`*` matches anything) as a LIKE pattern, LIKE's own wildcards escaped: the fan-out matches
-- every subscription's globs in one statement.
CREATE FUNCTION subscription_like(glob text) RETURNS text LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT replace(replace(replace(replace(glob, '\', '\\'), '%', '\%'), '_', '\_'), '*', '%')
$$;
