/* global document, window, fetch, sessionStorage, URLSearchParams */
// The widget's chat, on the Frontdesk origin: it talks to spec C's widget session API with the
// site's widget token and tells the embedding page (embed.js) its colours and when to close.
(function () {
  var token = new URLSearchParams(window.location.hash.slice(1)).get('token') || '';
  var storageKey = 'frontdesk:session:' + token;
  var sessionId = null;
  var log = document.getElementById('log');
  var status = document.getElementById('status');
  var form = document.getElementById('form');
  var input = document.getElementById('message');

  function tellHost(message) {
    // Nothing secret is said: the page learns the public colours and title, or that it should close.
    if (window.parent !== window) window.parent.postMessage(message, '*');
  }

  function api(method, path, body) {
    return fetch(path, {
      method: method,
      headers: Object.assign({ 'X-Widget-Token': token }, body ? { 'Content-Type': 'application/json' } : {}),
      body: body ? JSON.stringify(body) : undefined,
    }).then(function (res) {
      return res.json().then(function (json) {
        if (!res.ok) throw Object.assign(new Error('HTTP ' + res.status), { status: res.status });
        return json;
      });
    });
  }

  function say(text, who) {
    var p = document.createElement('p');
    p.className = 'msg ' + who;
    p.textContent = text;
    var speaker = document.createElement('span');
    speaker.className = 'visually-hidden';
    speaker.textContent = who === 'me' ? 'You: ' : 'Assistant: ';
    p.prepend(speaker);
    log.appendChild(p);
    log.scrollTop = log.scrollHeight;
  }

  // Black or white text, whichever reads better on the tenant's colour.
  function textOn(hex) {
    var h = hex.replace('#', '');
    if (h.length < 6) h = h.replace(/./g, '$&$&');
    var rgb = [0, 2, 4].map(function (i) {
      var c = parseInt(h.substr(i, 2), 16) / 255;
      return c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
    });
    return 0.2126 * rgb[0] + 0.7152 * rgb[1] + 0.0722 * rgb[2] > 0.18 ? '#111' : '#fff';
  }

  function applyConfig(config) {
    var text = textOn(config.color);
    document.documentElement.style.setProperty('--fd-color', config.color);
    document.documentElement.style.setProperty('--fd-text', text);
    document.getElementById('title').textContent = config.title;
    document.title = 'Chat with ' + config.title;
    say(config.greeting, 'bot');
    tellHost({ type: 'frontdesk:config', color: config.color, text: text, title: config.title });
  }

  // The session outlives a page change of the host site in sessionStorage, where the browser lets a
  // framed page keep it; browsers that block third-party storage throw, and the session lives in memory.
  function remember(id) {
    sessionId = id;
    try {
      if (id) sessionStorage.setItem(storageKey, id);
      else sessionStorage.removeItem(storageKey);
    } catch {
      // Blocked: memory only.
    }
  }
  try {
    sessionId = sessionStorage.getItem(storageKey);
  } catch {
    // Blocked: a new session on the first message.
  }

  function session() {
    if (sessionId) return Promise.resolve(sessionId);
    return api('POST', '/v1/widget/session/start').then(function (started) {
      remember(started.session_id);
      return started.session_id;
    });
  }

  function turn(text, retried) {
    return session().then(function (id) {
      return api('POST', '/v1/widget/session/' + encodeURIComponent(id) + '/input', { text: text }).catch(
        function (error) {
          // An ended or expired session: start a new one once.
          if (retried || (error.status !== 404 && error.status !== 410)) throw error;
          remember(null);
          return turn(text, true);
        },
      );
    });
  }

  form.addEventListener('submit', function (event) {
    event.preventDefault();
    var text = input.value.trim();
    if (!text) return;
    input.value = '';
    say(text, 'me');
    status.textContent = 'Sending…';
    turn(text, false)
      .then(function (answer) {
        status.textContent = '';
        say(answer.reply_text, 'bot');
      })
      .catch(function () {
        status.textContent = 'Sorry, the message could not be sent. Please try again.';
      });
  });

  document.getElementById('end').addEventListener('click', function () {
    var id = sessionId;
    remember(null);
    if (id) api('POST', '/v1/widget/session/' + encodeURIComponent(id) + '/end').catch(function () {});
    say('Conversation ended. Send a message to start a new one.', 'bot');
    input.focus();
  });
  document.getElementById('close').addEventListener('click', function () {
    tellHost({ type: 'frontdesk:close' });
  });
  document.addEventListener('keydown', function (event) {
    if (event.key === 'Escape') tellHost({ type: 'frontdesk:close' });
  });
  window.addEventListener('message', function (event) {
    if (event.source === window.parent && event.data && event.data.type === 'frontdesk:focus') input.focus();
  });

  api('GET', '/v1/widget/config')
    .then(applyConfig)
    .catch(function () {
      status.textContent = 'The chat is unavailable right now.';
    });
})();
