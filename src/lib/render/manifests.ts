// Kubernetes manifests as kubectl prints them: YAML documents separated by ---, or JSON as a v1 List.
import {dump} from 'js-yaml'

export function manifestsYaml(objects: unknown[]): string {
  return objects.map(o => dump(o, {noRefs: true, lineWidth: 120})).join('---\n')
}

export function manifestList(objects: unknown[]): {apiVersion: 'v1'; kind: 'List'; items: unknown[]} {
  return {apiVersion: 'v1', kind: 'List', items: objects}
}
