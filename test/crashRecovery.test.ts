import type { ChildProcess } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort, startProcess } from './helpers/botProcess';
import { actionsOf, DirectLineTestClient, textsOf } from './helpers/directLineClient';
import { seedRound } from './helpers/seed';
import { defined } from './helpers/defined';

describe('an acknowledged answer survives kill -9', () => {
  let child: ChildProcess | null = null;

  afterEach(() => {
    child?.kill('SIGKILL');
  });

  it('continues the conversation where it was after a crash and a restart', async () => {
    const port = await freePort();
    const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'bot-crash-'));
    const { code } = await seedRound(dataDir, 'full');
    child = await startProcess(port, dataDir);
    const origin = `http://127.0.0.1:${port}`;

    const client = await DirectLineTestClient.open(origin);
    await client.waitForCard('chooseRole');
    await client.say(code);
    await client.waitForCard('settings');
    await client.click({ verb: 'start' });
    const intro = await client.waitForCard('start', 'the explanation');
    expect(textsOf(intro).join(' ')).toMatch(/geen goede of foute/);
    await client.click({ verb: 'start' });

    const first = await client.waitForCard('answer', 'question 1');
    const firstAnswer = defined(
      actionsOf(first).find((a) => a.verb === 'answer' && a.value === 4),
      'answer 4',
    );
    await client.click(firstAnswer);
    await client.waitFor((a) => typeof a.text === 'string' && a.text.startsWith('Jouw antwoord'), 'the acknowledgement');
    const second = await client.waitForCard('answer', 'question 2');
    expect(textsOf(second)[0]).toContain('Vraag 2');

    // The answer was acknowledged: kill the process without any chance to flush.
    child.kill('SIGKILL');
    await new Promise((resolve) => defined(child, 'bot process').once('exit', resolve));

    child = await startProcess(port, dataDir);
    const again = await DirectLineTestClient.open(origin, {
      userToken: client.session.userToken,
      conversationId: client.session.conversationId,
    });
    expect(again.session.conversationId).toBe(client.session.conversationId);
    await again.say('verder');
    const resumed = await again.waitFor((a) => {
      const card = a.attachments?.[0]?.content;
      return !!card && textsOf(card).some((t) => t.includes('Vraag 2'));
    }, 'question 2 after the restart');
    expect(resumed).toBeTruthy();
    // Going back shows question 1 with the stored answer marked.
    await again.say('terug');
    const back = await again.waitFor((a) => {
      const card = a.attachments?.[0]?.content;
      return !!card && textsOf(card).some((t) => t.includes('Vraag 1'));
    }, 'question 1 again');
    const titles = JSON.stringify(back.attachments?.[0]?.content);
    expect(titles).toContain('✓');

    // A normal stop (SIGTERM) finishes cleanly.
    const exited = new Promise<number | null>((resolve) => defined(child, 'bot process').once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    child = null;
  }, 90000);
});
