// Starts and stops livekit-fake for the conformance checks.
//
// LIVEKIT_FAKE: path of the livekit-fake executable (run.sh sets it).

import { spawn } from 'node:child_process'

// The fake with `args`, once it listens: { child, url }.
export function startFake(args) {
  const child = spawn(process.env.LIVEKIT_FAKE, args, { stdio: ['ignore', 'pipe', 'inherit'] })
  return new Promise((resolve, reject) => {
    let output = ''
    child.on('error', reject)
    child.on('exit', (code) => reject(new Error(`livekit-fake exited with ${code}: ${output}`)))
    child.stdout.on('data', (data) => {
      output += data
      const match = /listening on (\S+)/.exec(output)
      if (match) resolve({ child, url: match[1] })
    })
  })
}

// SIGTERM, resolved once the fake has exited.
export function stopFake(child) {
  child.removeAllListeners('exit')
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve()
  const exited = new Promise((resolve) => child.on('exit', resolve))
  child.kill('SIGTERM')
  return exited
}
