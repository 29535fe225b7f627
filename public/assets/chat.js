/* The web chat page: opens Microsoft Web Chat against the bot's Direct Line (local or Azure). */
(function () {
  'use strict';
  var STORE_KEY = 'allianceMonitor.session';
  var LANG_KEY = 'allianceMonitor.lang';
  // The page's Content-Security-Policy admits <style> elements only with this nonce; Web Chat adds it.
  var styleNonce = (document.currentScript && document.currentScript.nonce) || undefined;
  var statusEl = document.getElementById('status');
  var readAloudButton = document.getElementById('read-aloud');

  /* Every text of the page itself, in both languages (the bot's own texts come from the bot). */
  var PAGE_TEXT = {
    nl: {
      title: 'Alliantiemonitor – chat',
      heading: 'Alliantiemonitor',
      tools: 'Hulpmiddelen',
      readAloud: 'Lees voor',
      readAloudHelp: 'Leest de laatste vraag en de antwoorden hardop voor.',
      chatRegion: 'Chat met de Alliantiemonitor',
      loading: 'De chat wordt geladen…',
      noWebChat: 'De chat kon niet laden. Vernieuw de pagina.',
      cannotOpen: 'De chat kan nu niet openen. Probeer het later nog eens.',
      noSpeech: 'Voorlezen werkt niet in deze browser.',
      nothingToRead: 'Er is nog niets om voor te lezen.',
    },
    en: {
      title: 'Alliance Monitor – chat',
      heading: 'Alliance Monitor',
      tools: 'Tools',
      readAloud: 'Read aloud',
      readAloudHelp: 'Reads the newest question and its answers aloud.',
      chatRegion: 'Chat with the Alliance Monitor',
      loading: 'The chat is loading…',
      noWebChat: 'The chat could not load. Please refresh the page.',
      cannotOpen: 'The chat cannot open right now. Please try again later.',
      noSpeech: 'Reading aloud does not work in this browser.',
      nothingToRead: 'There is nothing to read aloud yet.',
    },
  };

  /*
   * Web Chat's own strings. Its Dutch defaults are formal ("Typ uw bericht", "U zei:"); the bot says
   * "je", so the page does too. English keeps Web Chat's defaults apart from the avatar words.
   */
  var WEB_CHAT_STRINGS = {
    nl: {
      ACTIVITY_YOU_SAID_ALT: 'Jij zei:',
      ACTIVITY_YOU_ATTACHED_ALT: 'Jij hebt bijgevoegd:',
      ACTIVITY_BOT_SAID_ALT: 'De bot zei:',
      TEXT_INPUT_PLACEHOLDER: 'Typ je bericht',
      TEXT_INPUT_ALT: 'Vak voor je bericht',
      ACTIVITY_STATUS_SEND_FAILED_RETRY: 'Versturen lukte niet. [Probeer opnieuw][RETRY].',
      CONNECTIVITY_STATUS_ALT_RECONNECTING: 'De verbinding is even weg. We proberen het opnieuw…',
      CONNECTIVITY_STATUS_ALT_FATAL: 'Er is geen verbinding. Vernieuw de pagina.',
    },
    en: {
      ACTIVITY_BOT_SAID_ALT: 'The bot said:',
      ACTIVITY_YOU_SAID_ALT: 'You said:',
    },
  };

  function linkLang() {
    var match = /[?&]lang=(nl|en)\b/.exec(location.search);
    return match ? match[1] : null;
  }
  function savedLang() {
    try {
      var value = localStorage.getItem(LANG_KEY);
      return value === 'en' || value === 'nl' ? value : null;
    } catch (e) {
      return null;
    }
  }
  function keepLang(value) {
    try {
      localStorage.setItem(LANG_KEY, value);
    } catch (e) {
      /* private mode */
    }
  }

  // The link wins, then the choice from the last visit, then Dutch; the bot follows and may change it.
  var explicitLang = linkLang();
  var lang = explicitLang || savedLang() || 'nl';
  keepLang(lang);

  function text() {
    return PAGE_TEXT[lang];
  }

  function say(message) {
    statusEl.textContent = message;
  }

  /** Puts the page itself in `lang`: <html lang>, title, the read-aloud button and its description. */
  function applyPageLanguage() {
    var t = text();
    document.documentElement.lang = lang;
    document.title = t.title;
    document.querySelector('.top h1').textContent = t.heading;
    document.querySelector('.tools').setAttribute('aria-label', t.tools);
    readAloudButton.setAttribute('aria-label', t.readAloud);
    readAloudButton.querySelector('.tool-label').textContent = t.readAloud;
    document.getElementById('read-aloud-help').textContent = t.readAloudHelp;
    document.getElementById('webchat').setAttribute('aria-label', t.chatRegion);
    if (statusEl.textContent) say(t.loading);
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

  function fetchSession(saved, link) {
    return fetch('/api/directline/token', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      // `link`: the page carries a personal or invitation link, so the bot need not ask who this is.
      body: JSON.stringify({ userToken: saved.userToken, conversationId: saved.conversationId, locale: lang, link: link }),
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
    suggestedActionHeight: 48,
    suggestedActionsStackedLayoutButtonTextWrap: true,
    transcriptVisualKeyboardIndicatorColor: '#B34700',
    // A new card shows from its top (with what the bot said just before it), not from its bottom;
    // switched on once the person first acts (see showNewestAfterLoad).
    autoScrollSnapOnPageOffset: 0,
  };
  var AVATAR_INITIALS = { nl: { bot: 'AM', user: 'Ik' }, en: { bot: 'AM', user: 'Me' } };

  function webChatProps(directLine, store, snapping) {
    return {
      directLine: directLine,
      store: store,
      locale: lang === 'en' ? 'en-US' : 'nl-NL',
      overrideLocalizedStrings: WEB_CHAT_STRINGS[lang],
      styleOptions: Object.assign({}, styleOptions, {
        autoScrollSnapOnPage: snapping,
        botAvatarInitials: AVATAR_INITIALS[lang].bot,
        userAvatarInitials: AVATAR_INITIALS[lang].user,
      }),
      adaptiveCardsHostConfig: hostConfig,
      nonce: styleNonce,
    };
  }

  /** `?transport=polling` forces polling (the bench compares both); otherwise the WebSocket stream. */
  function useWebSocket() {
    if (/[?&]transport=polling\b/.test(location.search)) return false;
    return typeof window.WebSocket === 'function';
  }

  function start() {
    applyPageLanguage();
    if (!window.WebChat) {
      say(text().noWebChat);
      return;
    }
    // A personal link (?pro=) or an invitation link (?join=) is told to the bot once the chat is
    // connected, then removed from the address bar so it is not bookmarked or shared by accident.
    var params = new URLSearchParams(location.search);
    var pendingEvent = params.get('pro')
      ? { name: 'professionalSignIn', value: { secret: params.get('pro'), locale: lang } }
      : params.get('join')
        ? { name: 'joinRound', value: { token: params.get('join'), locale: lang } }
        : explicitLang
          ? { name: 'pageLocale', value: { locale: lang } }
          : null;
    if (params.get('pro') || params.get('join')) {
      params.delete('pro');
      params.delete('join');
      var rest = params.toString();
      history.replaceState(null, '', location.pathname + (rest ? '?' + rest : ''));
    }
    // What the link says (who this is, or only the language), or that the page opens a chat by itself:
    // either way the page tells the bot with an event, which the bot answers instead of greeting. On
    // Azure's Direct Line too, which announces a new conversation before the page can say who is there.
    var link = pendingEvent ? { joinRound: 'join', professionalSignIn: 'pro', pageLocale: 'lang' }[pendingEvent.name] : 'page';
    var saved = loadSaved();
    fetchSession(saved, link)
      .then(function (session) {
        save(session);
        // A new conversation without a link: the page's opening is the bot's cue to greet.
        if (!pendingEvent && session.conversationId !== saved.conversationId) pendingEvent = { name: 'pageLocale', value: {} };
        var options = {
          token: session.token,
          domain: session.domain || location.origin + '/v3/directline',
          webSocket: useWebSocket(),
          // Used only without a WebSocket (directlinejs falls back to polling where there is none).
          pollingInterval: 500,
        };
        if (session.conversationId === saved.conversationId) options.conversationId = session.conversationId;
        var directLine = window.WebChat.createDirectLine(options);
        // directlinejs waits 3-15 s before it reconnects a closed stream (after a server restart, say);
        // a person looking at the screen should not wait that long. Still spread out a little.
        if (typeof directLine.getRetryDelay === 'function') {
          directLine.getRetryDelay = function () {
            return 500 + Math.floor(Math.random() * 1500);
          };
        }
        var rendered = false;
        // A language in the link holds until the person acts (the settings card may change it then).
        var acted = !explicitLang;
        var postedSinceLoad = false;
        var store = window.WebChat.createStore({}, function () {
          return function (next) {
            return function (action) {
              var result = next(action);
              if (action.type === 'DIRECT_LINE/CONNECT_FULFILLED' && pendingEvent) {
                var event = pendingEvent;
                pendingEvent = null;
                store.dispatch({ type: 'WEB_CHAT/SEND_EVENT', payload: { name: event.name, value: event.value } });
              }
              if (action.type === 'DIRECT_LINE/POST_ACTIVITY' && action.payload && action.payload.activity.type === 'message') {
                acted = true;
                if (!postedSinceLoad) {
                  postedSinceLoad = true;
                  // Snapping on from now on (before the reply comes): see showNewestAfterLoad.
                  Promise.resolve().then(render);
                }
                cardsBeforePost = topLevelCards().length;
                // A tap on an older card (scrolled up) is answered at the bottom: go there, so the reply
                // shows from its top instead of arriving out of sight.
                var scroller = document.querySelector('#webchat .webchat__basic-transcript__scrollable');
                if (scroller) scroller.scrollTop = scroller.scrollHeight;
              }
              // The bot has answered (its replies were sent before the post returned): all of them are here.
              if (action.type === 'DIRECT_LINE/POST_ACTIVITY_FULFILLED' || action.type === 'DIRECT_LINE/POST_ACTIVITY_REJECTED')
                endTurnSoon();
              if (action.type === 'DIRECT_LINE/INCOMING_ACTIVITY') {
                var incoming = action.payload && action.payload.activity;
                followBotLanguage(incoming);
                if (!postedSinceLoad && incoming && incoming.from && incoming.from.role === 'bot') showNewestAfterLoad();
                if (cardsBeforePost !== null && incoming && incoming.from && incoming.from.role === 'bot') endTurnSoon();
              }
              return result;
            };
          };
        });
        /*
         * The bot's cards carry the language the person chose (link, settings card, or "taal"): the page
         * follows. Only cards: a plain text reply carries whatever locale the message it answers had.
         */
        /*
         * Each turn's replies show from their top, at once. Web Chat would get there by itself
         * (autoScrollSnapOnPage), but with an animation that costs a tenth of a second or more before the
         * question is in view, and it may count a first reply ("Jouw antwoord: Ja") as seen when the next
         * question comes in a later render, and then scroll that first reply away. So from the person's
         * tap or Enter until the bot has answered, every change of the transcript puts the turn's first
         * new card at the top of the chat, or the newest one if both do not fit on one screen.
         * A (re)loaded page: the history arrives over several renders, and Web Chat may count part of it
         * as seen and stop at the rest. So snapping is off until the person first acts: the chat sticks
         * to its end, and once the history is in, a newest card taller than the screen shows from its top.
         */
        function topLevelCards() {
          return Array.prototype.filter.call(document.querySelectorAll('#webchat .ac-adaptiveCard'), function (card) {
            return !card.parentElement.closest('.ac-adaptiveCard');
          });
        }
        function botCardActivities() {
          return (store.getState().activities || []).filter(function (a) {
            return a.from && a.from.role === 'bot' && a.attachments && a.attachments.length > 0;
          }).length;
        }
        /** Calls `then` once every card the store holds is rendered (at most about a second later). */
        function whenRendered(then) {
          var frames = 0;
          (function check() {
            var cards = topLevelCards();
            if (cards.length >= botCardActivities() || frames++ > 60) return then(cards);
            requestAnimationFrame(check);
          })();
        }
        function scroller() {
          return document.querySelector('#webchat .webchat__basic-transcript__scrollable');
        }
        /** How many cards there were when the person acted; `null` when no turn of theirs is open. */
        var cardsBeforePost = null;
        function placeTurn() {
          var view = scroller();
          var cards = topLevelCards();
          if (cardsBeforePost === null || !view || cards.length <= cardsBeforePost) return;
          var viewTop = view.getBoundingClientRect().top;
          var firstTop = cards[cardsBeforePost].getBoundingClientRect().top - viewTop;
          var newestTop = cards[cards.length - 1].getBoundingClientRect().top - viewTop;
          var anchorTop = newestTop - firstTop < view.clientHeight - 120 ? firstTop : newestTop;
          if (Math.abs(anchorTop - 8) > 1) view.scrollTop += anchorTop - 8;
        }
        new MutationObserver(placeTurn).observe(document.getElementById('webchat'), { childList: true, subtree: true });
        // The turn is over a second after the bot's last reply (with polling, replies come after the post
        // returns), or as soon as the person scrolls or types themselves: never fight their own scrolling.
        var endTimer = null;
        function endTurnSoon() {
          clearTimeout(endTimer);
          endTimer = setTimeout(function () {
            cardsBeforePost = null;
          }, 1000);
        }
        ['wheel', 'touchstart', 'keydown'].forEach(function (name) {
          document.getElementById('webchat').addEventListener(
            name,
            function (event) {
              if (!event.target.closest || !event.target.closest('.webchat__send-box')) cardsBeforePost = null;
            },
            { passive: true },
          );
        });
        var historyTimer = null;
        function showNewestAfterLoad() {
          clearTimeout(historyTimer);
          // The history comes as a burst of activities: act once it is over.
          historyTimer = setTimeout(function () {
            whenRendered(function (cards) {
              var view = scroller();
              var newest = cards[cards.length - 1];
              if (postedSinceLoad || !view || !newest) return;
              var top = newest.getBoundingClientRect().top - view.getBoundingClientRect().top;
              if (top < 0) view.scrollTop += top - 8;
            });
          }, 50);
        }
        var followTimer = null;
        function followBotLanguage(activity) {
          if (!activity || !activity.from || activity.from.role !== 'bot' || typeof activity.locale !== 'string') return;
          if (!activity.attachments || activity.attachments.length === 0 || !acted) return;
          var next = /^en\b/i.test(activity.locale) ? 'en' : 'nl';
          // The history arrives as a burst of old cards after a reload: only the newest one counts.
          clearTimeout(followTimer);
          followTimer = setTimeout(function () {
            if (next === lang) return;
            lang = next;
            keepLang(lang);
            applyPageLanguage();
            // Re-rendering keeps the store and the connection; only the strings change.
            if (rendered) render();
          }, 150);
        }
        function render() {
          rendered = true;
          window.WebChat.renderWebChat(webChatProps(directLine, store, postedSinceLoad), document.getElementById('webchat'));
        }
        window.allianceMonitor = {
          store: store,
          directLine: directLine,
          session: { conversationId: session.conversationId },
          transport: options.webSocket ? 'websocket' : 'polling',
        };
        render();
        say('');
        document.dispatchEvent(new CustomEvent('alliance-monitor:ready'));
      })
      .catch(function () {
        say(text().cannotOpen);
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
      say(text().noSpeech);
      return;
    }
    var activity = latestSpokenActivity();
    if (!activity) {
      say(text().nothingToRead);
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

  readAloudButton.addEventListener('click', readAloud);

  start();
})();
