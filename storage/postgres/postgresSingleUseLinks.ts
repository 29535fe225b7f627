import type { Pool } from 'pg';
import type { SingleUseLinks } from '../../services/professionals/singleUseLinks';

/**
 * Used links in `used_link_nonces`, shared by every instance: the insert that finds the nonce
 * there already loses, so of two instances that get the same link at once exactly one lets it in.
 */
export class PostgresSingleUseLinks implements SingleUseLinks {
  constructor(
    private readonly pool: Pool,
    private readonly now: () => Date,
  ) {}

  async useOnce(nonce: string, expiresAt: Date): Promise<boolean> {
    await this.pool.query('DELETE FROM used_link_nonces WHERE expires_at < $1', [this.now()]);
    const inserted = await this.pool.query(
      'INSERT INTO used_link_nonces (nonce, expires_at) VALUES ($1, $2) ON CONFLICT (nonce) DO NOTHING',
      [nonce, expiresAt],
    );
    return inserted.rowCount === 1;
  }
}
