import type { FeatureParams } from './glyph-features.ts';

/** Prototype feature vectors, each with its character; several prototypes may share a label. */
export interface TemplateSet {
  params: FeatureParams;
  /** Distinct characters, NFC, one code point each (PUA included). */
  labels: readonly string[];
  /** Index into `labels` of each prototype. */
  prototypeLabels: Uint32Array;
  /** Prototype features, row-major, `featureLength(params)` per prototype, L2-normalised. */
  features: Float32Array;
}

/** A candidate character for a glyph image: `distance` is squared Euclidean (0–4) to its nearest prototype. */
export interface TemplateMatch {
  label: string;
  distance: number;
}

/** The `k` labels whose nearest prototypes are closest to `feature`, closest first. */
export function nearestLabels(set: TemplateSet, feature: Float32Array, k: number): TemplateMatch[] {
  const dim = feature.length;
  const best = new Float32Array(set.labels.length).fill(-Infinity);
  const count = set.prototypeLabels.length;
  const features = set.features;
  for (let p = 0; p < count; p++) {
    let dot = 0;
    const base = p * dim;
    for (let i = 0; i < dim; i++) dot += (features[base + i] as number) * (feature[i] as number);
    const label = set.prototypeLabels[p] as number;
    if (dot > (best[label] as number)) best[label] = dot;
  }
  const order: number[] = [];
  for (let label = 0; label < best.length; label++) {
    if (best[label] === -Infinity) continue;
    if (order.length < k || (best[label] as number) > (best[order[order.length - 1] as number] as number)) {
      let at = order.length < k ? order.length : k - 1;
      order[at] = label;
      while (at > 0 && (best[order[at - 1] as number] as number) < (best[label] as number)) {
        order[at] = order[at - 1] as number;
        order[at - 1] = label;
        at--;
      }
    }
  }
  return order.map((label) => ({ label: set.labels[label] as string, distance: Math.max(0, 2 - 2 * (best[label] as number)) }));
}

/** A new set holding the prototypes of both; labels are merged, `extra` features must use the same parameters. */
export function mergeTemplateSets(base: TemplateSet, extra: TemplateSet): TemplateSet {
  const labels = [...base.labels];
  const index = new Map(labels.map((label, i) => [label, i]));
  const prototypeLabels = new Uint32Array(base.prototypeLabels.length + extra.prototypeLabels.length);
  prototypeLabels.set(base.prototypeLabels);
  extra.prototypeLabels.forEach((labelIndex, p) => {
    const label = extra.labels[labelIndex] as string;
    let at = index.get(label);
    if (at === undefined) {
      at = labels.length;
      labels.push(label);
      index.set(label, at);
    }
    prototypeLabels[base.prototypeLabels.length + p] = at;
  });
  const features = new Float32Array(base.features.length + extra.features.length);
  features.set(base.features);
  features.set(extra.features, base.features.length);
  return { params: base.params, labels, prototypeLabels, features };
}
