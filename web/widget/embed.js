/* global document, window, URL */
// Frontdesk web widget loader: one script tag on any site. The chat runs in an iframe on the
// Frontdesk origin (so the API needs no CORS) inside a shadow root (so the host's CSS cannot reach it).
(function () {
  var script = document.currentScript;
  var token = script && script.getAttribute('data-token');
  if (!token || document.getElementById('frontdesk-widget')) return;
  var origin = new URL(script.src).origin;

  var host = document.createElement('div');
  host.id = 'frontdesk-widget';
  var root = host.attachShadow({ mode: 'open' });
  root.innerHTML =
    '<style>' +
    ':host{all:initial;position:fixed;right:20px;bottom:20px;z-index:2147483000;font:16px system-ui,sans-serif}' +
    'button{width:56px;height:56px;border:0;border-radius:50%;background:var(--fd-color,#2563eb);color:var(--fd-text,#fff);' +
    'cursor:pointer;box-shadow:0 4px 14px rgba(0,0,0,.25);display:grid;place-items:center}' +
    'button:focus-visible{outline:3px solid #111;outline-offset:3px}' +
    'svg{width:28px;height:28px;fill:currentColor}' +
    '#panel{position:absolute;right:0;bottom:72px;width:min(370px,calc(100vw - 40px));height:min(560px,calc(100vh - 110px));' +
    'border-radius:12px;overflow:hidden;box-shadow:0 8px 30px rgba(0,0,0,.3);background:#fff}' +
    '#panel[hidden]{display:none}iframe{border:0;width:100%;height:100%}' +
    '</style>' +
    '<div id="panel" role="dialog" aria-label="Chat" hidden></div>' +
    '<button type="button" aria-expanded="false" aria-controls="panel" aria-label="Open chat">' +
    '<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H8l-4 4V6a2 2 0 0 1 2-2z"/></svg>' +
    '</button>';
  var name = 'chat';
  var panel = root.getElementById('panel');
  var bubble = root.querySelector('button');
  var frame = document.createElement('iframe');
  frame.title = 'Chat';
  // The token travels in the fragment: it never reaches a server log or a Referer header.
  frame.src = origin + '/widget/chat.html#token=' + encodeURIComponent(token);
  panel.appendChild(frame);

  function send(message) {
    frame.contentWindow.postMessage(message, origin);
  }
  function setOpen(open) {
    panel.hidden = !open;
    bubble.setAttribute('aria-expanded', String(open));
    bubble.setAttribute('aria-label', (open ? 'Close ' : 'Open ') + name);
    if (open) {
      frame.focus();
      send({ type: 'frontdesk:focus' });
    } else bubble.focus();
  }

  bubble.addEventListener('click', function () {
    setOpen(panel.hidden);
  });
  root.addEventListener('keydown', function (event) {
    if (event.key === 'Escape' && !panel.hidden) setOpen(false);
  });
  window.addEventListener('message', function (event) {
    if (event.origin !== origin || event.source !== frame.contentWindow || !event.data) return;
    if (event.data.type === 'frontdesk:close') setOpen(false);
    if (event.data.type === 'frontdesk:config') {
      host.style.setProperty('--fd-color', event.data.color);
      host.style.setProperty('--fd-text', event.data.text);
      name = 'chat with ' + event.data.title;
      bubble.setAttribute('aria-label', (panel.hidden ? 'Open ' : 'Close ') + name);
      panel.setAttribute('aria-label', 'Chat with ' + event.data.title);
    }
  });
  (document.body || document.documentElement).appendChild(host);
})();
