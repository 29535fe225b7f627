-- Up Migration

-- Every domain record is kept whole as jsonb (the same shape the file store writes), with the
-- fields that queries select on copied into real columns beside it, so each query is an index
-- lookup and the domain types stay the one definition of a record.

CREATE TABLE rounds (
  id text PRIMARY KEY,
  professional_id text NOT NULL,
  code_hash text NOT NULL,
  link_token_hash text NOT NULL,
  client_user_id text,
  status text NOT NULL,
  deadline timestamptz NOT NULL,
  summary_sent_at timestamptz,
  appointment_date date NOT NULL,
  created_at timestamptz NOT NULL,
  record jsonb NOT NULL
);
-- A professional's rounds in page order: newest appointment first, then newest created, then id.
CREATE INDEX rounds_by_professional ON rounds (professional_id, appointment_date DESC, created_at DESC, id COLLATE "C");
CREATE INDEX rounds_by_code_hash ON rounds (code_hash);
CREATE INDEX rounds_by_link_token_hash ON rounds (link_token_hash);
CREATE INDEX rounds_by_client_user ON rounds (client_user_id) WHERE client_user_id IS NOT NULL;
-- The scheduler: rounds whose summary is still to be sent, by deadline (it never reads the others).
CREATE INDEX rounds_awaiting_summary ON rounds (deadline, id COLLATE "C")
  WHERE summary_sent_at IS NULL AND status IN ('open', 'complete');
-- Retention: rounds by their appointment date, oldest first.
CREATE INDEX rounds_by_appointment_date ON rounds (appointment_date, id COLLATE "C");

CREATE TABLE response_sets (
  id text PRIMARY KEY,
  record jsonb NOT NULL
);

CREATE TABLE professionals (
  id text PRIMARY KEY,
  access_secret_hash text,
  aad_object_id text,
  record jsonb NOT NULL
);
CREATE INDEX professionals_by_access_secret_hash ON professionals (access_secret_hash) WHERE access_secret_hash IS NOT NULL;
CREATE INDEX professionals_by_aad_object_id ON professionals (aad_object_id) WHERE aad_object_id IS NOT NULL;

CREATE TABLE conversation_references (
  key text PRIMARY KEY,
  reference jsonb NOT NULL,
  updated_at timestamptz NOT NULL
);

-- Oldest first is the order of `id` within one `at`; retention deletes by `at`.
CREATE TABLE access_log (
  id bigserial PRIMARY KEY,
  at timestamptz NOT NULL,
  round_id text,
  entry jsonb NOT NULL
);
CREATE INDEX access_log_by_time ON access_log (at, id);
CREATE INDEX access_log_by_round ON access_log (round_id, at, id) WHERE round_id IS NOT NULL;

-- botbuilder state (conversation and user). The eTag is `version`, drawn from one sequence so a
-- key deleted and written again never gets back a version an old reader may still hold.
CREATE SEQUENCE bot_state_versions;
CREATE TABLE bot_state (
  key text PRIMARY KEY,
  document jsonb NOT NULL,
  version bigint NOT NULL
);

-- Failed invitation-code attempts, shared by every instance (services/rounds/attemptLimiter.ts).
CREATE TABLE code_attempt_failures (
  scope text NOT NULL,
  key text NOT NULL,
  failed_at timestamptz NOT NULL
);
CREATE INDEX code_attempt_failures_by_key ON code_attempt_failures (scope, key, failed_at);
CREATE INDEX code_attempt_failures_by_time ON code_attempt_failures (failed_at);

-- Keys every instance must share: the web-token signing key. Created once by whichever instance
-- starts first (INSERT … ON CONFLICT DO NOTHING), then read by all.
CREATE TABLE secrets (
  name text PRIMARY KEY,
  value bytea NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- Single-use tab links already exchanged, until they expire (server/tabApi.ts).
CREATE TABLE used_link_nonces (
  nonce text PRIMARY KEY,
  expires_at timestamptz NOT NULL
);
CREATE INDEX used_link_nonces_by_expiry ON used_link_nonces (expires_at);

-- Down Migration

DROP TABLE used_link_nonces;
DROP TABLE secrets;
DROP TABLE code_attempt_failures;
DROP TABLE bot_state;
DROP SEQUENCE bot_state_versions;
DROP TABLE access_log;
DROP TABLE conversation_references;
DROP TABLE professionals;
DROP TABLE response_sets;
DROP TABLE rounds;
