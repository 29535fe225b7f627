import type { SingleUseLinks } from './singleUseLinks';

/**
 * Used links in this process's memory, each until it expires. A link lives 15 minutes, so only a
 * restart within those minutes lets a used link work once more.
 */
export class InMemorySingleUseLinks implements SingleUseLinks {
  private readonly used = new Map<string, number>();

  constructor(private readonly now: () => Date) {}

  async useOnce(nonce: string, expiresAt: Date): Promise<boolean> {
    const nowMs = this.now().getTime();
    for (const [used, expiry] of this.used) if (expiry < nowMs) this.used.delete(used);
    if (this.used.has(nonce)) return false;
    this.used.set(nonce, expiresAt.getTime());
    return true;
  }
}
