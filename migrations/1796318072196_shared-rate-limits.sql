-- Up Migration

-- The web-chat token endpoint's sliding windows (new identities per address, requests per device),
-- shared by every instance (storage/postgres/postgresRateLimiter.ts): one row per counted request.
CREATE TABLE rate_limit_events (
  limiter text NOT NULL,
  key text NOT NULL,
  at timestamptz NOT NULL
);
CREATE INDEX rate_limit_events_by_key ON rate_limit_events (limiter, key, at);
CREATE INDEX rate_limit_events_by_time ON rate_limit_events (at);

-- Down Migration

DROP TABLE rate_limit_events;
