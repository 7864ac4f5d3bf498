// The shape of a Kubernetes object, typed loosely: objects come from clients and users, so every field is optional
// and checked where it is used (the CLI's src/lib/resources/types.ts re-exports this type).
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
