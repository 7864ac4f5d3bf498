// The mesh's own pods as aerakictl.sh finds them (aerakictl_get_pod APP NS: a pod-name match in istio-system),
// and how each answers: istiod on its debug/monitoring port 15014 (container discovery), the ingress gateway and
// sidecars on Envoy's admin port 15000 (container istio-proxy), Aeraki only by its logs.
import {ENVOY_ADMIN, ISTIOD_DEBUG, type AdminPort} from '../sidecar/fetch.js'

export const ISTIO_NAMESPACE = 'istio-system'

export interface MeshComponent {
  /** Pod-name match (aerakictl.sh style substring). */
  app: string
  namespace: string
  /** Container whose log is "the" log of the component. */
  logContainer: string
  admin?: AdminPort
}

export const ISTIOD: MeshComponent = {app: 'istiod', namespace: ISTIO_NAMESPACE, logContainer: 'discovery', admin: ISTIOD_DEBUG}
export const AERAKI: MeshComponent = {app: 'aeraki', namespace: ISTIO_NAMESPACE, logContainer: 'aeraki'}
export const INGRESS_GATEWAY: MeshComponent = {app: 'istio-ingressgateway', namespace: ISTIO_NAMESPACE, logContainer: 'istio-proxy', admin: ENVOY_ADMIN}

/** Deployments behind `restart istiod|aeraki`. */
export const RESTART_ALIASES: Record<string, {namespace: string; deployment: string}> = {
  istiod: {namespace: ISTIO_NAMESPACE, deployment: 'istiod'},
  aeraki: {namespace: ISTIO_NAMESPACE, deployment: 'aeraki'},
}
