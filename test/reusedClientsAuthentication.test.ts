import { type Activity, ConfigurationBotFrameworkAuthentication } from 'botbuilder';
import {
  AuthenticationConstants,
  BotFrameworkAuthentication,
  ClaimsIdentity,
  ConnectorClient,
  ConnectorFactory,
} from 'botframework-connector';
import { ReusedClientsAuthentication } from '../bots/reusedClientsAuthentication';

/**
 * botbuilder made a connector client and a user-token client (credentials, an HTTP pipeline) for
 * every turn; the bot now makes each once per app id, service URL and audience (issue 15: a tenth
 * of the answer turn's CPU).
 */

const activity = (serviceUrl: string): Activity =>
  ({ type: 'message', channelId: 'directline', serviceUrl, conversation: { id: 'c1' }, from: { id: 'u1' } }) as Activity;

const identity = (appId: string): ClaimsIdentity =>
  new ClaimsIdentity([{ type: AuthenticationConstants.AudienceClaim, value: appId }], true);

async function clientFor(auth: BotFrameworkAuthentication, serviceUrl: string): Promise<ConnectorClient> {
  const result = await auth.authenticateRequest(activity(serviceUrl), '');
  if (!result.connectorFactory) throw new Error('no connector factory');
  return result.connectorFactory.create(serviceUrl, result.audience);
}

describe('reused Bot Framework clients', () => {
  it('gives every turn to one service URL the same connector client, and each service URL its own', async () => {
    const auth = new ReusedClientsAuthentication(new ConfigurationBotFrameworkAuthentication({}));
    const first = await clientFor(auth, 'http://127.0.0.1:3978/connector');
    const second = await clientFor(auth, 'http://127.0.0.1:3978/connector');
    const elsewhere = await clientFor(auth, 'https://smba.trafficmanager.net/emea/');
    expect(second).toBe(first);
    expect(elsewhere).not.toBe(first);
    const baseUriOf = (client: ConnectorClient): unknown => (client as unknown as { baseUri: unknown }).baseUri;
    expect(baseUriOf(first)).toBe('http://127.0.0.1:3978/connector');
    expect(baseUriOf(elsewhere)).toBe('https://smba.trafficmanager.net/emea/');
  });

  it('keeps clients apart per app id, for proactive messages as for turns, and user-token clients too', async () => {
    const auth = new ReusedClientsAuthentication(new ConfigurationBotFrameworkAuthentication({}));
    const url = 'https://smba.trafficmanager.net/emea/';
    const forA = await auth.createConnectorFactory(identity('app-a')).create(url);
    expect(await auth.createConnectorFactory(identity('app-a')).create(url)).toBe(forA);
    expect(await auth.createConnectorFactory(identity('app-b')).create(url)).not.toBe(forA);
    const tokens = await auth.createUserTokenClient(identity('app-a'));
    expect(await auth.createUserTokenClient(identity('app-a'))).toBe(tokens);
    expect(await auth.createUserTokenClient(identity('app-b'))).not.toBe(tokens);
  });

  it('does not keep a client that could not be made: the next turn asks again', async () => {
    const inner = new ConfigurationBotFrameworkAuthentication({});
    const made = new ConnectorClient({ signRequest: async (request) => request }, { baseUri: 'https://example.test/' });
    const create = jest.fn<Promise<ConnectorClient>, [string, string?]>();
    create.mockRejectedValueOnce(new Error('token endpoint unreachable')).mockResolvedValue(made);
    const factory = new (class extends ConnectorFactory {
      create = create;
    })();
    jest.spyOn(inner, 'createConnectorFactory').mockReturnValue(factory);
    const auth = new ReusedClientsAuthentication(inner);
    await expect(auth.createConnectorFactory(identity('app-a')).create('https://example.test/')).rejects.toThrow(/unreachable/);
    expect(await auth.createConnectorFactory(identity('app-a')).create('https://example.test/')).toBe(made);
    expect(await auth.createConnectorFactory(identity('app-a')).create('https://example.test/')).toBe(made);
    expect(create).toHaveBeenCalledTimes(2);
  });
});
