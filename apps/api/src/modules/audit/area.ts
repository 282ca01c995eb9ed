// Which area an audit entry concerns when a change spans several: their nearest common ancestor.

/** The deepest path above (or equal to) every given path; null when there are none or they share no area. */
export function commonArea(paths: Iterable<string | null | undefined>): string | null {
  let common: string | null = null;
  for (const p of paths) {
    if (!p) return null; // one install-wide part makes the whole change install-wide
    if (common === null) { common = p; continue; }
    let i = 0;
    while (i < common.length && i < p.length && common[i] === p[i]) i++;
    common = common.slice(0, common.lastIndexOf('/', i - 1) + 1);
  }
  return common && common !== '/' ? common : null;
}
