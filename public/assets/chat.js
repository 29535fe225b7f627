/* The web chat page: opens Microsoft Web Chat against the bot's Direct Line (local or Azure). */
(function () {
  'use strict';
  var STORE_KEY = 'allianceMonitor.session';
  // The page's Content-Security-Policy admits <style> elements only with this nonce; Web Chat adds it.
  var styleNonce = (document.currentScript && document.currentScript.nonce) || undefined;
  var statusEl = document.getElementById('status');
  // Dutch unless the link asks for English; the bot itself follows the user's choice later.
  var lang = /[?&]lang=en\b/.test(location.search) ? 'en' : 'nl';

  function say(text) {
    statusEl.textContent = text;
  }

  function loadSaved() {
    try {
      return JSON.parse(localStorage.getItem(STORE_KEY) || '{}') || {};
    } catch (e) {
      return {};
    }
  }
  function save(session) {
    try {
      localStorage.setItem(STORE_KEY, JSON.stringify({ userToken: session.userToken, conversationId: session.conversationId }));
    } catch (e) {
      /* private mode */
    }
  }

  function fetchSession(saved) {
    return fetch('/api/directline/token', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ userToken: saved.userToken, conversationId: saved.conversationId }),
    }).then(function (response) {
      if (!response.ok) throw new Error('token ' + response.status);
      return response.json();
    });
  }

  var hostConfig = {
    fontFamily: 'system-ui, -apple-system, Segoe UI, Roboto, Arial, sans-serif',
    fontSizes: { small: 15, default: 17, medium: 19, large: 22, extraLarge: 26 },
    actions: {
      actionsOrientation: 'vertical',
      actionAlignment: 'stretch',
      buttonSpacing: 8,
      maxActions: 8,
      showCard: { actionMode: 'inline' },
    },
    spacing: { small: 6, default: 10, medium: 16, large: 22, extraLarge: 30, padding: 14 },
    containerStyles: {
      default: {
        backgroundColor: '#FFFFFF',
        foregroundColors: { default: { default: '#1B1B1B', subtle: '#4A4A4A' }, accent: { default: '#005A70', subtle: '#005A70' } },
      },
      emphasis: { backgroundColor: '#E4ECEF', foregroundColors: { default: { default: '#1B1B1B', subtle: '#3D3D3D' } } },
      accent: { backgroundColor: '#005A70', foregroundColors: { default: { default: '#FFFFFF', subtle: '#FFFFFF' } } },
      // The professional's bars in the summary: a second colour that differs from the client's in hue and lightness.
      good: { backgroundColor: '#A34D00', foregroundColors: { default: { default: '#FFFFFF', subtle: '#FFFFFF' } } },
    },
  };

  var styleOptions = {
    accent: '#005A70',
    backgroundColor: '#FFFFFF',
    bubbleBackground: '#EEF4F6',
    bubbleFromUserBackground: '#005A70',
    bubbleFromUserTextColor: '#FFFFFF',
    bubbleMaxWidth: 640,
    bubbleMinWidth: 200,
    primaryFont: 'system-ui, -apple-system, Segoe UI, Roboto, Arial, sans-serif',
    fontSizeSmall: '80%',
    sendBoxHeight: 56,
    hideUploadButton: true,
    botAvatarInitials: 'AM',
    userAvatarInitials: 'Ik',
    suggestedActionHeight: 48,
    transcriptVisualKeyboardIndicatorColor: '#B34700',
  };

  function start() {
    if (!window.WebChat) {
      say('De chat kon niet laden. Vernieuw de pagina.');
      return;
    }
    var saved = loadSaved();
    fetchSession(saved)
      .then(function (session) {
        save(session);
        var options = {
          token: session.token,
          domain: session.domain || location.origin + '/v3/directline',
          webSocket: false,
          pollingInterval: 500,
        };
        if (session.conversationId === saved.conversationId) options.conversationId = session.conversationId;
        var directLine = window.WebChat.createDirectLine(options);
        // A personal link (?pro=) or an invitation link (?join=) is told to the bot once the chat is
        // connected, then removed from the address bar so it is not bookmarked or shared by accident.
        var params = new URLSearchParams(location.search);
        var pendingEvent = params.get('pro')
          ? { name: 'professionalSignIn', value: { secret: params.get('pro'), locale: lang } }
          : params.get('join')
            ? { name: 'joinRound', value: { token: params.get('join'), locale: lang } }
            : null;
        if (pendingEvent) {
          params.delete('pro');
          params.delete('join');
          var rest = params.toString();
          history.replaceState(null, '', location.pathname + (rest ? '?' + rest : ''));
        }
        var store = window.WebChat.createStore({}, function () {
          return function (next) {
            return function (action) {
              var result = next(action);
              if (action.type === 'DIRECT_LINE/CONNECT_FULFILLED' && pendingEvent) {
                var event = pendingEvent;
                pendingEvent = null;
                store.dispatch({ type: 'WEB_CHAT/SEND_EVENT', payload: { name: event.name, value: event.value } });
              }
              return result;
            };
          };
        });
        window.allianceMonitor = { store: store, directLine: directLine, session: { conversationId: session.conversationId } };
        window.WebChat.renderWebChat(
          {
            directLine: directLine,
            store: store,
            locale: lang === 'en' ? 'en-US' : 'nl-NL',
            styleOptions: styleOptions,
            adaptiveCardsHostConfig: hostConfig,
            nonce: styleNonce,
          },
          document.getElementById('webchat'),
        );
        say('');
        document.dispatchEvent(new CustomEvent('alliance-monitor:ready'));
      })
      .catch(function () {
        say(
          lang === 'en'
            ? 'The chat cannot open right now. Please try again later.'
            : 'De chat kan nu niet openen. Probeer het later nog eens.',
        );
      });
  }

  /*
   * "Lees voor": reads the newest question and its answer options aloud with the browser's own
   * speech synthesis. The bot puts that text in each question's `speak` field.
   */
  function latestSpokenActivity() {
    var app = window.allianceMonitor;
    if (!app) return null;
    var activities = app.store.getState().activities || [];
    for (var i = activities.length - 1; i >= 0; i--) {
      var a = activities[i];
      if (a.from && a.from.role === 'bot' && typeof a.speak === 'string' && a.speak) return a;
    }
    return null;
  }

  function pickVoice(langTag) {
    var voices = window.speechSynthesis.getVoices() || [];
    var prefix = langTag.slice(0, 2).toLowerCase();
    for (var i = 0; i < voices.length; i++) {
      if ((voices[i].lang || '').toLowerCase().indexOf(prefix) === 0) return voices[i];
    }
    return null;
  }

  function readAloud() {
    if (!('speechSynthesis' in window)) {
      say(lang === 'en' ? 'Reading aloud does not work in this browser.' : 'Voorlezen werkt niet in deze browser.');
      return;
    }
    var activity = latestSpokenActivity();
    if (!activity) {
      say(lang === 'en' ? 'There is nothing to read aloud yet.' : 'Er is nog niets om voor te lezen.');
      return;
    }
    var langTag = activity.locale || (lang === 'en' ? 'en-US' : 'nl-NL');
    window.speechSynthesis.cancel();
    var utterance = new SpeechSynthesisUtterance(activity.speak);
    utterance.lang = langTag;
    utterance.rate = 0.9;
    var voice = pickVoice(langTag);
    if (voice) utterance.voice = voice;
    window.speechSynthesis.speak(utterance);
  }

  document.getElementById('read-aloud').addEventListener('click', readAloud);

  start();
})();
