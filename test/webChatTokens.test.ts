import { randomBytes } from 'node:crypto';
import { AzureWebChatTokens, DirectLineExchangeError } from '../server/webChatTokens';
import { TokenSigner } from '../server/tokenSigner';

describe('AzureWebChatTokens (production mode)', () => {
  const signer = new TokenSigner(randomBytes(32));

  function fakeAzure(status: number, body: unknown) {
    const calls: { url: string; init: RequestInit }[] = [];
    const fetchImpl = (async (url: string | URL | Request, init?: RequestInit) => {
      calls.push({ url: url instanceof Request ? url.url : url.toString(), init: init ?? {} });
      return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
    }) as typeof fetch;
    return { calls, fetchImpl };
  }

  it('exchanges the secret on the server and hands out only a token bound to a dl_ user', async () => {
    const azure = fakeAzure(200, { token: 'azure-token', conversationId: 'conv-1', expires_in: 1800 });
    const tokens = new AzureWebChatTokens('the-secret', 'https://europe.directline.botframework.com', signer, azure.fetchImpl);
    const session = await tokens.issue({});
    expect(azure.calls[0].url).toBe('https://europe.directline.botframework.com/v3/directline/tokens/generate');
    expect((azure.calls[0].init.headers as Record<string, string>).authorization).toBe('Bearer the-secret');
    expect((JSON.parse(azure.calls[0].init.body as string) as { user: { id: string } }).user.id).toMatch(/^dl_[0-9a-f]{32}$/);
    expect(JSON.stringify(session)).not.toContain('the-secret');
    expect(session.token).toBe('azure-token');
    expect(session.domain).toBe('https://europe.directline.botframework.com/v3/directline');
  });

  it('keeps the same user for a device that shows its signed user token, and a new one for a forged token', async () => {
    const azure = fakeAzure(200, { token: 't', conversationId: 'c' });
    const tokens = new AzureWebChatTokens('s', 'https://directline.botframework.com', signer, azure.fetchImpl);
    const first = await tokens.issue({});
    const again = await tokens.issue({ userToken: first.userToken });
    expect(again.userId).toBe(first.userId);
    const forged = await tokens.issue({ userToken: first.userToken.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A')) });
    expect(forged.userId).not.toBe(first.userId);
  });

  it('reports a refusal from Azure as an exchange error', async () => {
    const tokens = new AzureWebChatTokens('s', 'https://directline.botframework.com', signer, fakeAzure(403, { error: 'no' }).fetchImpl);
    await expect(tokens.issue({})).rejects.toBeInstanceOf(DirectLineExchangeError);
  });
});
