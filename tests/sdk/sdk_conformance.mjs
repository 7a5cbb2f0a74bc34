// Proves tests/fakes/gladia (gladia-emulator) against the official
// @gladiaio/sdk: whatever the SDK does on the wire, the emulator must accept
// and answer the way Gladia's Live v2 API does.
//
// GLADIA_EMULATOR: path of the gladia-emulator executable (run.sh sets it).
// SDK_TEST_PCM and SDK_TEST_SCRIPT (optional, together): a s16le 16 kHz mono
// file and its script, instead of speech made here with espeak-ng and sox.

import { GladiaClient } from '@gladiaio/sdk'
import assert from 'node:assert/strict'
import { execFileSync, spawn } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, test } from 'node:test'
import { setTimeout as sleep } from 'node:timers/promises'

const API_KEY = 'sdk-conformance-key'
const BYTES_PER_SECOND = 16000 * 2
const CHUNK = BYTES_PER_SECOND / 10 // 100 ms, as Gladia recommends
const SESSION_OPTIONS = {
  encoding: 'wav/pcm',
  bit_depth: 16,
  sample_rate: 16000,
  channels: 1,
  language_config: { languages: ['en'] },
  messages_config: {
    receive_partial_transcripts: true,
    receive_final_transcripts: true,
    receive_speech_events: true,
    receive_acknowledgments: true,
    receive_lifecycle_events: true,
    receive_post_processing_events: true,
  },
}
const NO_FAULTS = {
  init_error: 0,
  init_error_count: -1,
  close_after: -1,
  close_code: 1011,
  close_repeat: false,
  drop_after: -1,
  drop_repeat: false,
  stall_after: -1,
  ack_delay_ms: 0,
}

let workDir
let emulator
let apiUrl
let pcm
let script

// Two phrases of espeak-ng speech, 0.4 s apart, as s16le 16 kHz mono; the
// script puts each phrase's text at its place in the audio.
function makeSpeech(dir) {
  const phrases = ['Hello from the emulator.', 'The session resumes after a dropped connection.']
  const pieces = []
  const utterances = []
  let offset = 0
  phrases.forEach((text, index) => {
    const wav = join(dir, `phrase${index}.wav`)
    const raw = join(dir, `phrase${index}.raw`)
    execFileSync('espeak-ng', ['-v', 'en', '-s', '160', '-w', wav, text])
    execFileSync('sox', [wav, '-r', '16000', '-c', '1', '-b', '16', '-e', 'signed-integer', '-t', 'raw', raw])
    let speech = readFileSync(raw)
    speech = speech.subarray(0, speech.length - (speech.length % 2))
    utterances.push({ start_s: offset / BYTES_PER_SECOND, end_s: (offset + speech.length) / BYTES_PER_SECOND, text })
    const gap = Buffer.alloc(0.4 * BYTES_PER_SECOND)
    pieces.push(speech, gap)
    offset += speech.length + gap.length
  })
  return { pcm: Buffer.concat(pieces), script: utterances }
}

function startEmulator(scriptPath, pcmPath) {
  const child = spawn(process.env.GLADIA_EMULATOR, [
    '--listen', '127.0.0.1:0', '--api-key', API_KEY, '--script', scriptPath, '--reference', pcmPath,
  ], { stdio: ['ignore', 'pipe', 'inherit'] })
  return new Promise((resolve, reject) => {
    let output = ''
    child.on('error', reject)
    child.on('exit', (code) => reject(new Error(`gladia-emulator exited with ${code}: ${output}`)))
    child.stdout.on('data', (data) => {
      output += data
      const match = /listening on (\S+)/.exec(output)
      if (match) resolve({ child, url: match[1] })
    })
  })
}

async function setFaults(faults) {
  const response = await fetch(`${apiUrl}/_emulator/faults`, {
    method: 'POST',
    body: JSON.stringify({ ...NO_FAULTS, ...faults }),
  })
  assert.equal(response.status, 200)
}

async function emulatorReport(sessionId) {
  const sessions = await (await fetch(`${apiUrl}/_emulator/sessions`)).json()
  const report = sessions.find((session) => session.id === sessionId)
  assert.ok(report, `the emulator knows session ${sessionId}`)
  return report
}

// Runs one SDK session: streams `audio` in 100 ms chunks (ten times real
// time), stops, and collects everything the SDK reports until it ends.
async function runSession(audio, { apiKey = API_KEY } = {}) {
  const client = new GladiaClient({ apiKey, apiUrl })
  const session = client.liveV2().startSession(SESSION_OPTIONS)
  const seen = { messages: [], errors: [], connected: [], ended: null }
  const ended = new Promise((resolve) => {
    session.on('message', (message) => seen.messages.push(message))
    session.on('error', (error) => seen.errors.push(error))
    session.on('connected', ({ attempt }) => seen.connected.push(attempt))
    session.on('ended', (event) => resolve(event))
  })
  for (let offset = 0; offset < audio.length && session.status !== 'ended'; offset += CHUNK) {
    session.sendAudio(audio.subarray(offset, offset + CHUNK))
    await sleep(10)
  }
  session.stopRecording()
  seen.ended = await ended
  seen.sessionId = session.sessionId
  return seen
}

const ofType = (messages, type) => messages.filter((message) => message.type === type)
const finals = (messages) => ofType(messages, 'transcript').filter((message) => message.data.is_final)
const scriptIds = () => script.map((_, index) => `00-${String(index).padStart(8, '0')}`)

function assertTranscripts(messages) {
  const received = finals(messages)
  assert.deepEqual(received.map((message) => message.data.id), scriptIds(), 'one final per utterance, in order')
  assert.deepEqual(received.map((message) => message.data.utterance.text), script.map(({ text }) => ` ${text}`))
  for (const [index, message] of received.entries()) {
    assert.equal(message.data.utterance.start, script[index].start_s)
    assert.equal(message.data.utterance.channel, 0)
    assert.ok(message.data.utterance.words.length > 0)
  }
  const partials = ofType(messages, 'transcript').filter((message) => !message.data.is_final)
  assert.ok(partials.length > 0, 'partial transcripts arrive')
  for (const partial of partials) assert.ok(scriptIds().includes(partial.data.id), 'partials share the final ids')
  for (const message of messages) assert.equal(typeof message.created_at, 'string')
}

function assertByteExact(report) {
  assert.equal(report.bytes_received, pcm.length)
  assert.equal(report.sha256, createHash('sha256').update(pcm).digest('hex'))
  assert.equal(report.matches_reference, true, JSON.stringify(report))
  assert.deepEqual(report.errors, [])
  assert.equal(report.state, 'finished')
}

before(async () => {
  assert.ok(process.env.GLADIA_EMULATOR, 'GLADIA_EMULATOR names the gladia-emulator executable')
  workDir = mkdtempSync(join(tmpdir(), 'gladia-sdk-'))
  let pcmPath = process.env.SDK_TEST_PCM
  let scriptPath = process.env.SDK_TEST_SCRIPT
  if (pcmPath && scriptPath) {
    pcm = readFileSync(pcmPath)
    script = JSON.parse(readFileSync(scriptPath, 'utf8'))
  } else {
    ;({ pcm, script } = makeSpeech(workDir))
    pcmPath = join(workDir, 'reference.pcm')
    scriptPath = join(workDir, 'script.json')
    writeFileSync(pcmPath, pcm)
    writeFileSync(scriptPath, JSON.stringify(script))
  }
  ;({ child: emulator, url: apiUrl } = await startEmulator(scriptPath, pcmPath))
})

after(() => {
  emulator?.removeAllListeners('exit')
  emulator?.kill()
  if (workDir) rmSync(workDir, { recursive: true, force: true })
})

test('streams, resumes after a 1011 close, and receives every scripted transcript', { timeout: 60_000 }, async () => {
  await setFaults({ close_after: Math.floor(pcm.length * 0.45), close_code: 1011 })
  const seen = await runSession(pcm)

  assert.deepEqual(seen.errors, [])
  assert.equal(seen.ended.code, 1000)
  assert.ok(seen.connected.length >= 1)
  assertTranscripts(seen.messages)
  const types = seen.messages.map((message) => message.type)
  const tail = types.slice(types.indexOf('stop_recording'))
  assert.deepEqual(
    tail.filter((type) => !['transcript', 'speech_start', 'speech_end'].includes(type)),
    ['stop_recording', 'end_recording', 'post_transcript', 'post_final_transcript', 'end_session'],
  )
  assert.equal(
    ofType(seen.messages, 'post_transcript')[0].data.full_transcript,
    script.map(({ text }) => text).join(' '),
  )
  const acks = ofType(seen.messages, 'audio_chunk')
  assert.equal(acks.at(-1).data.byte_range[1], pcm.length)

  const report = await emulatorReport(seen.sessionId)
  assertByteExact(report)
  assert.equal(report.reconnects, 1)
  assert.ok(report.overlap_bytes > 0, 'the SDK re-sent the unacknowledged chunk')
  assert.deepEqual(report.closes.map(({ code }) => code), [1011, 1000])
})

test('resumes after TCP drops without a close frame', { timeout: 60_000 }, async () => {
  await setFaults({ drop_after: Math.floor(pcm.length * 0.3), drop_repeat: true })
  const seen = await runSession(pcm)

  assert.deepEqual(seen.errors, [])
  assert.equal(seen.ended.code, 1000)
  assertTranscripts(seen.messages)
  const report = await emulatorReport(seen.sessionId)
  assertByteExact(report)
  assert.equal(report.reconnects, 3)
  assert.deepEqual(report.closes.map(({ code }) => code), [1006, 1006, 1006, 1000])
})

test('a wrong API key surfaces as an SDK error carrying the emulator message', { timeout: 30_000 }, async () => {
  await setFaults({})
  const seen = await runSession(pcm.subarray(0, CHUNK), { apiKey: 'wrong-key' })

  assert.equal(seen.errors.length, 1)
  const [error] = seen.errors
  assert.equal(error.status, 401)
  assert.equal(error.responseBody.message, 'Invalid API key')
  assert.match(error.message, /^Invalid API key \| G-[0-9a-f]{8} \| 401 \| POST \/v2\/live$/)
  assert.equal(seen.ended.code, 1006)
})

test('the SDK retries an init answered 429 once', { timeout: 30_000 }, async () => {
  await setFaults({ init_error: 429, init_error_count: 1 })
  const seen = await runSession(pcm)

  assert.deepEqual(seen.errors, [])
  assert.equal(seen.ended.code, 1000)
  assertTranscripts(seen.messages)
  assertByteExact(await emulatorReport(seen.sessionId))
})

test('a 4400 close ends the SDK session without a reconnect', { timeout: 30_000 }, async () => {
  await setFaults({ close_after: 3 * CHUNK, close_code: 4400 })
  const seen = await runSession(pcm)

  assert.equal(seen.ended.code, 4400)
  const report = await emulatorReport(seen.sessionId)
  assert.equal(report.connections, 1)
  assert.deepEqual(report.closes.map(({ code }) => code), [4400])
  assert.equal(report.state, 'waiting')
})
