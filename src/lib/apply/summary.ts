// One line for people: "method=sayHello → v1 20% / v2 80%".
import type {Prediction} from '../dryrun/predict.js'
import {parseCluster} from '../routing/names.js'

export function summarizePrediction(p: Prediction, request: Array<[string, string]>): string {
  const req = request.map(([k, v]) => `${k}=${v}`).join(' ') || 'any request'
  if (p.configOutcome) return `${req} → ${p.configOutcome}`
  if (!p.route) return `${req} → ${p.error ?? 'RouteNotFound'}`
  const arms = p.clusters.filter(c => c.weight > 0 || p.clusters.length === 1).map(c => {
    const parsed = parseCluster(c.name)
    const label = parsed?.subset ? parsed.subset : parsed ? `${parsed.host}:${parsed.port}` : c.name
    return `${label} ${Math.round(c.share * 1000) / 10}%`
  })
  const extras = [
    p.mirror ? `mirror ${Math.round(p.mirror.probability * 1000) / 10}% to ${parseCluster(p.mirror.cluster)?.subset || p.mirror.cluster}` : '',
    p.hashPolicy.length ? `hash on ${p.hashPolicy.join(', ')}` : '',
    p.requestMutation.length ? `set ${p.requestMutation.map(kv => `${kv.key}=${kv.value}`).join(' ')}${p.requestMutationOnWire ? '' : ' (not on the wire)'}` : '',
  ].filter(Boolean)
  return `${req} → ${arms.join(' / ')}${extras.length ? ` (${extras.join('; ')})` : ''}`
}
