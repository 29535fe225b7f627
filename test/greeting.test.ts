import { MemoryStorage } from 'botbuilder';
import { strings } from '../cards/strings';
import { JOIN_EVENT, PAGE_LOCALE_EVENT, SIGN_IN_EVENT } from '../dialogs/mainDialog';
import { BotWorld, textOf } from './helpers/botHarness';

const nl = strings('nl');

/** Everything a reply says: its text and the texts of its cards. */
function said(replies: Parameters<typeof textOf>[0]): string {
  return JSON.stringify(replies);
}

/**
 * Nobody whose link says who they are is asked who they are. On Azure's Direct Line (production)
 * every new conversation is announced before the page can send its link: the bot waits for the page.
 */
describe.each<'local' | 'production'>(['production', 'local'])('greeting on the web (%s mode)', (mode) => {
  const world = (): BotWorld => new BotWorld(new MemoryStorage(), undefined, undefined, undefined, undefined, { mode });

  it('a client with a join link: joined, never "who are you?"', async () => {
    const bots = world();
    const { linkToken } = await bots.roundWithCode('short');
    const client = bots.person('client-1', 'conversation-client-1', 'directline');
    const announced = await client.join();
    // Local mode's own Direct Line announces a page with a link not at all; only other clients get this greeting.
    if (mode === 'production') expect(announced).toEqual([]);
    const replies = await client.event(JOIN_EVENT, { token: linkToken });
    expect(said(replies)).toContain(nl.joined);
    expect(said(replies)).not.toContain(nl.roleQuestion);
  });

  it('a professional with a personal link: the menu, never "who are you?"', async () => {
    const bots = world();
    const { secret } = await bots.roundWithCode('short');
    const pro = bots.person('pro-1', 'conversation-pro-1', 'directline');
    const announced = await pro.join();
    if (mode === 'production') expect(announced).toEqual([]);
    const replies = await pro.event(SIGN_IN_EVENT, { secret });
    expect(said(replies)).toContain('Mijn rondes');
    expect(said(replies)).not.toContain(nl.roleQuestion);
  });

  it('a page without a link is greeted on its opening event', async () => {
    const bots = world();
    const visitor = bots.person('visitor-1', 'conversation-visitor-1', 'directline');
    const announced = await visitor.join();
    if (mode === 'production') expect(announced).toEqual([]);
    else expect(said(announced)).toContain(nl.roleQuestion);
    const replies = await visitor.event(PAGE_LOCALE_EVENT, {});
    expect(said(replies)).toContain(nl.roleQuestion);
  });

  it('Teams is greeted when the bot is added, as before', async () => {
    const teams = world().person('teams-1', 'conversation-teams-1', 'msteams');
    expect(said(await teams.join())).not.toBe('[]');
  });
});
