// The live fan-out as a browser sees it: page/index.html, served over HTTP,
// connects from headless Chromium with ?access_token= and shows the room's
// segments. Chromium is driven over the DevTools protocol (its --dump-dom
// with a virtual time budget does not wait for WebSocket traffic).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';
import WebSocket from 'ws';
import { FanoutServer, token, tokenFor } from './fanoutserver.mjs';

const PAGE_DIR = fileURLToPath(new URL('page', import.meta.url));
const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8' };

let fanout;
let pages;
let chromium;
let profile;
let devtools;

function servePages() {
  return new Promise((resolve) => {
    const server = createServer((request, response) => {
      const name = new URL(request.url, 'http://x').pathname.replace(/^\/+/, '') || 'index.html';
      if (!/^[a-z]+\.(html|js)$/.test(name)) {
        response.writeHead(404).end();
        return;
      }
      response.writeHead(200, { 'Content-Type': TYPES[extname(name)] });
      response.end(readFileSync(join(PAGE_DIR, name)));
    });
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

// Headless Chromium with its DevTools endpoint on a free port.
async function launchChromium() {
  profile = mkdtempSync(join(tmpdir(), 'roomscribe-chromium-'));
  const child = spawn(
    'chromium',
    ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--no-default-browser-check',
      `--user-data-dir=${profile}`, '--remote-debugging-port=0', 'about:blank'],
    // Its own process group, so that the renderers go with it.
    { stdio: ['ignore', 'ignore', 'pipe'], detached: true },
  );
  let log = '';
  const endpoint = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`chromium did not start:\n${log}`)), 30000);
    child.stderr.on('data', (chunk) => {
      log += chunk;
      const match = /DevTools listening on (ws:\/\/\S+)/.exec(log);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.once('exit', (code) => reject(new Error(`chromium exited (${code}):\n${log}`)));
  });
  return { child, port: new URL(endpoint).port };
}

// One page target over the DevTools protocol.
class DevTools {
  static async attach(port) {
    const targets = await (await fetch(`http://127.0.0.1:${port}/json/list`)).json();
    const page = targets.find((target) => target.type === 'page');
    const devtools = new DevTools();
    devtools.socket = new WebSocket(page.webSocketDebuggerUrl);
    devtools.nextId = 0;
    devtools.pending = new Map();
    devtools.eventWaiters = [];
    devtools.socket.on('message', (data) => {
      const message = JSON.parse(data.toString());
      const resolve = devtools.pending.get(message.id);
      if (resolve) {
        devtools.pending.delete(message.id);
        resolve(message);
      } else if (message.method) {
        devtools.eventWaiters = devtools.eventWaiters.filter((waiter) => !waiter(message));
      }
    });
    await new Promise((resolve, reject) => {
      devtools.socket.once('open', resolve);
      devtools.socket.once('error', reject);
    });
    return devtools;
  }

  async call(method, params = {}) {
    const id = ++this.nextId;
    const answer = new Promise((resolve) => this.pending.set(id, resolve));
    this.socket.send(JSON.stringify({ id, method, params }));
    const message = await answer;
    if (message.error) throw new Error(`${method}: ${message.error.message}`);
    return message.result;
  }

  // Resolves on the next event `method`.
  nextEvent(method) {
    return new Promise((resolve) =>
      this.eventWaiters.push((message) => message.method === method && (resolve(message), true)),
    );
  }

  async evaluate(expression) {
    const result = await this.call('Runtime.evaluate', { expression, returnByValue: true });
    if (result.exceptionDetails) throw new Error(result.exceptionDetails.text);
    return result.result.value;
  }

  async waitFor(expression, what) {
    const deadline = Date.now() + 15000;
    for (;;) {
      if (await this.evaluate(expression)) return;
      if (Date.now() > deadline) {
        const body = await this.evaluate('document.body.outerHTML');
        throw new Error(`timed out waiting for ${what}; the page:\n${body}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

// What the page shows: one entry per line of the transcript.
function shown() {
  return devtools.evaluate(`[...document.querySelectorAll('#segments li')].map((li) => ({
    utterance: li.dataset.utterance, kind: li.className,
    speaker: li.querySelector('.speaker').textContent, text: li.querySelector('.text').textContent }))`);
}

async function open(room, accessToken) {
  const url = new URL(`http://127.0.0.1:${pages.address().port}/index.html`);
  url.searchParams.set('server', `ws://127.0.0.1:${fanout.port}`);
  url.searchParams.set('room', room);
  url.searchParams.set('token', accessToken);
  // Waiting for the new document's load event: before it, the old page answers.
  const loaded = devtools.nextEvent('Page.loadEventFired');
  await devtools.call('Page.navigate', { url: url.toString() });
  await loaded;
}

before(async () => {
  fanout = await FanoutServer.start(['--replay', '5']);
  pages = await servePages();
  chromium = await launchChromium();
  devtools = await DevTools.attach(chromium.port);
  await devtools.call('Page.enable');
});

after(async () => {
  try {
    devtools?.socket.close();
    pages?.close();
    await fanout?.stop();
  } finally {
    if (chromium && chromium.child.exitCode === null) {
      const exited = new Promise((resolve) => chromium.child.once('exit', resolve));
      process.kill(-chromium.child.pid, 'SIGTERM');
      await exited;
    }
    if (profile) rmSync(profile, { recursive: true, force: true, maxRetries: 20, retryDelay: 100 });
  }
});

test('the page shows the replay, then live partials replaced by their finals', async () => {
  await fanout.publish('browser room', 'u1', true, 'Good morning everyone.', 'alice');
  await fanout.publish('browser room', 'u2', true, 'Morning!', 'bob');
  await open('browser room', tokenFor('browser room'));
  await devtools.waitFor(`document.body.dataset.state === 'open'`, 'the socket to open');
  await devtools.waitFor(`document.querySelectorAll('#segments li').length === 2`, 'the replay');
  assert.deepEqual(await shown(), [
    { utterance: 'u1', kind: 'final replay', speaker: 'alice', text: 'Good morning everyone.' },
    { utterance: 'u2', kind: 'final replay', speaker: 'bob', text: 'Morning!' },
  ]);

  await fanout.publish('browser room', 'u3', false, 'Let us look at', 'alice');
  await fanout.publish('another room', 'x1', true, 'Not shown here.', 'carol');
  await devtools.waitFor(`document.querySelector('li[data-utterance="u3"]') !== null`, 'the partial');
  assert.equal((await shown())[2].kind, 'partial');
  await fanout.publish('browser room', 'u3', true, 'Let us look at the release schedule.', 'alice');
  await fanout.publish('browser room', 'u4', false, 'Sounds', 'bob');
  await devtools.waitFor(
    `document.querySelector('li[data-utterance="u4"]') !== null &&
     document.querySelector('li[data-utterance="u3"]').className === 'final'`,
    'the final and the next partial',
  );
  assert.deepEqual(await shown(), [
    { utterance: 'u1', kind: 'final replay', speaker: 'alice', text: 'Good morning everyone.' },
    { utterance: 'u2', kind: 'final replay', speaker: 'bob', text: 'Morning!' },
    { utterance: 'u3', kind: 'final', speaker: 'alice', text: 'Let us look at the release schedule.' },
    { utterance: 'u4', kind: 'partial', speaker: 'bob', text: 'Sounds' },
  ]);
  assert.equal((await fanout.stats()).clients, 1);
});

test('a browser with an expired token is refused before the upgrade', async () => {
  const before = await fanout.stats();
  const expired = token({ room: 'browser room', exp: Math.floor(Date.now() / 1000) - 60 });
  await open('browser room', expired);
  await devtools.waitFor(`document.body.dataset.state === 'closed'`, 'the socket to close');
  // A browser only learns that the handshake failed (1006); the server refused it with a 401.
  assert.equal(await devtools.evaluate('document.body.dataset.closeCode'), '1006');
  assert.equal(await devtools.evaluate(`document.querySelectorAll('#segments li').length`), 0);
  const stats = await fanout.stats();
  assert.equal(stats.refused_unauthorized, before.refused_unauthorized + 1);
});

test('a browser asking for a room its token does not grant is refused', async () => {
  const before = await fanout.stats();
  await open('browser room', tokenFor('another room'));
  await devtools.waitFor(`document.body.dataset.state === 'closed'`, 'the socket to close');
  assert.equal((await fanout.stats()).refused_forbidden, before.refused_forbidden + 1);
});
