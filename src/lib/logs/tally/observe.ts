// What a demo client's log line says about the server that answered.

// e.g. "Hello Aeraki, response from thrift-sample-server-v2-7c9f8d6b5-x2k4p/10.244.0.12"
const RESPONSE_FROM = /response from ([a-z0-9](?:[-a-z0-9.]*[a-z0-9])?)\/([0-9a-fA-F.:]+)/

export function answeringPod(message: string): string | undefined {
  if (!message.includes('response from')) return undefined
  return RESPONSE_FROM.exec(message)?.[1]
}

/** The demo clients print "Error: …" when a request fails (no route, no healthy upstream). */
export function isFailedRequest(message: string): boolean {
  return message.startsWith('Error: ')
}
