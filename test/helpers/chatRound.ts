import {
  type Activity,
  actionsOf,
  answerAllByClicking,
  cardOf,
  type ChatParticipant,
  DirectLineTestClient,
  textsOf,
} from './directLineClient';
import { defined } from './defined';

/** A `waitFor` predicate: a card with a text that matches. */
export function cardSays(pattern: RegExp): (activity: Activity) => boolean {
  return (activity) => {
    const card = cardOf(activity);
    return card !== null && textsOf(card).some((text) => pattern.test(text));
  };
}

export interface PlayedRound<Chat extends ChatParticipant = DirectLineTestClient> {
  pro: Chat;
  client: Chat;
  roundId: string;
}

/**
 * A professional (signed in with their access link) creates a round; with `professionalAnswers`
 * they answer their side; the client opens the invitation link and answers every question.
 */
export async function playRound(
  origin: string,
  secret: string,
  options: { clientLabel: string; professionalAnswers: boolean; pro?: DirectLineTestClient },
): Promise<PlayedRound> {
  const open = (): Promise<DirectLineTestClient> => DirectLineTestClient.open(origin);
  return playRoundWith({ pro: open, client: open }, secret, options);
}

/** {@link playRound} over any chat: `open.pro` and `open.client` may reach different bot instances. */
export async function playRoundWith<Chat extends ChatParticipant>(
  open: { pro: () => Promise<Chat>; client: () => Promise<Chat> },
  secret: string,
  options: { clientLabel: string; professionalAnswers: boolean; pro?: Chat },
): Promise<PlayedRound<Chat>> {
  let pro = options.pro;
  if (!pro) {
    pro = await open.pro();
    await pro.waitForCard('chooseRole');
    await pro.send({ type: 'event', name: 'professionalSignIn', value: { secret } });
  }
  await pro.waitForCard('newRound', 'the professional menu');
  await pro.click({ verb: 'newRound' });
  await pro.waitForCard('createRound', 'the round form');
  const appointment = new Date(Date.now() + 7 * 86400000).toISOString().slice(0, 10);
  await pro.click({
    verb: 'createRound',
    clientLabel: options.clientLabel,
    domain: 'debtHelp',
    form: 'short',
    appointmentDate: appointment,
  });
  const invitation = await pro.waitFor((a) => !!cardOf(a) && JSON.stringify(cardOf(a)).includes('?join='), 'the invitation');
  const invitationCard = defined(cardOf(invitation), 'the invitation card');
  const linkToken = decodeURIComponent(defined(/\?join=([^"\s]+)/.exec(JSON.stringify(invitationCard)), 'the join link')[1]);
  const roundId = String(
    defined(
      actionsOf(invitationCard).find((a) => a.verb === 'answerOwnSide'),
      'answerOwnSide',
    ).roundId,
  );
  if (options.professionalAnswers) {
    await pro.click({ verb: 'answerOwnSide', roundId });
    await pro.waitForCard('start', 'the professional explanation');
    await pro.click({ verb: 'start' });
    await answerAllByClicking(pro, (i) => ((i + 2) % 5) + 1);
  }
  const client = await open.client();
  await client.waitForCard('chooseRole');
  await client.send({ type: 'event', name: 'joinRound', value: { token: linkToken } });
  await client.waitForCard('settings');
  await client.click({ verb: 'start' });
  await client.waitForCard('start', 'the client explanation');
  await client.click({ verb: 'start' });
  await answerAllByClicking(client, (i) => (i === 1 ? null : (i % 5) + 1));
  await client.waitFor(cardSays(/Dank je wel/), 'the thank-you');
  return { pro, client, roundId };
}
