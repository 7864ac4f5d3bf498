// metav1.Status answers, shaped like the API server's.
export interface StatusBody {
  kind: 'Status'
  apiVersion: 'v1'
  metadata: Record<string, never>
  status: 'Failure' | 'Success'
  message: string
  reason: string
  details?: {name?: string; group?: string; kind?: string; causes?: Array<{reason?: string; message: string; field?: string}>; retryAfterSeconds?: number}
  code: number
}

export class ApiError extends Error {
  constructor(readonly code: number, readonly reason: string, message: string, readonly details?: StatusBody['details']) {
    super(message)
  }

  toStatus(): StatusBody {
    return {kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: this.message, reason: this.reason, ...(this.details ? {details: this.details} : {}), code: this.code}
  }
}

const res = (plural: string, group: string) => (group ? `${plural}.${group}` : plural)

export const notFound = (plural: string, group: string, name: string) =>
  new ApiError(404, 'NotFound', `${res(plural, group)} "${name}" not found`, {name, group: group || undefined, kind: plural})
export const alreadyExists = (plural: string, group: string, name: string) =>
  new ApiError(409, 'AlreadyExists', `${res(plural, group)} "${name}" already exists`, {name, group: group || undefined, kind: plural})
export const conflict = (plural: string, group: string, name: string) =>
  new ApiError(409, 'Conflict', `Operation cannot be fulfilled on ${res(plural, group)} "${name}": the object has been modified; please apply your changes to the latest version and try again`, {name, group: group || undefined, kind: plural})
export const badRequest = (message: string) => new ApiError(400, 'BadRequest', message)
export const invalid = (kind: string, name: string, causes: Array<{field: string; message: string}>) =>
  new ApiError(422, 'Invalid', `${kind} "${name}" is invalid: ${causes.map((c) => `${c.field}: ${c.message}`).join(', ')}`, {name, kind, causes: causes.map((c) => ({reason: 'FieldValueInvalid', ...c}))})
export const gone = (message: string) => new ApiError(410, 'Expired', message)
export const unauthorized = () => new ApiError(401, 'Unauthorized', 'Unauthorized')
export const pathNotFound = () => new ApiError(404, 'NotFound', 'the server could not find the requested resource')
export const methodNotAllowed = (method: string) => new ApiError(405, 'MethodNotAllowed', `the server does not allow this method on the requested resource (${method})`)
