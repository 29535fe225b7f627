/*
 * The professional's tab: rounds with their status, per client a chart of the four dimensions over
 * the rounds, and the latest summary. Plain JavaScript, no build step.
 *
 * Sign-in: inside Teams with single sign-on; in a browser with the personal link (?pro=) or a
 * short-lived link from the chat (?link=). The secret is removed from the address bar at once and
 * only the short-lived session token is kept, in sessionStorage (gone when the tab closes).
 */
(function () {
  'use strict';

  var TEAMS_INIT_TIMEOUT_MS = 1500;
  var SESSION_KEY = 'allianceMonitor.tabSession';
  var DIMENSIONS = ['direction', 'trust', 'bond', 'friction'];
  var SVG_NS = 'http://www.w3.org/2000/svg';

  var STRINGS = {
    nl: {
      pageTitle: 'Alliantiemonitor – overzicht',
      skipToContent: 'Naar de inhoud',
      appTitle: 'Alliantiemonitor',
      loading: 'Het overzicht wordt geladen…',
      signingIn: 'Je wordt aangemeld…',
      signinTitle: 'Zo open je dit overzicht',
      signinTeams: 'In Microsoft Teams: open de app Alliantiemonitor en kies het tabblad Overzicht.',
      signinLink:
        'In de browser: tik in de chat op Overzicht (in het menu of onder een vergelijking), of typ overzicht. Die link werkt één keer, binnen 15 minuten. Je persoonlijke link van de beheerder opent de chat.',
      signinPrivacy: 'Deel je persoonlijke link met niemand: wie de link heeft, ziet jouw rondes.',
      reasonNoCredential: 'We weten nog niet wie je bent. Dit overzicht is alleen voor professionals.',
      reasonRefused:
        'Deze link werkt niet (meer). Hij is al gebruikt, of de 15 minuten zijn voorbij. Typ overzicht in de chat voor een nieuwe link.',
      reasonExpired: 'Je sessie is verlopen. Open het overzicht opnieuw.',
      reasonTeamsFailed:
        'Teams kon je niet automatisch aanmelden. Sluit het tabblad en open het opnieuw. Blijft dit gebeuren, vraag dan je beheerder om hulp.',
      loadFailed: 'Het overzicht kon niet worden geladen. Controleer je verbinding en probeer het opnieuw.',
      retry: 'Opnieuw proberen',
      signedInAs: function (name) {
        return 'Aangemeld als ' + name;
      },
      roundsTitle: 'Rondes',
      clientsTitle: 'Per cliënt',
      noRounds: 'Je hebt nog geen rondes. Start een ronde in de chat met de bot; daarna zie je hier de stand.',
      moreRounds: 'Meer rondes laten zien',
      moreClients: 'Oudere rondes laten zien',
      loadingMore: 'Meer wordt geladen…',
      moreFailed: 'Meer laden lukte niet. Probeer het opnieuw.',
      appointment: function (date) {
        return 'Afspraak ' + date;
      },
      statusCancelled: 'Geannuleerd',
      statusExpired: 'Verlopen',
      statusComplete: 'Afgerond',
      statusOpen: 'Loopt',
      clientJoined: ['Cliënt doet mee', 'Cliënt heeft de uitnodiging nog niet gebruikt'],
      clientCompleted: ['Cliënt is klaar', 'Cliënt is nog niet klaar'],
      professionalCompleted: ['Jij bent klaar', 'Jij bent nog niet klaar'],
      summarySent: function (date) {
        return date ? 'Samenvatting verstuurd op ' + date : 'Samenvatting nog niet verstuurd';
      },
      showSummary: function () {
        return 'Samenvatting bekijken';
      },
      showSummaryContext: function (label, date) {
        return ' van ' + label + ', afspraak ' + date;
      },
      unreadable: 'De antwoorden van deze ronde kunnen nu niet gelezen worden. De beheerder is gewaarschuwd.',
      waiting: function (who, deadline) {
        var whom =
          who.length === 2
            ? 'jij en de cliënt allebei klaar zijn'
            : who[0] === 'client'
              ? 'de cliënt klaar is'
              : who[0] === 'professional'
                ? 'jij klaar bent'
                : 'de ronde is afgerond';
        return (
          'Samenvatting nog niet beschikbaar: we wachten tot ' +
          whom +
          ', of tot de deadline (' +
          deadline +
          '). Zo kan de ene kant de andere niet beïnvloeden.'
        );
      },
      cancelled: 'Deze ronde is geannuleerd; er is geen samenvatting.',
      chartTitle: function (label) {
        return 'Verloop van ' + label;
      },
      chartNote: 'Schaal 1 tot 5, hoger is beter. Bij Stroefheid is omgerekend: hoger betekent minder wrijving.',
      legendClient: 'Cliënt',
      legendProfessional: 'Jij (professional)',
      latest: function (client, pro) {
        return 'Laatst: cliënt ' + client + ', jij ' + pro;
      },
      noValue: '–',
      notYet: 'nog niet beschikbaar',
      chartAria: function (label, clientText, proText) {
        return label + ', schaal 1 tot 5, hoger is beter. Cliënt: ' + clientText + '. Jij: ' + proText + '.';
      },
      noNumbers: 'nog geen scores',
      tableCaption: function (label) {
        return 'Scores per ronde voor ' + label + ' (1 tot 5, hoger is beter)';
      },
      tableDate: 'Afspraak',
      tableClient: function (dim) {
        return dim + ': cliënt';
      },
      tablePro: function (dim) {
        return dim + ': jij';
      },
      onePoint: 'Na de volgende ronde zie je hier een lijn.',
      pendingDates: 'Een cursieve datum is een ronde die nog niet beschikbaar is.',
      noScoresYet: 'Nog geen scores om te tonen: de eerste ronde is nog niet beschikbaar.',
      summaryTitle: 'Laatste samenvatting',
      summaryNone: 'Er is nog geen samenvatting van deze cliënt.',
      summaryLoading: 'Samenvatting wordt geladen…',
      summaryFailed: 'De samenvatting kon niet worden geladen.',
      downloadFhir: 'Download voor het dossier (FHIR)',
      downloadCsv: 'Download als tabel (CSV)',
      downloadContext: function (label, date) {
        return ', ' + label + ', ' + date;
      },
      downloadFailed: 'Het bestand kon niet worden gedownload. Probeer het later nog eens.',
      talkingPoints: 'Om over te praten',
      question: 'Vraag',
      clientComment: 'Opmerking van de cliënt',
      goingWell: 'Wat goed gaat',
      trend: 'Verloop sinds de vorige keer',
      missing: 'Overgeslagen vragen',
      skippedByClient: 'Door de cliënt',
      skippedByYou: 'Door jou',
      otherComments: 'Andere opmerkingen van de cliënt',
      none: 'Niets bijzonders.',
      newerPending: function (date) {
        return 'De ronde van ' + date + ' is nog niet beschikbaar. Hieronder staat de laatste samenvatting die je wel mag zien.';
      },
    },
    en: {
      pageTitle: 'Alliance monitor – overview',
      skipToContent: 'Skip to content',
      appTitle: 'Alliance monitor',
      loading: 'Loading the overview…',
      signingIn: 'Signing you in…',
      signinTitle: 'How to open this overview',
      signinTeams: 'In Microsoft Teams: open the Alliance monitor app and choose the Overview tab.',
      signinLink:
        'In a browser: tap Overview in the chat (in the menu or under a comparison), or type overview. That link works once, within 15 minutes. The personal link from your administrator opens the chat.',
      signinPrivacy: 'Do not share your personal link: anyone who has it can see your rounds.',
      reasonNoCredential: 'We do not know who you are yet. This overview is for professionals only.',
      reasonRefused:
        'This link does not work (any more). It was used already, or its 15 minutes are over. Type overview in the chat for a new link.',
      reasonExpired: 'Your session has ended. Please open the overview again.',
      reasonTeamsFailed:
        'Teams could not sign you in automatically. Close the tab and open it again. If this keeps happening, ask your administrator for help.',
      loadFailed: 'The overview could not be loaded. Check your connection and try again.',
      retry: 'Try again',
      signedInAs: function (name) {
        return 'Signed in as ' + name;
      },
      roundsTitle: 'Rounds',
      clientsTitle: 'Per client',
      noRounds: 'You have no rounds yet. Start a round in the chat with the bot; its progress will show here.',
      moreRounds: 'Show more rounds',
      moreClients: 'Show older rounds',
      loadingMore: 'Loading more…',
      moreFailed: 'Could not load more. Please try again.',
      appointment: function (date) {
        return 'Appointment ' + date;
      },
      statusCancelled: 'Cancelled',
      statusExpired: 'Expired',
      statusComplete: 'Complete',
      statusOpen: 'In progress',
      clientJoined: ['Client has joined', 'Client has not used the invitation yet'],
      clientCompleted: ['Client is done', 'Client is not done yet'],
      professionalCompleted: ['You are done', 'You are not done yet'],
      summarySent: function (date) {
        return date ? 'Summary sent on ' + date : 'Summary not sent yet';
      },
      showSummary: function () {
        return 'View summary';
      },
      showSummaryContext: function (label, date) {
        return ' of ' + label + ', appointment ' + date;
      },
      unreadable: 'The answers of this round cannot be read right now. The administrator has been told.',
      waiting: function (who, deadline) {
        var whom =
          who.length === 2
            ? 'both you and the client are done'
            : who[0] === 'client'
              ? 'the client is done'
              : who[0] === 'professional'
                ? 'you are done'
                : 'the round is closed';
        return (
          'Summary not available yet: waiting until ' +
          whom +
          ', or until the deadline (' +
          deadline +
          '). This way neither side can influence the other.'
        );
      },
      cancelled: 'This round was cancelled; there is no summary.',
      chartTitle: function (label) {
        return 'Progress of ' + label;
      },
      chartNote: 'Scale 1 to 5, higher is better. Friction is turned around: higher means less friction.',
      legendClient: 'Client',
      legendProfessional: 'You (professional)',
      latest: function (client, pro) {
        return 'Latest: client ' + client + ', you ' + pro;
      },
      noValue: '–',
      notYet: 'not available yet',
      chartAria: function (label, clientText, proText) {
        return label + ', scale 1 to 5, higher is better. Client: ' + clientText + '. You: ' + proText + '.';
      },
      noNumbers: 'no scores yet',
      tableCaption: function (label) {
        return 'Scores per round for ' + label + ' (1 to 5, higher is better)';
      },
      tableDate: 'Appointment',
      tableClient: function (dim) {
        return dim + ': client';
      },
      tablePro: function (dim) {
        return dim + ': you';
      },
      onePoint: 'After the next round a line will show here.',
      pendingDates: 'A date in italics is a round that is not available yet.',
      noScoresYet: 'No scores to show yet: the first round is not available yet.',
      summaryTitle: 'Latest summary',
      summaryNone: 'There is no summary for this client yet.',
      summaryLoading: 'Loading the summary…',
      summaryFailed: 'The summary could not be loaded.',
      downloadFhir: 'Download for the client file (FHIR)',
      downloadCsv: 'Download as a table (CSV)',
      downloadContext: function (label, date) {
        return ', ' + label + ', ' + date;
      },
      downloadFailed: 'The file could not be downloaded. Please try again later.',
      talkingPoints: 'To talk about',
      question: 'Question',
      clientComment: "Client's comment",
      goingWell: 'What goes well',
      trend: 'Change since last time',
      missing: 'Skipped questions',
      skippedByClient: 'By the client',
      skippedByYou: 'By you',
      otherComments: 'Other comments from the client',
      none: 'Nothing in particular.',
      newerPending: function (date) {
        return 'The round of ' + date + ' is not available yet. Below is the latest summary you may see.';
      },
    },
  };

  /*
   * Both lists come in pages (newest appointment first), each with the cursor of the next page. The
   * client charts are built from pages of rounds: a later page adds older rounds to clients already
   * shown (their chart is drawn again) or adds clients whose rounds are all older.
   */
  var state = {
    locale: 'nl',
    token: null,
    teams: null,
    dimensionLabels: {},
    roundsById: {},
    roundsNext: null,
    clientsNext: null,
    clients: {},
    clientCount: 0,
  };
  function t() {
    return STRINGS[state.locale];
  }

  /* ---------- start ---------- */

  start().catch(function () {
    showLoadFailed();
  });

  async function start() {
    var params = new URLSearchParams(window.location.search);
    var secret = params.get('pro');
    var link = params.get('link');
    // Out of the address bar (and so out of history and screenshots) before anything else happens.
    if (secret !== null || link !== null) scrubAddressBar();
    var forcedLocale = params.get('lang') === 'en' ? 'en' : params.get('lang') === 'nl' ? 'nl' : null;
    setLocale(forcedLocale || 'nl');

    var credential = secret ? { accessSecret: secret } : link ? { tabLink: link } : null;
    if (!credential) {
      state.teams = await connectToTeams();
      if (state.teams && !forcedLocale) setLocale(/^en/i.test(state.teams.locale) ? 'en' : 'nl');
    }

    setStatus(t().signingIn);
    var session = null;
    if (credential) {
      session = await exchange(credential);
      if (!session) return showSignin(t().reasonRefused);
    } else {
      session = readStoredSession();
      if (!session && state.teams) {
        session = await teamsSession();
        if (!session) return showSignin(t().reasonTeamsFailed);
      }
      if (!session) return showSignin(t().reasonNoCredential);
    }
    useSession(session);
    await loadOverview();
  }

  function scrubAddressBar() {
    var url = new URL(window.location.href);
    url.searchParams.delete('pro');
    url.searchParams.delete('link');
    window.history.replaceState(null, '', url.pathname + url.search + url.hash);
  }

  /* ---------- Teams ---------- */

  /** The Teams context, or null outside Teams (initialize never settles in a foreign iframe). */
  async function connectToTeams() {
    var teams = window.microsoftTeams;
    if (!teams || !teams.app) return null;
    try {
      var ready = await Promise.race([
        teams.app.initialize().then(function () {
          return true;
        }),
        new Promise(function (resolve) {
          setTimeout(function () {
            resolve(false);
          }, TEAMS_INIT_TIMEOUT_MS);
        }),
      ]);
      if (!ready) return null;
      var context = await teams.app.getContext();
      var app = (context && context.app) || {};
      setTheme(app.theme);
      teams.app.registerOnThemeChangeHandler(setTheme);
      if (teams.app.notifySuccess) teams.app.notifySuccess();
      return { locale: app.locale || '' };
    } catch (error) {
      return null;
    }
  }

  async function teamsSession() {
    try {
      var token = await window.microsoftTeams.authentication.getAuthToken();
      return await exchange({ teamsSsoToken: token });
    } catch (error) {
      return null;
    }
  }

  function setTheme(theme) {
    var known = theme === 'dark' || theme === 'contrast' ? theme : 'default';
    document.documentElement.setAttribute('data-theme', known);
  }

  /* ---------- session ---------- */

  async function exchange(credential) {
    var response = await fetch('/api/tab/session', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(credential),
      cache: 'no-store',
      credentials: 'omit',
    });
    if (response.status === 401) return null;
    if (!response.ok) throw new Error('session ' + response.status);
    var body = await response.json();
    var session = { token: body.token, displayName: body.displayName, expiresAt: Date.now() + body.expiresInSeconds * 1000 };
    try {
      sessionStorage.setItem(SESSION_KEY, JSON.stringify(session));
    } catch (error) {
      /* Storage may be blocked (private mode, third-party iframe): the session then lasts this page. */
    }
    return session;
  }

  function readStoredSession() {
    try {
      var session = JSON.parse(sessionStorage.getItem(SESSION_KEY) || 'null');
      // A minute of margin, so a request does not start with a token about to expire.
      if (session && typeof session.token === 'string' && session.expiresAt > Date.now() + 60000) return session;
    } catch (error) {
      /* unreadable: sign in again */
    }
    forgetSession();
    return null;
  }

  function forgetSession() {
    state.token = null;
    try {
      sessionStorage.removeItem(SESSION_KEY);
    } catch (error) {
      /* nothing stored */
    }
  }

  function useSession(session) {
    state.token = session.token;
    document.getElementById('who').textContent = session.displayName ? t().signedInAs(session.displayName) : '';
  }

  function SessionEnded() {}

  async function api(path) {
    var response = await fetch(path, { headers: { authorization: 'Bearer ' + state.token }, cache: 'no-store', credentials: 'omit' });
    if (response.status === 401) throw new SessionEnded();
    var body = await response.json().catch(function () {
      return null;
    });
    return { status: response.status, body: body };
  }

  /* ---------- overview ---------- */

  async function loadOverview() {
    setStatus(t().loading);
    var rounds, clients;
    try {
      var results = await Promise.all([api('/api/tab/rounds'), api('/api/tab/clients?locale=' + state.locale)]);
      if (results[0].status !== 200 || results[1].status !== 200) throw new Error('load');
      rounds = results[0].body;
      clients = results[1].body;
    } catch (error) {
      if (error instanceof SessionEnded) return sessionEnded();
      return showLoadFailed();
    }
    state.dimensionLabels = {};
    clients.dimensions.forEach(function (d) {
      state.dimensionLabels[d.key] = d.label;
    });
    state.roundsById = {};
    state.clients = {};
    state.clientCount = 0;
    document.getElementById('round-list').textContent = '';
    document.getElementById('client-list').textContent = '';

    document.getElementById('signin').hidden = true;
    document.getElementById('content').hidden = false;
    addRounds(rounds);
    addClients(clients);
    setStatus('');
  }

  function addRounds(page) {
    page.rounds.forEach(function (round) {
      state.roundsById[round.id] = round;
    });
    renderRounds(page.rounds);
    state.roundsNext = page.next;
    document.getElementById('rounds-more').hidden = page.next === null;
  }

  function addClients(page) {
    renderClients(page.clients);
    state.clientsNext = page.next;
    document.getElementById('clients-more').hidden = page.next === null;
    document.getElementById('clients').hidden = Object.keys(state.clients).length === 0;
  }

  /** "Show more": the next page; a cursor the server no longer takes (400) starts the overview again. */
  async function loadMore(button, path, add) {
    button.disabled = true;
    setStatus(t().loadingMore);
    try {
      var result = await api(path);
      if (result.status === 400) return loadOverview();
      if (result.status !== 200) throw new Error('more');
      add(result.body);
      setStatus('');
    } catch (error) {
      if (error instanceof SessionEnded) return sessionEnded();
      setStatus(t().moreFailed);
    } finally {
      button.disabled = false;
    }
  }

  document.getElementById('rounds-more').addEventListener('click', function () {
    if (state.roundsNext === null) return;
    loadMore(this, '/api/tab/rounds?cursor=' + encodeURIComponent(state.roundsNext), addRounds);
  });
  document.getElementById('clients-more').addEventListener('click', function () {
    if (state.clientsNext === null) return;
    loadMore(this, '/api/tab/clients?locale=' + state.locale + '&cursor=' + encodeURIComponent(state.clientsNext), addClients);
  });

  async function sessionEnded() {
    forgetSession();
    if (state.teams) {
      var session = await teamsSession();
      if (session) {
        useSession(session);
        return loadOverview();
      }
    }
    showSignin(t().reasonExpired);
  }

  function showSignin(reason) {
    document.getElementById('content').hidden = true;
    document.getElementById('signin').hidden = false;
    document.getElementById('signin-reason').textContent = reason;
    setStatus('');
  }

  function showLoadFailed() {
    var status = document.getElementById('status');
    status.textContent = '';
    status.appendChild(el('span', {}, [t().loadFailed + ' ']));
    var retry = el('button', { type: 'button', class: 'button' }, [t().retry]);
    retry.addEventListener('click', function () {
      loadOverview();
    });
    status.appendChild(retry);
  }

  function setStatus(text) {
    document.getElementById('status').textContent = text;
  }

  /* ---------- rounds list ---------- */

  /** Adds a page of rounds to the list. */
  function renderRounds(rounds) {
    var list = document.getElementById('round-list');
    if (rounds.length === 0 && list.childElementCount === 0) {
      list.appendChild(el('li', { class: 'empty' }, [t().noRounds]));
      return;
    }
    rounds.forEach(function (round) {
      var date = formatDay(round.appointmentDate);
      var statusText = { cancelled: t().statusCancelled, expired: t().statusExpired, complete: t().statusComplete, open: t().statusOpen }[
        round.status
      ];
      var checks = el('ul', { class: 'checks' }, [
        check(round.clientJoined, t().clientJoined),
        check(round.clientCompleted, t().clientCompleted),
        check(round.professionalCompleted, t().professionalCompleted),
        check(round.summarySentAt !== null, [
          t().summarySent(round.summarySentAt && formatDay(round.summarySentAt.slice(0, 10))),
          t().summarySent(null),
        ]),
      ]);
      var footer;
      if (round.revealable && !round.unreadable) {
        // The visible words come first in the accessible name, so voice control ("click View summary") works.
        footer = el('button', { type: 'button', class: 'button' }, [
          t().showSummary(),
          el('span', { class: 'visually-hidden' }, [t().showSummaryContext(round.clientLabel, date)]),
        ]);
        footer.addEventListener('click', function () {
          showSummaryFor(round);
        });
        footer = el('div', { class: 'round-actions' }, [
          footer,
          downloadButton(round, 'fhir', t().downloadFhir, date),
          downloadButton(round, 'csv', t().downloadCsv, date),
        ]);
      } else {
        footer = el('p', { class: 'notice' }, [notRevealableText(round)]);
      }
      list.appendChild(
        el('li', { class: 'round round-' + round.status }, [
          el('div', { class: 'round-head' }, [
            el('h3', { class: 'round-label' }, [round.clientLabel]),
            el('span', { class: 'badge badge-' + round.status }, [statusText]),
          ]),
          el('p', { class: 'round-date' }, [t().appointment(date)]),
          checks,
          footer,
        ]),
      );
    });
  }

  /** The file comes with the session token, so it is fetched and handed to the browser as a blob. */
  function downloadButton(round, format, text, date) {
    var button = el('button', { type: 'button', class: 'button button-secondary' }, [
      text,
      el('span', { class: 'visually-hidden' }, [t().downloadContext(round.clientLabel, date)]),
    ]);
    button.addEventListener('click', async function () {
      try {
        var response = await fetch('/api/tab/rounds/' + encodeURIComponent(round.id) + '/export?format=' + format, {
          headers: { authorization: 'Bearer ' + state.token },
          cache: 'no-store',
          credentials: 'omit',
        });
        if (response.status === 401) return sessionEnded();
        if (response.status !== 200) throw new Error('download');
        var name = /filename="([^"]+)"/.exec(response.headers.get('content-disposition') || '');
        var url = URL.createObjectURL(await response.blob());
        var link = el('a', { href: url, download: name ? name[1] : 'alliance-round.' + format });
        document.body.appendChild(link);
        link.click();
        link.remove();
        setTimeout(function () {
          URL.revokeObjectURL(url);
        }, 10000);
      } catch (error) {
        setStatus(t().downloadFailed);
      }
    });
    return button;
  }

  function check(done, texts) {
    return el('li', { class: done ? 'check done' : 'check todo' }, [
      el('span', { class: 'mark', 'aria-hidden': 'true' }, [done ? '✓' : '○']),
      el('span', {}, [done ? texts[0] : texts[1]]),
    ]);
  }

  function notRevealableText(round) {
    if (round.unreadable) return t().unreadable;
    if (round.status === 'cancelled') return t().cancelled;
    return t().waiting(round.waitingFor, formatMoment(round.deadline));
  }

  /* ---------- per client ---------- */

  function clientKey(label) {
    return label.toLocaleLowerCase('nl');
  }

  /**
   * Adds a page of client series: a client already shown gets the page's (older) points in front
   * of its own and is drawn again in its place; a new client goes at the end.
   */
  function renderClients(series) {
    var container = document.getElementById('client-list');
    series.forEach(function (page) {
      var shown = state.clients[page.key];
      if (shown) {
        var merged = { key: page.key, clientLabel: shown.client.clientLabel, points: page.points.concat(shown.client.points) };
        var article = renderClient(merged, shown.id);
        shown.article.replaceWith(article);
        state.clients[page.key] = { client: merged, id: shown.id, article: article };
        return;
      }
      var id = 'client-' + state.clientCount;
      state.clientCount += 1;
      var fresh = renderClient(page, id);
      container.appendChild(fresh);
      state.clients[page.key] = { client: page, id: id, article: fresh };
    });
  }

  function renderClient(client, id) {
    var summaryBox = el('div', { class: 'summary', id: id + '-summary', tabindex: '-1', 'aria-live': 'polite' }, []);
    var article = el('article', { class: 'panel client', 'aria-labelledby': id + '-title', 'data-client': clientKey(client.clientLabel) }, [
      el('h3', { id: id + '-title' }, [client.clientLabel]),
      // Four empty charts say less than one sentence.
      client.points.some(function (p) {
        return p.revealable;
      })
        ? renderChart(client, id)
        : el('p', { class: 'muted' }, [t().noScoresYet]),
      el('h4', { class: 'summary-heading' }, [t().summaryTitle]),
      summaryBox,
    ]);

    var latest = null;
    for (var i = client.points.length - 1; i >= 0; i -= 1) {
      if (client.points[i].revealable) {
        latest = client.points[i];
        break;
      }
    }
    var newest = client.points[client.points.length - 1];
    var pendingNote = newest && !newest.revealable ? t().newerPending(formatDay(newest.appointmentDate)) : null;
    if (latest)
      loadSummary(
        summaryBox,
        state.roundsById[latest.roundId] || { id: latest.roundId, appointmentDate: latest.appointmentDate },
        pendingNote,
      );
    else
      summaryBox.appendChild(
        el('p', { class: 'notice' }, [
          newest
            ? notRevealableText(state.roundsById[newest.roundId] || { status: 'open', waitingFor: [], deadline: '' })
            : t().summaryNone,
        ]),
      );
    return article;
  }

  function showSummaryFor(round) {
    var article = document.querySelector('[data-client="' + cssEscape(clientKey(round.clientLabel)) + '"]');
    if (!article) return;
    var box = article.querySelector('.summary');
    loadSummary(box, round, null).then(function () {
      box.focus();
    });
  }

  async function loadSummary(box, round, pendingNote) {
    box.textContent = '';
    box.appendChild(el('p', { class: 'muted' }, [t().summaryLoading]));
    var result;
    try {
      result = await api('/api/tab/rounds/' + encodeURIComponent(round.id) + '/summary?locale=' + state.locale);
    } catch (error) {
      if (error instanceof SessionEnded) return sessionEnded();
      result = { status: 0, body: null };
    }
    box.textContent = '';
    if (pendingNote) box.appendChild(el('p', { class: 'notice' }, [pendingNote]));
    if (result.status === 409) {
      box.appendChild(el('p', { class: 'notice' }, [notRevealableText(state.roundsById[round.id] || round)]));
      return;
    }
    if (result.status !== 200 || !result.body) {
      box.appendChild(el('p', { class: 'notice' }, [t().summaryFailed]));
      return;
    }
    renderSummary(box, result.body);
  }

  function renderSummary(box, model) {
    // The title names the client and the appointment day; the status and the change since last time come first.
    box.appendChild(el('p', { class: 'summary-title' }, [el('strong', {}, [model.title])]));
    if (model.status) box.appendChild(el('p', {}, [model.status.text]));
    if (model.changeAlert)
      model.changeAlert.lines.forEach(function (line) {
        box.appendChild(el('p', { class: model.changeAlert.kind === 'drop' ? 'notice' : 'muted' }, [line]));
      });
    box.appendChild(el('p', { class: 'muted' }, [model.note]));
    if (model.reversedNote) box.appendChild(el('p', { class: 'muted' }, [model.reversedNote]));
    if (model.agreement && model.agreement.text) box.appendChild(el('p', {}, [model.agreement.text]));

    box.appendChild(el('h5', {}, [t().talkingPoints]));
    if (model.talkingPoints.length === 0) box.appendChild(el('p', {}, [t().none]));
    else {
      box.appendChild(
        el(
          'ol',
          { class: 'points' },
          model.talkingPoints.map(function (point) {
            var parts = [
              el('p', { class: 'point-title' }, [point.title]),
              el('p', {}, [point.detail]),
              el('p', { class: 'question' }, [el('span', { class: 'question-label' }, [t().question + ': ']), point.question]),
            ];
            if (point.comment) parts.push(el('p', { class: 'comment' }, [t().clientComment + ': “' + point.comment + '”']));
            return el('li', {}, parts);
          }),
        ),
      );
    }

    box.appendChild(el('h5', {}, [t().goingWell]));
    if (model.goingWell.length === 0) box.appendChild(el('p', {}, [t().none]));
    else
      box.appendChild(
        el(
          'ul',
          {},
          model.goingWell.map(function (point) {
            return el(
              'li',
              {},
              point.comment ? [point.text, el('span', { class: 'comment' }, [' — “' + point.comment + '”'])] : [point.text],
            );
          }),
        ),
      );

    if (model.trend.length > 0) {
      box.appendChild(el('h5', {}, [t().trend]));
      if (model.trend.length > 0)
        box.appendChild(
          el(
            'ul',
            {},
            model.trend.map(function (line) {
              return el('li', {}, [line.text]);
            }),
          ),
        );
    }
    if (model.skipped && model.skipped.length > 0) {
      box.appendChild(el('h5', {}, [t().missing]));
      box.appendChild(
        el(
          'ul',
          {},
          model.skipped.map(function (item) {
            return el('li', {}, [(item.perspective === 'client' ? t().skippedByClient : t().skippedByYou) + ': ' + item.text]);
          }),
        ),
      );
    }
    if (model.otherComments.length > 0) {
      box.appendChild(el('h5', {}, [t().otherComments]));
      box.appendChild(
        el(
          'ul',
          {},
          model.otherComments.map(function (c) {
            return el('li', {}, [c.itemText + ': “' + c.comment + '”']);
          }),
        ),
      );
    }
  }

  /* ---------- chart ---------- */

  var CHART = { width: 300, height: 168, left: 30, right: 14, top: 12, bottom: 30 };

  function renderChart(client, id) {
    var figure = el('figure', { class: 'chart' }, []);
    figure.appendChild(
      el('figcaption', {}, [
        el('span', { class: 'chart-title' }, [t().chartTitle(client.clientLabel)]),
        el('span', { class: 'muted' }, [t().chartNote]),
      ]),
    );
    figure.appendChild(legend());
    var grid = el('div', { class: 'multiples' }, []);
    DIMENSIONS.forEach(function (dimension) {
      grid.appendChild(dimensionChart(client.points, dimension));
    });
    figure.appendChild(grid);
    if (
      client.points.filter(function (p) {
        return p.revealable;
      }).length === 1
    )
      figure.appendChild(el('p', { class: 'muted' }, [t().onePoint]));
    if (
      client.points.some(function (p) {
        return !p.revealable;
      })
    )
      figure.appendChild(el('p', { class: 'muted' }, [t().pendingDates]));
    figure.appendChild(dataTable(client, id));
    return figure;
  }

  function legend() {
    function sample(kind, text) {
      var icon = svg('svg', { width: '40', height: '14', viewBox: '0 0 40 14', 'aria-hidden': 'true', focusable: 'false' }, [
        svg('line', { x1: '2', y1: '7', x2: '38', y2: '7', class: 'line line-' + kind }),
        kind === 'client'
          ? svg('circle', { cx: '20', cy: '7', r: '4', class: 'dot dot-client' })
          : svg('rect', { x: '16', y: '3', width: '8', height: '8', class: 'dot dot-professional' }),
      ]);
      return el('li', {}, [icon, el('span', {}, [text])]);
    }
    return el('ul', { class: 'legend' }, [sample('client', t().legendClient), sample('professional', t().legendProfessional)]);
  }

  function dimensionChart(points, dimension) {
    var label = state.dimensionLabels[dimension] || dimension;
    var c = CHART;
    var plotWidth = c.width - c.left - c.right;
    var plotHeight = c.height - c.top - c.bottom;
    var x = function (i) {
      return points.length === 1 ? c.left + plotWidth / 2 : c.left + (plotWidth * i) / (points.length - 1);
    };
    var y = function (v) {
      return c.top + (plotHeight * (5 - Math.min(5, Math.max(1, v)))) / 4;
    };

    var children = [];
    for (var level = 1; level <= 5; level += 1) {
      children.push(
        svg('line', {
          x1: String(c.left),
          x2: String(c.width - c.right),
          y1: String(y(level)),
          y2: String(y(level)),
          class: level === 1 ? 'axis' : 'grid',
        }),
      );
      children.push(svg('text', { x: String(c.left - 8), y: String(y(level) + 4), class: 'tick', 'text-anchor': 'end' }, [String(level)]));
    }
    var every = Math.max(1, Math.ceil(points.length / 4));
    points.forEach(function (point, i) {
      if (i % every !== 0 && i !== points.length - 1) return;
      var anchor = points.length === 1 ? 'middle' : i === 0 ? 'start' : i === points.length - 1 ? 'end' : 'middle';
      children.push(
        svg(
          'text',
          { x: String(x(i)), y: String(c.height - 8), class: point.revealable ? 'tick' : 'tick pending', 'text-anchor': anchor },
          [formatDay(point.appointmentDate, true)],
        ),
      );
    });
    ['professional', 'client'].forEach(function (side) {
      var path = linePath(points, dimension, side, x, y);
      if (path) children.push(svg('path', { d: path, class: 'line line-' + side }));
      points.forEach(function (point, i) {
        var value = point.values[dimension][side];
        if (value === null) return;
        children.push(
          side === 'client'
            ? svg('circle', { cx: String(x(i)), cy: String(y(value)), r: '4.5', class: 'dot dot-client' })
            : svg('rect', { x: String(x(i) - 4), y: String(y(value) - 4), width: '8', height: '8', class: 'dot dot-professional' }),
        );
      });
    });

    var last = lastValues(points, dimension);
    var chart = svg(
      'svg',
      {
        viewBox: '0 0 ' + c.width + ' ' + c.height,
        role: 'img',
        'aria-label': chartDescription(points, dimension, label),
        focusable: 'false',
      },
      children,
    );
    return el('div', { class: 'multiple' }, [
      el('h5', { class: 'multiple-title', 'aria-hidden': 'true' }, [label]),
      el('p', { class: 'latest', 'aria-hidden': 'true' }, [
        last ? t().latest(formatScore(last.client), formatScore(last.professional)) : t().noNumbers,
      ]),
      chart,
    ]);
  }

  /** Segments between rounds that both have a value; a missing round breaks the line rather than bridging it. */
  function linePath(points, dimension, side, x, y) {
    var d = '';
    var drawing = false;
    points.forEach(function (point, i) {
      var value = point.values[dimension][side];
      if (value === null) {
        drawing = false;
        return;
      }
      d += (drawing ? ' L' : ' M') + x(i).toFixed(1) + ' ' + y(value).toFixed(1);
      drawing = true;
    });
    return /L/.test(d) ? d.trim() : '';
  }

  function lastValues(points, dimension) {
    for (var i = points.length - 1; i >= 0; i -= 1) {
      if (points[i].revealable) return points[i].values[dimension];
    }
    return null;
  }

  function chartDescription(points, dimension, label) {
    function describe(side) {
      var parts = points
        .filter(function (p) {
          return p.values[dimension][side] !== null;
        })
        .map(function (p) {
          return formatDay(p.appointmentDate) + ' ' + formatScore(p.values[dimension][side]);
        });
      return parts.length ? parts.join('; ') : t().noNumbers;
    }
    return t().chartAria(label, describe('client'), describe('professional'));
  }

  function dataTable(client, id) {
    var head = [el('th', { scope: 'col' }, [t().tableDate])];
    DIMENSIONS.forEach(function (dimension) {
      var label = state.dimensionLabels[dimension] || dimension;
      head.push(el('th', { scope: 'col' }, [t().tableClient(label)]));
      head.push(el('th', { scope: 'col' }, [t().tablePro(label)]));
    });
    var rows = client.points.map(function (point) {
      var cells = [el('th', { scope: 'row' }, [formatDay(point.appointmentDate)])];
      DIMENSIONS.forEach(function (dimension) {
        ['client', 'professional'].forEach(function (side) {
          var value = point.values[dimension][side];
          cells.push(el('td', {}, [point.revealable ? (value === null ? t().noValue : formatScore(value)) : t().notYet]));
        });
      });
      return el('tr', {}, cells);
    });
    // Hidden through a wrapper: a table ignores the 1 px width and would widen the page.
    return el('div', { class: 'visually-hidden' }, [
      el('table', { id: id + '-table' }, [
        el('caption', {}, [t().tableCaption(client.clientLabel)]),
        el('thead', {}, [el('tr', {}, head)]),
        el('tbody', {}, rows),
      ]),
    ]);
  }

  /* ---------- formatting and DOM helpers ---------- */

  function setLocale(locale) {
    state.locale = locale;
    document.documentElement.lang = locale;
    document.title = t().pageTitle;
    document.querySelectorAll('[data-text]').forEach(function (node) {
      var text = t()[node.getAttribute('data-text')];
      if (typeof text === 'string') node.textContent = text;
    });
  }

  function formatScore(value) {
    if (value === null || value === undefined) return t().noValue;
    return new Intl.NumberFormat(state.locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(value);
  }

  /** A YYYY-MM-DD day as "20 mrt" / "20 Mar"; the year only when it is not this year, and never on a chart axis (no room). */
  function formatDay(day, short) {
    var date = new Date(day + 'T00:00:00Z');
    if (isNaN(date.getTime())) return day;
    var options = { day: 'numeric', month: 'short', timeZone: 'UTC' };
    if (!short && date.getUTCFullYear() !== new Date().getUTCFullYear()) options.year = 'numeric';
    return new Intl.DateTimeFormat(state.locale, options).format(date);
  }

  function formatMoment(iso) {
    var date = new Date(iso);
    if (isNaN(date.getTime())) return iso;
    return new Intl.DateTimeFormat(state.locale, { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' }).format(date);
  }

  function cssEscape(text) {
    return window.CSS && CSS.escape ? CSS.escape(text) : text.replace(/["\\]/g, '\\$&');
  }

  function el(tag, attributes, children) {
    var node = document.createElement(tag);
    Object.keys(attributes).forEach(function (name) {
      node.setAttribute(name, attributes[name]);
    });
    (children || []).forEach(function (child) {
      node.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
    });
    return node;
  }

  function svg(tag, attributes, children) {
    var node = document.createElementNS(SVG_NS, tag);
    Object.keys(attributes).forEach(function (name) {
      node.setAttribute(name, attributes[name]);
    });
    (children || []).forEach(function (child) {
      node.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
    });
    return node;
  }
})();
