// The shape of a stored Kubernetes object as the emulator handles it: typed where the API server itself
// looks (metadata), open everywhere else.
export interface ObjectMeta {
  name?: string
  namespace?: string
  labels?: Record<string, string>
  annotations?: Record<string, string>
  [key: string]: unknown
}

export interface KubeObject {
  apiVersion?: string
  kind?: string
  metadata?: ObjectMeta
  spec?: any
  data?: Record<string, string>
  [key: string]: unknown
}
