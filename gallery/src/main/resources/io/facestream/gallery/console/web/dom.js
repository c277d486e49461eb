// Building elements without innerHTML: every name and id from the stream goes in as text, never as markup.

/** el('li', {class: 'x', onclick: fn}, 'text', child...) */
export function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) {
      continue;
    }
    if (k.startsWith('on')) {
      e.addEventListener(k.slice(2), v);
    } else if (k === 'style') {
      // CSSOM, not a style attribute: the Content-Security-Policy allows no inline styles.
      Object.assign(e.style, v);
    } else if (k === 'dataset') {
      Object.assign(e.dataset, v);
    } else {
      e.setAttribute(k, v === true ? '' : v);
    }
  }
  for (const c of children.flat()) {
    if (c !== null && c !== undefined) {
      e.append(c instanceof Node ? c : String(c));
    }
  }
  return e;
}

export function clear(node) {
  while (node.firstChild) {
    node.firstChild.remove();
  }
  return node;
}

export function time(iso) {
  return iso ? new Date(iso).toLocaleTimeString() : '';
}

export function fixed(x, digits = 3) {
  return x === null || x === undefined ? '–' : Number(x).toFixed(digits);
}
