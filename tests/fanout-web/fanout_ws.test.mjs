// The live fan-out through the npm `ws` client, with tokens minted by
// jsonwebtoken as an application backend would: every refusal as an HTTP
// answer before the upgrade, both ways to pass the token, replay on connect,
// live segments, and /health and /metrics read by independent parsers.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import WebSocket from 'ws';
import { FanoutServer, SECRET, token, tokenFor } from './fanoutserver.mjs';

let server;

before(async () => {
  server = await FanoutServer.start(['--replay', '2']);
});

after(async () => {
  await server.stop();
});

// Opens a client; resolves with it once open, or with the HTTP refusal.
function connect(url, options = {}) {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, options);
    const messages = [];
    socket.on('message', (data) => messages.push(JSON.parse(data.toString())));
    socket.once('open', () => resolve({ socket, messages }));
    socket.once('unexpected-response', (request, response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk) => (body += chunk));
      response.on('end', () =>
        resolve({ refused: { status: response.statusCode, headers: response.headers, body } }),
      );
    });
    socket.once('error', (error) => {
      if (!socket.listenerCount('unexpected-response')) reject(error);
    });
  });
}

async function waitFor(condition, what) {
  const deadline = Date.now() + 10000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

function closed(socket) {
  return new Promise((resolve) => socket.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));
}

const now = () => Math.floor(Date.now() / 1000);

const refusals = [
  ['no token', () => server.wsUrl('standup'), {}, 401, 'missing access token'],
  ['wrong room', () => server.wsUrl('standup', tokenFor('retro')), {}, 403, 'token does not grant this room'],
  ['expired token', () => server.wsUrl('standup', token({ room: 'standup', exp: now() - 60 })), {}, 401,
    'invalid token: token expired'],
  ['bad signature', () => server.wsUrl('standup', token({ room: 'standup', exp: now() + 60 }, 'another-secret')), {},
    401, 'invalid token: signature does not match'],
  ['no exp claim', () => server.wsUrl('standup', token({ room: 'standup' })), {}, 401,
    'invalid token: token has no exp claim'],
  ['alg none', () => server.wsUrl('standup', jwtNone({ room: 'standup', exp: now() + 60 })), {}, 401,
    'invalid token: algorithm is not HS256'],
  ['wrong room in header', () => server.wsUrl('standup'),
    { headers: { Authorization: `Bearer ${tokenFor(['a', 'b'])}` } }, 403, 'token does not grant this room'],
  ['token twice', () => server.wsUrl('standup', tokenFor('standup')),
    { headers: { Authorization: `Bearer ${tokenFor('standup')}` } }, 400,
    'give the access token once: header or access_token'],
];

// An unsigned token, as an attacker would send it.
function jwtNone(claims) {
  const part = (object) => Buffer.from(JSON.stringify(object)).toString('base64url');
  return `${part({ alg: 'none', typ: 'JWT' })}.${part(claims)}.`;
}

for (const [name, url, options, status, reason] of refusals) {
  test(`refuses: ${name}`, async () => {
    const result = await connect(url(), options);
    assert.ok(result.refused, 'the upgrade must be refused');
    assert.equal(result.refused.status, status);
    assert.equal(result.refused.body, `${reason}\n`);
    if (status === 401) assert.match(result.refused.headers['www-authenticate'], /^Bearer realm="roomscribe"/);
  });
}

test('the token secret never shows in an answer', async () => {
  const result = await connect(server.wsUrl('standup', token({ room: 'standup', exp: now() - 60 })));
  assert.ok(!result.refused.body.includes(SECRET));
});

test('accepts the token as a Bearer header and as access_token', async () => {
  const viaHeader = await connect(server.wsUrl('header-room'), {
    headers: { Authorization: `Bearer ${tokenFor('header-room')}` },
  });
  const viaQuery = await connect(server.wsUrl('header-room', tokenFor(['x', 'header-room'])));
  assert.ok(viaHeader.socket && viaQuery.socket);
  await server.publish('header-room', 'h1', true, 'both get this');
  await waitFor(() => viaHeader.messages.length === 1 && viaQuery.messages.length === 1, 'both clients');
  for (const { messages } of [viaHeader, viaQuery]) {
    assert.equal(messages[0].type, 'final');
    assert.equal(messages[0].segment.text, 'both get this');
  }
  viaHeader.socket.close(1000);
  viaQuery.socket.close(1000);
  const [a, b] = await Promise.all([closed(viaHeader.socket), closed(viaQuery.socket)]);
  assert.equal(a.code, 1000);
  assert.equal(b.code, 1000);
});

test('replays the last finals, then streams partials and finals', async () => {
  for (const [id, text] of [['u1', 'first'], ['u2', 'second'], ['u3', 'third']])
    await server.publish('replay-room', id, true, text);
  await server.publish('replay-room', 'u4', false, 'partial before');
  const client = await connect(server.wsUrl('replay-room', tokenFor('replay-room')));
  await waitFor(() => client.messages.length === 2, 'the replay');
  assert.deepEqual(client.messages.map((m) => [m.type, m.replay, m.segment.text]), [
    ['final', true, 'second'],
    ['final', true, 'third'],
  ]);

  await server.publish('replay-room', 'u5', false, 'hello wor');
  await server.publish('other-room', 'o1', true, 'not for this client');
  await server.publish('replay-room', 'u5', true, 'hello world');
  await waitFor(() => client.messages.length === 4, 'the live segments');
  const [partial, final] = client.messages.slice(2);
  assert.equal(partial.type, 'partial');
  assert.equal(partial.replay, undefined);
  assert.equal(partial.segment.is_final, false);
  assert.equal(final.type, 'final');
  assert.deepEqual(Object.keys(final.segment).sort(), [
    'end_ms', 'is_final', 'language', 'room', 'session', 'speaker', 'start_ms', 'stream', 'text',
    'utterance_id', 'wall_clock', 'words',
  ]);
  assert.equal(final.segment.room, 'replay-room');
  assert.equal(final.segment.utterance_id, 'u5');
  assert.equal(final.segment.text, 'hello world');
  assert.deepEqual(final.segment.words.map((w) => w.word), ['hello', 'world']);
  assert.ok(!Number.isNaN(Date.parse(final.segment.wall_clock)));
  client.socket.close();
});

test('answers pings', async () => {
  const client = await connect(server.wsUrl('ping-room', tokenFor('ping-room')));
  const pong = new Promise((resolve) => client.socket.once('pong', resolve));
  client.socket.ping(Buffer.from('are you there'));
  assert.equal((await pong).toString(), 'are you there');
  client.socket.close();
});

test('closes a client whose token expires', async () => {
  const client = await connect(server.wsUrl('short', token({ room: 'short', exp: now() + 1 })));
  const { code, reason } = await closed(client.socket);
  assert.equal(code, 1008);
  assert.equal(reason, 'token expired');
});

test('/health answers JSON', async () => {
  const response = await fetch(server.url('/health'));
  assert.equal(response.status, 200);
  assert.equal(response.headers.get('content-type'), 'application/json');
  const body = await response.json();
  assert.equal(body.state, 'running');
  assert.equal(typeof body.fanout.clients, 'number');
});

test('/metrics is Prometheus text that a parser reads', async () => {
  const client = await connect(server.wsUrl('metrics-room', tokenFor('metrics-room')));
  const response = await fetch(server.url('/metrics'));
  assert.equal(response.status, 200);
  assert.equal(response.headers.get('content-type'), 'text/plain; version=0.0.4; charset=utf-8');
  const families = parsePrometheusTextFormat(await response.text());
  const family = (name) => families.find((f) => f.name === name);
  assert.equal(family('roomscribe_test_up').metrics[0].value, '1');
  assert.equal(family('roomscribe_fanout_clients').type, 'GAUGE');
  assert.ok(Number(family('roomscribe_fanout_clients').metrics[0].value) >= 1);
  const refused = family('roomscribe_fanout_refused_total');
  assert.equal(refused.type, 'COUNTER');
  assert.ok(Number(refused.metrics.find((m) => m.labels.reason === 'unauthorized').value) >= 5);
  const latency = family('roomscribe_fanout_delivery_latency_seconds');
  assert.equal(latency.type, 'SUMMARY');
  assert.deepEqual(Object.keys(latency.metrics[0].quantiles), ['0.5', '0.9', '0.99']);
  assert.ok(Number(latency.metrics[0].count) > 0);
  client.socket.close();
});
