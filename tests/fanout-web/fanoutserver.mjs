// The fan-out test server (fanout_test_server.cpp) as a child process, and
// tokens as an application backend would mint them with jsonwebtoken.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import jwt from 'jsonwebtoken';

export const SECRET = 'fanout-web-test-secret-0123456789';

export function token(claims, secret = SECRET) {
  return jwt.sign(claims, secret, { algorithm: 'HS256', noTimestamp: true });
}

// A token for `room` (or the `rooms` array) that expires in ttl_s seconds.
export function tokenFor(room, ttl_s = 600) {
  const exp = Math.floor(Date.now() / 1000) + ttl_s;
  return token(Array.isArray(room) ? { rooms: room, exp } : { room, exp });
}

export class FanoutServer {
  static async start(args = []) {
    const binary = process.env.FANOUT_TEST_SERVER;
    if (!binary) throw new Error('FANOUT_TEST_SERVER is not set');
    const server = new FanoutServer();
    server.child = spawn(binary, ['--secret', SECRET, ...args], {
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    server.waiting = [];
    server.lines = createInterface({ input: server.child.stdout });
    server.lines.on('line', (line) => {
      const message = JSON.parse(line);
      const waiter = server.waiting.shift();
      if (waiter) waiter(message);
    });
    const listening = await server.next();
    server.port = listening.port;
    return server;
  }

  next() {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no answer from fanout-test-server')), 10000);
      this.waiting.push((message) => {
        clearTimeout(timer);
        resolve(message);
      });
    });
  }

  async command(object) {
    const answer = this.next();
    this.child.stdin.write(JSON.stringify(object) + '\n');
    return answer;
  }

  publish(room, utteranceId, final, text, speaker = 'alice') {
    return this.command({ cmd: 'publish', room, utterance_id: utteranceId, final, text, speaker });
  }

  stats() {
    return this.command({ cmd: 'stats' });
  }

  url(path) {
    return `http://127.0.0.1:${this.port}${path}`;
  }

  wsUrl(room, accessToken) {
    const url = new URL(`ws://127.0.0.1:${this.port}/api/realtime/transcribe`);
    url.searchParams.set('room', room);
    if (accessToken !== undefined) url.searchParams.set('access_token', accessToken);
    return url.toString();
  }

  async stop() {
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.stdin.end();
    await exited;
  }
}
