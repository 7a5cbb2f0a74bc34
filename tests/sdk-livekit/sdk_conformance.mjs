// Proves tests/fakes/livekit (livekit-fake) against the official
// livekit-server-sdk: whatever the SDK sends, the fake must accept and answer
// the way a LiveKit server does, its webhooks must pass the SDK's
// WebhookReceiver, and tokens made by the engine must pass the SDK's
// TokenVerifier.
//
// LIVEKIT_FAKE: path of the livekit-fake executable (run.sh sets it).

import {
  EgressClient,
  EgressStatus,
  EncodingOptions,
  RoomServiceClient,
  StreamOutput,
  StreamProtocol,
  TokenVerifier,
  TrackSource,
  TrackType,
  TwirpError,
  WebhookReceiver,
} from 'livekit-server-sdk'
import assert from 'node:assert/strict'
import { execFileSync, spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:http'
import { createServer as createTcpServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, test } from 'node:test'
import { setTimeout as sleep } from 'node:timers/promises'
import { WebSocketServer } from 'ws'
import { startFake, stopFake } from './fake.mjs'
// The client signalling (/rtc) against @livekit/protocol: its own tests.
import './rtc_conformance.mjs'

const API_KEY = 'sdk-conformance-key'
const API_SECRET = 'sdk-conformance-secret-of-some-length'
const STREAM_KEY = 'sk_conformance_7890'

let workDir
let fake
let url
let rooms
let egress
const webhooks = [] // { body, authorization, contentType }
let webhookServer
let pcmServer
const pcmConnections = [] // { headers, messages: [{ binary, data }], closeCode }

function speech(name, text, rate, channels) {
  const raw = join(workDir, `${name}.espeak.wav`)
  const wav = join(workDir, `${name}.wav`)
  execFileSync('espeak-ng', ['-v', 'en', '-w', raw, text])
  execFileSync('sox', [raw, '-r', String(rate), '-c', String(channels), '-b', '16', wav])
  return wav
}

function listen(server) {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server.address().port)))
}

async function freePort() {
  const server = createTcpServer()
  const port = await listen(server)
  await new Promise((resolve) => server.close(resolve))
  return port
}

// From /proc/net/tcp: probing with a connection would use up ffmpeg's single
// -listen connection.
function isListening(port) {
  const local = `0100007F:${port.toString(16).toUpperCase().padStart(4, '0')}`
  return readFileSync('/proc/net/tcp', 'utf8')
    .split('\n')
    .some((line) => {
      const fields = line.trim().split(/\s+/)
      return fields[1] === local && fields[3] === '0A'
    })
}

async function waitFor(what, condition, timeoutMs = 20000) {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await condition()
    if (value) return value
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await sleep(50)
  }
}

async function control(action, body) {
  const response = await fetch(`${url}/_fake/${action}`, {
    method: body === undefined ? 'GET' : 'POST',
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  const json = await response.json()
  assert.equal(response.status, 200, JSON.stringify(json))
  return json
}

async function rejectsWith(promise, status, code) {
  await assert.rejects(promise, (error) => {
    assert.ok(error instanceof TwirpError, `a TwirpError, not ${error}`)
    assert.equal(error.status, status)
    assert.equal(error.code, code)
    return true
  })
}

const statusOf = async (egressId) =>
  (await egress.listEgress({ egressId })).find((info) => info.egressId === egressId)?.status

before(async () => {
  workDir = mkdtempSync(join(tmpdir(), 'livekit-sdk-'))
  const alice = speech('alice', 'Hello, this is Alice in the stand up.', 48000, 2)
  const bob = speech('bob', 'Bob here, nothing to add.', 22050, 1)
  const script = join(workDir, 'script.json')
  writeFileSync(script, JSON.stringify({
    rooms: [
      {
        name: 'standup',
        participants: [
          { identity: 'alice', name: 'Alice', sample: 'alice.wav' },
          { identity: 'bob', name: 'Bob', sample: 'bob.wav', muted: true },
        ],
      },
      { name: 'solo', participants: [{ identity: 'carol', microphone: false }] },
    ],
  }))
  assert.ok(alice && bob)

  webhookServer = createServer((request, response) => {
    let body = ''
    request.setEncoding('utf8')
    request.on('data', (chunk) => { body += chunk })
    request.on('end', () => {
      webhooks.push({
        body,
        authorization: request.headers.authorization,
        contentType: request.headers['content-type'],
      })
      response.end()
    })
  })
  const webhookPort = await listen(webhookServer)

  pcmServer = new WebSocketServer({ host: '127.0.0.1', port: 0 })
  await new Promise((resolve) => pcmServer.on('listening', resolve))
  pcmServer.on('connection', (socket, request) => {
    const connection = { headers: request.headers, url: request.url, messages: [], closeCode: null }
    pcmConnections.push(connection)
    socket.on('message', (data, binary) => connection.messages.push({ binary, data }))
    socket.on('close', (code) => { connection.closeCode = code })
  })

  ;({ child: fake, url } = await startFake([
    '--port', '0', '--api-key', API_KEY, '--api-secret', API_SECRET,
    '--webhook-url', `http://127.0.0.1:${webhookPort}/livekit`,
    '--egress-limit', '2', '--script', script,
  ]))
  rooms = new RoomServiceClient(url, API_KEY, API_SECRET)
  egress = new EgressClient(url, API_KEY, API_SECRET)
})

after(async () => {
  if (fake) await stopFake(fake)
  webhookServer?.close()
  pcmServer?.close()
  if (workDir) rmSync(workDir, { recursive: true, force: true })
})

test('RoomServiceClient lists rooms and participants', async () => {
  const list = await rooms.listRooms()
  assert.deepEqual(list.map((room) => room.name), ['standup', 'solo'])
  const standup = list[0]
  assert.match(standup.sid, /^RM_\w{12}$/)
  assert.equal(standup.numParticipants, 2)
  assert.equal(standup.numPublishers, 2)
  assert.equal(typeof standup.creationTime, 'bigint')
  assert.ok(standup.creationTime > 1600000000n)
  assert.equal(standup.emptyTimeout, 300)
  assert.deepEqual((await rooms.listRooms(['solo'])).map((room) => room.name), ['solo'])

  const participants = await rooms.listParticipants('standup')
  assert.deepEqual(participants.map((p) => p.identity), ['alice', 'bob'])
  const [alice, bob] = participants
  assert.match(alice.sid, /^PA_\w{12}$/)
  assert.equal(alice.name, 'Alice')
  assert.equal(alice.tracks.length, 1)
  assert.match(alice.tracks[0].sid, /^TR_\w{12}$/)
  assert.equal(alice.tracks[0].type, TrackType.AUDIO)
  assert.equal(alice.tracks[0].source, TrackSource.MICROPHONE)
  assert.equal(alice.tracks[0].muted, false)
  assert.equal(bob.tracks[0].muted, true)
  assert.equal((await rooms.listParticipants('solo'))[0].tracks.length, 0)

  const one = await rooms.getParticipant('standup', 'bob')
  assert.equal(one.sid, bob.sid)
})

test('errors reach the SDK as TwirpError with status and code', async () => {
  await rejectsWith(rooms.listParticipants('nowhere'), 404, 'not_found')
  await rejectsWith(rooms.getParticipant('standup', 'nobody'), 404, 'not_found')
  await rejectsWith(new RoomServiceClient(url, API_KEY, 'wrong-secret').listRooms(), 401, 'unauthenticated')
  await rejectsWith(new RoomServiceClient(url, 'unknown-key', API_SECRET).listRooms(), 401, 'unauthenticated')
  await rejectsWith(egress.stopEgress('EG_doesnotexist'), 404, 'not_found')
  // A token without roomRecord may not touch Egress.
  const listOnly = mintToken({ roomList: true })
  await rejectsWith(new EgressClient(url, undefined, undefined, { token: listOnly }).listEgress(), 403,
    'permission_denied')
})

test('EgressClient starts, lists and stops egresses, and meets the limit', async () => {
  const participants = await rooms.listParticipants('standup')
  const aliceTrack = participants[0].tracks[0].sid

  // Room Composite, audio only, to an RTMP listener (ffmpeg).
  const port = await freePort()
  const rtmpUrl = `rtmp://127.0.0.1:${port}/live/${STREAM_KEY}`
  const flv = join(workDir, 'composite.flv')
  const ffmpeg = spawn('timeout', ['-k', '2', '40', 'ffmpeg', '-hide_banner', '-loglevel', 'error', '-y',
    '-listen', '1', '-i', rtmpUrl, '-t', '2', '-c', 'copy', flv], { stdio: 'inherit' })
  const ffmpegDone = new Promise((resolve) => ffmpeg.on('exit', resolve))
  await waitFor('ffmpeg to listen', () => isListening(port))

  const composite = await egress.startRoomCompositeEgress('standup',
    { stream: new StreamOutput({ protocol: StreamProtocol.RTMP, urls: [rtmpUrl] }) },
    { audioOnly: true, encodingOptions: new EncodingOptions({ audioFrequency: 48000 }) })
  assert.match(composite.egressId, /^EG_\w{12}$/)
  assert.equal(composite.roomName, 'standup')
  assert.equal(composite.status, EgressStatus.EGRESS_STARTING)
  assert.equal(composite.request.case, 'roomComposite')
  const request = composite.request.value
  assert.equal(request.audioOnly, true)
  const redacted = `rtmp://127.0.0.1:${port}/live/{sk_...890}`
  assert.deepEqual(request.streamOutputs[0].urls, [redacted])
  assert.equal(request.streamOutputs[0].protocol, StreamProtocol.RTMP)
  assert.equal(request.options.case, 'advanced')
  assert.equal(request.options.value.audioFrequency, 48000)
  assert.equal(composite.streamResults[0].url, redacted)
  // The fake itself keeps the URL it was given.
  const recorded = (await control('egresses')).egresses.find((e) => e.egress_id === composite.egressId)
  assert.equal(recorded.url, rtmpUrl)

  await waitFor('the composite to go active', async () => (await statusOf(composite.egressId)) === EgressStatus.EGRESS_ACTIVE)
  assert.equal(await ffmpegDone, 0)
  const probe = execFileSync('ffprobe', ['-v', 'error', '-show_entries', 'stream=codec_name,sample_rate,channels',
    '-of', 'compact', flv], { encoding: 'utf8' })
  assert.match(probe, /codec_name=aac\|sample_rate=48000\|channels=2/)

  // Track Egress to a WebSocket.
  const wsUrl = `ws://127.0.0.1:${pcmServer.address().port}/track?token=abc`
  const track = await egress.startTrackEgress('standup', wsUrl, aliceTrack)
  assert.equal(track.request.case, 'track')
  assert.equal(track.request.value.trackId, aliceTrack)
  assert.equal(track.request.value.output.case, 'websocketUrl')
  assert.equal(track.request.value.output.value, wsUrl)
  const connection = await waitFor('the track egress to connect', () =>
    pcmConnections.find((c) => c.messages.filter((m) => m.binary).length >= 20))
  assert.equal(connection.headers['content-type'], 'audio/x-raw')
  assert.equal(connection.url, '/track?token=abc')
  for (const message of connection.messages) {
    assert.ok(message.binary)
    assert.equal(message.data.length, 1920) // 10 ms of s16le 48 kHz stereo
  }

  const active = await egress.listEgress({ active: true })
  assert.deepEqual(active.map((info) => info.egressId).sort(), [composite.egressId, track.egressId].sort())
  assert.deepEqual((await egress.listEgress({ roomName: 'solo' })), [])

  // Two running: the plan's limit. The bare StreamOutput form sends the
  // deprecated `stream` field too.
  const refusedPort = await freePort()
  const legacyOutput = new StreamOutput({ protocol: StreamProtocol.RTMP, urls: [`rtmp://127.0.0.1:${refusedPort}/live/key123456`] })
  await assert.rejects(egress.startRoomCompositeEgress('solo', legacyOutput, { audioOnly: true }), (error) => {
    assert.ok(error instanceof TwirpError)
    assert.equal(error.status, 429)
    assert.equal(error.code, 'resource_exhausted')
    assert.equal(error.message, 'concurrent egress sessions limit exceeded')
    return true
  })

  const stopping = await egress.stopEgress(track.egressId)
  assert.equal(stopping.status, EgressStatus.EGRESS_ENDING)
  await waitFor('the WebSocket to close', () => connection.closeCode !== null)
  assert.equal(connection.closeCode, 1000)
  await waitFor('the track egress to complete', async () => (await statusOf(track.egressId)) === EgressStatus.EGRESS_COMPLETE)
  await rejectsWith(egress.stopEgress(track.egressId), 412, 'failed_precondition')

  // A slot is free again; this one cannot reach its RTMP server and fails.
  const failing = await egress.startRoomCompositeEgress('solo', legacyOutput, { audioOnly: true })
  assert.equal(failing.request.value.output.case, 'stream')
  assert.equal(failing.request.value.output.value.urls[0], `rtmp://127.0.0.1:${refusedPort}/live/{key...456}`)
  await waitFor('the refused composite to fail', async () => (await statusOf(failing.egressId)) === EgressStatus.EGRESS_FAILED)
  const [failed] = await egress.listEgress({ egressId: failing.egressId })
  assert.match(failed.error, /refused/i)

  assert.equal((await egress.stopEgress(composite.egressId)).status, EgressStatus.EGRESS_ENDING)
  await waitFor('the composite to complete', async () => (await statusOf(composite.egressId)) === EgressStatus.EGRESS_COMPLETE)
  assert.deepEqual(await egress.listEgress({ active: true }), [])
  const all = await egress.listEgress({ roomName: 'standup' })
  assert.deepEqual(all.map((info) => info.status), [EgressStatus.EGRESS_COMPLETE, EgressStatus.EGRESS_COMPLETE])
  assert.ok(all[0].endedAt >= all[0].startedAt && all[0].startedAt > 0n)
})

test('a snake_case request is accepted as well', async () => {
  const token = mintToken({ roomRecord: true })
  const response = await fetch(`${url}/twirp/livekit.Egress/ListEgress`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
    body: JSON.stringify({ room_name: 'solo' }),
  })
  assert.equal(response.status, 200)
  const body = await response.json()
  assert.equal(body.items.length, 1)
  assert.equal(body.items[0].room_name, 'solo')
  assert.equal(body.items[0].status, 'EGRESS_FAILED')
})

test('WebhookReceiver accepts the fake\'s webhooks and rejects a tampered one', async () => {
  await control('join', { room: 'solo', identity: 'dave', name: 'Dave' })
  await control('leave', { room: 'solo', identity: 'dave' })
  await control('delete_room', { name: 'solo' })
  await waitFor('the webhooks to be delivered', async () => (await control('webhooks')).idle)

  const receiver = new WebhookReceiver(API_KEY, API_SECRET)
  const events = []
  for (const hook of webhooks) {
    assert.equal(hook.contentType, 'application/webhook+json')
    assert.ok(!hook.authorization.startsWith('Bearer'))
    const event = await receiver.receive(hook.body, hook.authorization)
    assert.match(event.id, /^EV_\w{12}$/)
    assert.ok(event.createdAt > 0n)
    events.push(event)
  }
  const names = events.map((event) => event.event)
  for (const name of ['room_started', 'participant_joined', 'track_published', 'egress_started',
    'egress_updated', 'egress_ended', 'track_unpublished', 'participant_left', 'room_finished'])
    assert.ok(names.includes(name), `${name} in ${names}`)
  // Dave comes with his microphone and goes, then deleting the room makes
  // Carol leave before it closes.
  assert.deepEqual(names.slice(-6), ['participant_joined', 'track_published', 'track_unpublished',
    'participant_left', 'participant_left', 'room_finished'])
  const unpublished = events.at(-4)
  assert.equal(unpublished.participant.identity, 'dave')
  assert.equal(unpublished.track.sid, events.at(-5).track.sid)
  const joined = events.find((event) => event.event === 'participant_joined' && event.participant.identity === 'dave')
  assert.equal(joined.room.name, 'solo')
  const ended = events.filter((event) => event.event === 'egress_ended')
  assert.deepEqual(ended.map((event) => event.egressInfo.status).sort(),
    [EgressStatus.EGRESS_COMPLETE, EgressStatus.EGRESS_COMPLETE, EgressStatus.EGRESS_FAILED].sort())
  const published = events.find((event) => event.event === 'track_published')
  assert.equal(published.track.source, TrackSource.MICROPHONE)
  assert.match(published.participant.identity, /alice|bob/)

  const [first] = webhooks
  await assert.rejects(receiver.receive(first.body.replace('"event"', ' "event"'), first.authorization), /sha256/)
  await assert.rejects(new WebhookReceiver(API_KEY, 'another-secret').receive(first.body, first.authorization))
})

test('a token made by the engine passes the SDK\'s TokenVerifier', async () => {
  const token = mintToken({ roomRecord: true, roomAdmin: true, room: 'standup' }, 'roomscribe')
  const claims = await new TokenVerifier(API_KEY, API_SECRET).verify(token)
  assert.equal(claims.iss, API_KEY)
  assert.equal(claims.sub, 'roomscribe')
  assert.deepEqual(claims.video, { roomRecord: true, roomAdmin: true, room: 'standup' })
  assert.equal(claims.exp - claims.nbf, 600)
  await assert.rejects(new TokenVerifier(API_KEY, 'another-secret').verify(token))
  await assert.rejects(new TokenVerifier('another-key', API_SECRET).verify(token))
  // And the fake, which checks with the engine's verifyToken, accepts it.
  const client = new RoomServiceClient(url, undefined, undefined, { token })
  assert.equal((await client.listParticipants('standup')).length, 2)
})

function mintToken(grant, identity) {
  const args = ['--mint-token', '--api-key', API_KEY, '--api-secret', API_SECRET, '--grant', JSON.stringify(grant)]
  if (identity) args.push('--identity', identity)
  return execFileSync(process.env.LIVEKIT_FAKE, args, { encoding: 'utf8' }).trim()
}
