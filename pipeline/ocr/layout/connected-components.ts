/** A connected blob of ink (8-connectivity); `x1`, `y1` exclusive. */
export interface InkComponent {
  /** Its label in `ComponentMap.labels` (1-based). */
  label: number;
  x0: number;
  y0: number;
  x1: number;
  y1: number;
  /** Ink pixels. */
  area: number;
}

export interface ComponentMap {
  /** One label per pixel: 0 for paper, otherwise the component's `label`. */
  labels: Int32Array;
  components: InkComponent[];
}

/** Labels the 8-connected blobs of an ink mask (1 = ink) with a two-pass union–find. */
export function connectedComponents(ink: Uint8Array, width: number, height: number): ComponentMap {
  const labels = new Int32Array(width * height);
  const parent: number[] = [0];
  const find = (label: number): number => {
    let root = label;
    while (parent[root] !== root) root = parent[root]!;
    while (parent[label] !== root) {
      const next = parent[label]!;
      parent[label] = root;
      label = next;
    }
    return root;
  };
  const union = (a: number, b: number): number => {
    const rootA = find(a);
    const rootB = find(b);
    if (rootA === rootB) return rootA;
    const [low, high] = rootA < rootB ? [rootA, rootB] : [rootB, rootA];
    parent[high] = low;
    return low;
  };
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      const i = y * width + x;
      if (ink[i] === 0) continue;
      let label = 0;
      // Neighbours already visited: left, upper left, up, upper right.
      const neighbours = [
        x > 0 ? labels[i - 1]! : 0,
        x > 0 && y > 0 ? labels[i - width - 1]! : 0,
        y > 0 ? labels[i - width]! : 0,
        x + 1 < width && y > 0 ? labels[i - width + 1]! : 0,
      ];
      for (const neighbour of neighbours) {
        if (neighbour === 0) continue;
        label = label === 0 ? find(neighbour) : union(label, neighbour);
      }
      if (label === 0) {
        label = parent.length;
        parent.push(label);
      }
      labels[i] = label;
    }
  }
  const byRoot = new Map<number, InkComponent>();
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      const i = y * width + x;
      if (labels[i] === 0) continue;
      const root = find(labels[i]!);
      labels[i] = root;
      const component = byRoot.get(root);
      if (component === undefined) {
        byRoot.set(root, { label: root, x0: x, y0: y, x1: x + 1, y1: y + 1, area: 1 });
      } else {
        component.x0 = Math.min(component.x0, x);
        component.x1 = Math.max(component.x1, x + 1);
        component.y1 = y + 1;
        component.area += 1;
      }
    }
  }
  return { labels, components: [...byRoot.values()] };
}
