// Proves the fake's client signalling (/rtc) against the official
// @livekit/protocol classes and livekit-server-sdk's AccessToken: every frame
// the fake sends decodes as a SignalResponse with what LiveKit sends a hidden
// subscriber, the fake understands SignalRequests as the official encoder
// writes them, and it enforces the order and the grants.
//
// LIVEKIT_FAKE: path of the livekit-fake executable (run.sh sets it).
// sdk_conformance.mjs imports this file, so `node --test sdk_conformance.mjs`
// runs both.

import {
  DisconnectReason,
  LeaveRequest,
  LeaveRequest_Action,
  ParticipantPermission,
  Ping,
  SignalRequest,
  SignalResponse,
  SignalTarget,
  TrackSource,
  TrackType,
  TrickleRequest,
  UpdateParticipantMetadata,
} from '@livekit/protocol'
import { AccessToken } from 'livekit-server-sdk'
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, test } from 'node:test'
import WebSocket from 'ws'
import { startFake, stopFake } from './fake.mjs'

const API_KEY = 'rtc-conformance-key'
const API_SECRET = 'rtc-conformance-secret-of-some-length'
const ROOM = 'signalling'

let workDir
let fake
let httpUrl

before(async () => {
  workDir = mkdtempSync(join(tmpdir(), 'rtc-conformance-'))
  const script = join(workDir, 'script.json')
  writeFileSync(
    script,
    JSON.stringify({
      rooms: [{ name: ROOM, participants: [{ identity: 'alice', name: 'Alice' }, { identity: 'bob', muted: true }] }],
    }),
  )
  fake = await startFake(['--api-key', API_KEY, '--api-secret', API_SECRET, '--script', script])
  httpUrl = fake.url
})

after(async () => {
  if (fake) await stopFake(fake.child)
  if (workDir) rmSync(workDir, { recursive: true, force: true })
})

async function token(grant, identity = `roomscribe-${Math.random().toString(36).slice(2, 10)}`) {
  const at = new AccessToken(API_KEY, API_SECRET, { identity, ttl: 600 })
  at.addGrant(grant)
  return at.toJwt()
}

const HIDDEN = { roomJoin: true, room: ROOM, canSubscribe: true, canPublish: false, canPublishData: false, hidden: true }

function rtcUrl(jwt, extra = '') {
  const base = httpUrl.replace(/^http/, 'ws')
  return `${base}/rtc?access_token=${jwt}&auto_subscribe=1&sdk=js&version=1.0.0&protocol=15&adaptive_stream=0${extra}`
}

// A /rtc connection that decodes every frame with the official SignalResponse.
function connect(url) {
  const ws = new WebSocket(url)
  const received = []
  const waiters = []
  let closed = null
  ws.on('message', (data) => {
    received.push(SignalResponse.fromBinary(new Uint8Array(data)))
    flush()
  })
  ws.on('close', (code) => {
    closed = code
    flush()
  })
  function flush() {
    for (const waiter of [...waiters]) {
      const index = received.findIndex((m) => m.message.case === waiter.kind)
      if (index >= 0) {
        waiters.splice(waiters.indexOf(waiter), 1)
        waiter.resolve(received.splice(index, 1)[0].message.value)
      } else if (closed !== null) {
        waiters.splice(waiters.indexOf(waiter), 1)
        waiter.reject(new Error(`closed (${closed}) before ${waiter.kind}`))
      }
    }
  }
  const opened = new Promise((resolve, reject) => {
    ws.on('open', resolve)
    ws.on('unexpected-response', (request, response) => {
      let body = ''
      response.on('data', (chunk) => (body += chunk))
      response.on('end', () => reject(Object.assign(new Error(body), { status: response.statusCode })))
    })
    ws.on('error', reject)
  })
  return {
    ws,
    opened,
    next(kind) {
      return new Promise((resolve, reject) => {
        waiters.push({ kind, resolve, reject })
        flush()
      })
    },
    send(message) {
      ws.send(new SignalRequest({ message }).toBinary())
    },
    closedPromise: new Promise((resolve) => ws.on('close', resolve)),
  }
}

async function refusedWith(url) {
  const connection = connect(url)
  const error = await connection.opened.then(
    () => null,
    (e) => e,
  )
  assert.ok(error, 'the upgrade must be refused')
  return error
}

async function rtcState(path) {
  const response = await fetch(`${httpUrl}/_fake/rtc/${path}`)
  assert.equal(response.status, 200)
  return response.json()
}

test('/rtc refuses tokens of anything but a hidden subscriber with 401', async () => {
  for (const grant of [
    { ...HIDDEN, canPublish: true },
    { ...HIDDEN, hidden: false },
    (({ hidden, ...rest }) => rest)(HIDDEN),
    (({ canPublish, ...rest }) => rest)(HIDDEN),
    { ...HIDDEN, canPublishData: true },
    { ...HIDDEN, canSubscribe: false },
    { ...HIDDEN, room: 'no-such-room' },
  ]) {
    const error = await refusedWith(rtcUrl(await token(grant)))
    assert.equal(error.status, 401, JSON.stringify(grant))
  }
  // Another API secret, a missing protocol, a resume of an unknown session.
  const other = new AccessToken(API_KEY, 'another-secret-entirely-here', { identity: 'x' })
  other.addGrant(HIDDEN)
  assert.equal((await refusedWith(rtcUrl(await other.toJwt()))).status, 401)
  const good = await token(HIDDEN)
  assert.equal((await refusedWith(rtcUrl(good).replace('&protocol=15', ''))).status, 401)
  assert.equal((await refusedWith(rtcUrl(good, '&reconnect=1&sid=PA_unknown'))).status, 401)
})

test('join, offer, ping_req and leave decode with the official classes', async () => {
  const identity = 'roomscribe-joiner'
  const connection = connect(rtcUrl(await token(HIDDEN, identity)))
  await connection.opened
  const joined = await connection.next('join')
  assert.equal(joined.room.name, ROOM)
  assert.match(joined.room.sid, /^RM_/)
  assert.equal(joined.participant.identity, identity)
  assert.match(joined.participant.sid, /^PA_/)
  assert.ok(joined.participant.permission instanceof ParticipantPermission)
  assert.equal(joined.participant.permission.hidden, true)
  assert.equal(joined.participant.permission.canSubscribe, true)
  assert.equal(joined.participant.permission.canPublish, false)
  assert.equal(joined.subscriberPrimary, true)
  assert.equal(joined.pingInterval, 5)
  assert.equal(joined.pingTimeout, 15)
  assert.equal(joined.serverInfo.protocol, 15)
  const others = Object.fromEntries(joined.otherParticipants.map((p) => [p.identity, p]))
  assert.deepEqual(Object.keys(others).sort(), ['alice', 'bob'])
  for (const [name, muted] of [['alice', false], ['bob', true]]) {
    const tracks = others[name].tracks
    assert.equal(tracks.length, 1)
    assert.match(tracks[0].sid, /^TR_/)
    assert.equal(tracks[0].type, TrackType.AUDIO)
    assert.equal(tracks[0].source, TrackSource.MICROPHONE)
    assert.equal(tracks[0].mimeType, 'audio/opus')
    assert.equal(tracks[0].muted, muted)
  }

  const offer = await connection.next('offer')
  assert.equal(offer.type, 'offer')
  for (const name of ['alice', 'bob']) {
    const track = others[name].tracks[0].sid
    assert.ok(offer.sdp.includes(`a=msid:${others[name].sid}|${track} ${track}`), offer.sdp)
  }
  assert.equal((offer.sdp.match(/^m=audio /gm) || []).length, 2)

  const timestamp = BigInt(Date.now())
  connection.send({ case: 'pingReq', value: new Ping({ timestamp, rtt: 0n }) })
  const pong = await connection.next('pongResp')
  assert.equal(pong.lastPingTimestamp, timestamp)
  assert.ok(pong.timestamp > 0n)

  connection.send({
    case: 'leave',
    value: new LeaveRequest({ reason: DisconnectReason.CLIENT_INITIATED, action: LeaveRequest_Action.DISCONNECT }),
  })
  await connection.closedPromise
  const state = await rtcState('sessions')
  assert.ok(!state.sessions.some((s) => s.identity === identity), 'a session that left is gone')
  assert.ok(!state.violations.some((v) => v.includes(identity)), state.violations.join('\n'))
})

async function expectViolation(identity, message, pattern) {
  const connection = connect(rtcUrl(await token(HIDDEN, identity)))
  await connection.opened
  await connection.next('join')
  await connection.next('offer')
  connection.send(message)
  const leave = await connection.next('leave')
  assert.equal(leave.action, LeaveRequest_Action.DISCONNECT)
  await connection.closedPromise
  const { violations } = await rtcState('sessions')
  assert.ok(
    violations.some((v) => v.includes(identity) && pattern.test(v)),
    `no violation ${pattern} for ${identity}: ${violations.join('\n')}`,
  )
}

test('a trickle before the answer is a violation: leave and close', async () => {
  await expectViolation(
    'roomscribe-early-trickle',
    {
      case: 'trickle',
      value: new TrickleRequest({
        candidateInit: JSON.stringify({ candidate: 'candidate:1 1 udp 1 127.0.0.1 9 typ host', sdpMid: '0', sdpMLineIndex: 0 }),
        target: SignalTarget.SUBSCRIBER,
      }),
    },
    /trickle before the answer/,
  )
})

test('a request LiveKit has but a hidden subscriber must not send is a violation', async () => {
  await expectViolation(
    'roomscribe-metadata',
    { case: 'updateMetadata', value: new UpdateParticipantMetadata({ metadata: 'x' }) },
    /fields LiveKit's protocol does not have there/,
  )
})

async function control(path, body) {
  const response = await fetch(`${httpUrl}/_fake/${path}`, { method: 'POST', body: JSON.stringify(body) })
  assert.equal(response.status, 200, await response.clone().text())
  return response.json()
}

test('control: speaking, signalling drops, resumes and refused resumes', async () => {
  const identity = 'roomscribe-resumer'
  const connection = connect(rtcUrl(await token(HIDDEN, identity)))
  await connection.opened
  const joined = await connection.next('join')
  await connection.next('offer')
  const alice = joined.otherParticipants.find((p) => p.identity === 'alice')

  await control('rtc/speaking', { room: ROOM, identity: 'alice', active: true, level: 0.5 })
  const speakers = await connection.next('speakersChanged')
  assert.equal(speakers.speakers[0].sid, alice.sid)
  assert.equal(speakers.speakers[0].active, true)
  assert.equal(speakers.speakers[0].level, 0.5)

  assert.deepEqual(await control('rtc/drop_signalling', { identity }), { dropped: 1 })
  await connection.closedPromise
  const sid = joined.participant.sid
  const resumed = connect(rtcUrl(await token(HIDDEN, identity), `&reconnect=1&sid=${sid}`))
  await resumed.opened
  const reconnect = await resumed.next('reconnect')
  assert.equal(reconnect.serverInfo.protocol, 15)
  const session = (await rtcState('sessions')).sessions.find((s) => s.sid === sid)
  assert.equal(session.resumes, 1)
  assert.equal(session.signalling_connected, true)

  await control('rtc/config', { refuse_resumes: true })
  try {
    await control('rtc/drop_signalling', { identity })
    await resumed.closedPromise
    const error = await refusedWith(rtcUrl(await token(HIDDEN, identity), `&reconnect=1&sid=${sid}`))
    assert.equal(error.status, 401)
  } finally {
    await control('rtc/config', { refuse_resumes: false })
  }
  // A full rejoin replaces the session that could not be resumed.
  const rejoined = connect(rtcUrl(await token(HIDDEN, identity)))
  await rejoined.opened
  assert.notEqual((await rejoined.next('join')).participant.sid, sid)
  rejoined.send({
    case: 'leave',
    value: new LeaveRequest({ reason: DisconnectReason.CLIENT_INITIATED, action: LeaveRequest_Action.DISCONNECT }),
  })
  await rejoined.closedPromise
  const { violations } = await rtcState('sessions')
  assert.ok(!violations.some((v) => v.includes(identity)), violations.join('\n'))
})

function snakeCase(name) {
  return name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)
}

test('every logged frame decodes with the official classes to the kind the fake logged', async () => {
  const { frames } = await rtcState('frames')
  assert.ok(frames.length >= 10)
  const kinds = new Set()
  for (const frame of frames) {
    const bytes = Buffer.from(frame.data, 'base64')
    const decoded = frame.direction === 'in' ? SignalRequest.fromBinary(bytes) : SignalResponse.fromBinary(bytes)
    // The fake does not know updateMetadata (not in its subset): "none".
    const kind = decoded.message.case === undefined ? 'none' : snakeCase(decoded.message.case)
    const expected = kind === 'update_metadata' ? 'none' : kind
    assert.equal(frame.kind, expected, `${frame.direction} frame of ${frame.session}`)
    kinds.add(`${frame.direction}:${frame.kind}`)
  }
  for (const kind of ['out:join', 'out:offer', 'out:pong_resp', 'out:leave', 'out:reconnect', 'out:speakers_changed', 'in:ping_req', 'in:leave', 'in:trickle']) {
    assert.ok(kinds.has(kind), `no ${kind} frame logged: ${[...kinds].join(', ')}`)
  }
})
