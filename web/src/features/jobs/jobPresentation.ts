// How a job reads to a person: its kind in words, result values formatted (sizes, file names, links), and its
// failures as "what — why" lines.
import { formatBytes } from '../../shared/ui/format';

/** Human names of the job kinds the server runs; an unknown kind shows as the server names it. */
export const KIND_LABELS: Record<string, string> = {
  'catalog.thumbnails': 'Thumbnails',
  'dataset.export': 'Dataset export',
  'ledger.generate': 'Generation from the ledger',
  'metadata.regenerate': 'Metadata files',
  'provenance.import': 'ComfyUI import',
  'provenance.regenerate': 'Regeneration of stale segments',
  'sidecar.export': 'VFX sidecar export',
  'tagging.write': 'Tag writing (people in the videos)',
};

export function kindLabel(kind: string): string {
  return KIND_LABELS[kind] ?? kind;
}

/** One result value as shown: text, or a link (downloads and API paths). */
export type ResultFact = { key: string; label: string; text: string; href?: string; title?: string };

const LABELS: Record<string, string> = {
  size_bytes: 'size',
  file_size_bytes: 'size',
  download: 'download',
};

function baseName(path: string): string {
  return path.split(/[\\/]/).filter(Boolean).pop() ?? path;
}

/** The scalar fields of a result, formatted; ids and nested objects are left to the links and lists around them. */
export function resultFacts(result: unknown): ResultFact[] {
  if (!result || typeof result !== 'object' || Array.isArray(result)) return [];
  const out: ResultFact[] = [];
  for (const [key, value] of Object.entries(result as Record<string, unknown>)) {
    if (!['string', 'number', 'boolean'].includes(typeof value)) continue;
    const label = LABELS[key] ?? key.replace(/_bytes$/, '').replace(/_/g, ' ');
    if (typeof value === 'number' && /(_bytes|^bytes|^size)$/.test(key)) {
      out.push({ key, label, text: formatBytes(value) });
    } else if (typeof value === 'string' && value.startsWith('/api/')) {
      out.push({ key, label, text: 'Download', href: value });
    } else if (typeof value === 'string' && /(^|_)(path|file|dir|directory|zip)$/.test(key) && /[\\/]/.test(value)) {
      // a server path means nothing in a browser: its file name, the full path on hover
      out.push({ key, label, text: baseName(value), title: value });
    } else if (typeof value === 'number' && key === 'seconds') {
      out.push({ key, label: 'took', text: `${value.toFixed(1)} s` });
    } else {
      out.push({ key, label, text: String(value) });
    }
  }
  return out;
}

/** One failed item: what it was (with a link when it is a catalog entity) and why. */
export interface FailureLine {
  what: string;
  why: string;
  href?: string;
  segmentId?: number;
}

const ENTITY_ROUTES: Record<string, (id: number) => string> = {
  character: (id) => `/catalog/characters/${id}`,
  scene: (id) => `/catalog/scenes/${id}`,
  segment: (id) => `/provenance/segments/${id}`,
};

export function failureLines(result: unknown): FailureLine[] {
  const failures = (result as { failures?: unknown } | null)?.failures;
  if (!Array.isArray(failures)) return [];
  return failures.map((f): FailureLine => {
    if (typeof f !== 'object' || f === null) return { what: 'item', why: String(f) };
    const o = f as Record<string, unknown>;
    const why = String(o.error ?? o.reason ?? o.message ?? 'failed');
    if (typeof o.segment_id === 'number') {
      return { what: `segment #${o.segment_id}`, why, href: ENTITY_ROUTES.segment!(o.segment_id), segmentId: o.segment_id };
    }
    if (typeof o.entity_type === 'string' && typeof o.entity_id === 'number') {
      const route = ENTITY_ROUTES[o.entity_type];
      const name = typeof o.name === 'string' && o.name ? o.name : `${o.entity_type} #${o.entity_id}`;
      return { what: name, why, href: route?.(o.entity_id) };
    }
    const path = o.path ?? o.file_path ?? o.file;
    if (typeof path === 'string') return { what: baseName(path), why };
    return { what: 'item', why };
  });
}
