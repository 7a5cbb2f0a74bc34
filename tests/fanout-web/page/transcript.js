// Connects to the live fan-out with the token in the query (a browser cannot
// set headers on a WebSocket) and keeps one line per utterance: a partial is
// replaced by the next partial, then by its final.
'use strict';

const params = new URLSearchParams(location.search);
const room = params.get('room');
const list = document.getElementById('segments');
const status = document.getElementById('status');
document.getElementById('room').textContent = room;

const url = new URL('/api/realtime/transcribe', params.get('server'));
url.searchParams.set('room', room);
url.searchParams.set('access_token', params.get('token'));

function setState(state, text) {
  document.body.dataset.state = state;
  status.textContent = text;
}

function show(message) {
  const segment = message.segment;
  const key = `${segment.stream}/${segment.utterance_id}`;
  let item = list.querySelector(`li[data-key="${CSS.escape(key)}"]`);
  if (!item) {
    item = document.createElement('li');
    item.dataset.key = key;
    item.dataset.utterance = segment.utterance_id;
    list.appendChild(item);
  }
  item.className = message.replay ? `${message.type} replay` : message.type;
  const speaker = document.createElement('span');
  speaker.className = 'speaker';
  speaker.textContent = segment.speaker || segment.stream;
  const text = document.createElement('span');
  text.className = 'text';
  text.textContent = segment.text;
  item.replaceChildren(speaker, text);
}

const socket = new WebSocket(url);
socket.addEventListener('open', () => setState('open', 'live'));
socket.addEventListener('message', (event) => show(JSON.parse(event.data)));
socket.addEventListener('close', (event) => {
  document.body.dataset.closeCode = String(event.code);
  setState('closed', `closed (${event.code}) ${event.reason}`);
});
