import { randomBytes } from 'node:crypto';
import type { Pool } from 'pg';

/**
 * A secret every instance must share (the web-token signing key), from `secrets`; made by the
 * first instance that asks.
 *
 * @remarks Race-free without a lock: every starting instance offers a fresh random value with
 * `INSERT … ON CONFLICT DO NOTHING`, exactly one offer is kept, and all of them read that one back.
 */
export async function sharedSecret(pool: Pool, name: string, bytes = 32): Promise<Buffer> {
  await pool.query('INSERT INTO secrets (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING', [name, randomBytes(bytes)]);
  const result = await pool.query<{ value: Buffer }>('SELECT value FROM secrets WHERE name = $1', [name]);
  const value = result.rows[0]?.value;
  if (!value) throw new Error(`secret ${name} is missing right after it was stored`);
  return value;
}
