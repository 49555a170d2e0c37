package dev.graft.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * What a reader sees of a page's text, measured in the browser's DOM: every text element of the
 * inline SVGs ({@code text} without {@code tspan} children, and each {@code tspan}) and every
 * line box of HTML text, leaving out what is not shown (the content of a closed {@code
 * <details>}). For each, the rendered font size in CSS pixels (the computed size times
 * the scale of the element's screen transform, so an SVG shrunk to fit the page counts at its
 * shrunk size) and its box on the page: the SVG text's bounding box through its screen transform
 * (a rotated label stays a rotated rectangle), or the HTML line's client rectangle. Two boxes
 * overlap when the separating-axis test finds them intersecting by more than
 * {@link #TOLERANCE_PX} along every axis, so labels that merely touch do not count.
 */
final class TextLayout {
    /** Overlap depth, pixels, below which two text boxes are taken as touching, not overlapping. */
    static final double TOLERANCE_PX = 1.0;

    private TextLayout() {}

    /**
     * The page's text measured.
     *
     * @return {@code {texts, minFont, minFontText, minFontWhere, overlapCount, overlaps: [{a, b, where, depth}]}},
     *     at most 25 overlaps listed
     */
    static JsonNode measure(HeadlessChromium browser) throws Exception {
        return new ObjectMapper().readTree(browser.evaluate(SCRIPT.replace("TOLERANCE", String.valueOf(TOLERANCE_PX)))
                .asText());
    }

    private static final String SCRIPT = """
            (() => {
              const items = [];
              const sx = window.scrollX, sy = window.scrollY;
              // a closed <details> keeps its content laid out but unseen: only its summary counts
              const hidden = e => { const d = e.closest('details:not([open])');
                  return (d && !e.closest('summary')) || !e.checkVisibility({visibilityProperty: true}); };
              const own = e => [...e.childNodes].filter(n => n.nodeType === 3).map(n => n.data).join('').trim();
              for (const e of document.querySelectorAll('svg text, svg tspan')) {
                if ((e.tagName === 'text' && e.querySelector('tspan')) || hidden(e)) continue;
                const label = own(e);
                if (!label) continue;
                const b = e.getBBox();
                if (b.width === 0 || b.height === 0) continue;
                const m = e.getScreenCTM();
                const pts = [[b.x, b.y], [b.x + b.width, b.y], [b.x + b.width, b.y + b.height], [b.x, b.y + b.height]]
                    .map(([x, y]) => [m.a * x + m.c * y + m.e + sx, m.b * x + m.d * y + m.f + sy]);
                const scale = Math.sqrt(Math.abs(m.a * m.d - m.b * m.c));
                const svg = e.closest('svg');
                items.push({text: label, font: parseFloat(getComputedStyle(e).fontSize) * scale, pts,
                    where: svg && svg.id ? svg.id : 'svg'});
              }
              const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
              while (walker.nextNode()) {
                const n = walker.currentNode;
                if (!n.data.trim() || n.parentElement.closest('svg') || hidden(n.parentElement)) continue;
                const range = document.createRange();
                range.selectNodeContents(n);
                const font = parseFloat(getComputedStyle(n.parentElement).fontSize);
                for (const q of range.getClientRects()) {
                  if (q.width < 1 || q.height < 1) continue;
                  const x = q.left + sx, y = q.top + sy;
                  items.push({text: n.data.trim().slice(0, 60), font, where: 'html <' + n.parentElement.tagName.toLowerCase() + '>',
                      pts: [[x, y], [x + q.width, y], [x + q.width, y + q.height], [x, y + q.height]]});
                }
              }
              const depth = (P, Q) => {
                let best = Infinity;
                for (const poly of [P, Q]) {
                  for (let i = 0; i < 4; i++) {
                    const [x1, y1] = poly[i], [x2, y2] = poly[(i + 1) % 4];
                    let ax = y1 - y2, ay = x2 - x1;
                    const len = Math.hypot(ax, ay);
                    if (len === 0) continue;
                    ax /= len; ay /= len;
                    const a = P.map(([x, y]) => x * ax + y * ay), b = Q.map(([x, y]) => x * ax + y * ay);
                    best = Math.min(best, Math.min(Math.max(...a), Math.max(...b)) - Math.max(Math.min(...a), Math.min(...b)));
                  }
                }
                return best;
              };
              for (const it of items) {
                const xs = it.pts.map(p => p[0]), ys = it.pts.map(p => p[1]);
                it.box = [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
              }
              items.sort((p, q) => p.box[1] - q.box[1]);
              const overlaps = [];
              let overlapCount = 0;
              for (let i = 0; i < items.length; i++) {
                for (let j = i + 1; j < items.length && items[j].box[1] < items[i].box[3]; j++) {
                  const a = items[i], b = items[j];
                  if (a.box[2] <= b.box[0] || b.box[2] <= a.box[0]) continue;
                  const d = depth(a.pts, b.pts);
                  if (d > TOLERANCE) {
                    overlapCount++;
                    if (overlaps.length < 25) overlaps.push({a: a.text, b: b.text, where: a.where + ' / ' + b.where,
                        depth: Math.round(d * 10) / 10});
                  }
                }
              }
              let min = null;
              for (const it of items) if (min === null || it.font < min.font) min = it;
              return JSON.stringify({texts: items.length, minFont: min ? Math.round(min.font * 100) / 100 : null,
                  minFontText: min ? min.text : null, minFontWhere: min ? min.where : null, overlapCount, overlaps});
            })()
            """;
}
