// Minimal glob matching for configuration ignores and .gitignore patterns:
// `**` crosses folders, `*` and `?` stay within one path segment.
const cache = new Map<string, RegExp>();

export function globToRegExp(glob: string): RegExp {
  let re = cache.get(glob);
  if (re) return re;
  let src = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*') {
      if (glob[i + 1] === '*') {
        const slash = glob[i + 2] === '/';
        src += slash ? '(?:.*/)?' : '.*';
        i += slash ? 2 : 1;
      } else src += '[^/]*';
    } else if (c === '?') src += '[^/]';
    else if ('\\^$+.()|{}[]'.includes(c)) src += '\\' + c;
    else src += c;
  }
  re = new RegExp(`^${src}$`);
  cache.set(glob, re);
  return re;
}

/** Matches a workspace-relative path (forward slashes) against a glob; a bare name matches at any depth. */
export function matchGlob(glob: string, relPath: string): boolean {
  const g = glob.replace(/^\.\//, '').replace(/\/$/, '/**');
  if (!g.includes('/')) {
    const re = globToRegExp(g);
    return relPath.split('/').some((seg) => re.test(seg));
  }
  return globToRegExp(g.replace(/^\//, '')).test(relPath);
}
