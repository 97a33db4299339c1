// A bot reply is described once, as blocks of inline text, and rendered into both the
// plain `body` (notifications, clients without HTML) and the HTML `formatted_body`.
// Text is always text: there is no way to put raw HTML into a Reply, every string is
// escaped on the way out, and only the tags in ALLOWED_TAGS are ever produced.

export type Inline = string | Bold | Italic | Code;
export interface Bold {
  readonly bold: readonly Inline[];
}
export interface Italic {
  readonly italic: readonly Inline[];
}
export interface Code {
  readonly code: string;
}

export type Block =
  | { readonly kind: "heading"; readonly content: readonly Inline[] }
  | { readonly kind: "paragraph"; readonly content: readonly Inline[] }
  | { readonly kind: "list"; readonly ordered: boolean; readonly items: readonly (readonly Inline[])[] }
  | { readonly kind: "quote"; readonly content: readonly Inline[] }
  /** Where the content comes from: shown small and last, like a footnote. */
  | { readonly kind: "source"; readonly content: readonly Inline[] };

export interface Reply {
  readonly blocks: readonly Block[];
  /** Sent as the plain body alone, even with headings (see plainReply). */
  readonly plainOnly?: boolean;
}

/** The fields of an `m.room.message` content that carry the text. */
export interface RenderedReply {
  readonly body: string;
  readonly format: "org.matrix.custom.html";
  readonly formatted_body: string;
}

export const ALLOWED_TAGS = ["b", "i", "code", "ul", "ol", "li", "p", "br", "h4", "blockquote"] as const;

export const bold = (...content: Inline[]): Bold => ({ bold: content });
export const italic = (...content: Inline[]): Italic => ({ italic: content });
export const code = (text: string): Code => ({ code: text });

export const heading = (...content: Inline[]): Block => ({ kind: "heading", content });
export const paragraph = (...content: Inline[]): Block => ({ kind: "paragraph", content });
export const quote = (...content: Inline[]): Block => ({ kind: "quote", content });
export const source = (...content: Inline[]): Block => ({ kind: "source", content });
/** A bulleted list; an item is one inline or several in a row. */
export const list = (items: readonly (Inline | readonly Inline[])[]): Block => ({ kind: "list", ordered: false, items: items.map(asInlines) });
export const numbered = (items: readonly (Inline | readonly Inline[])[]): Block => ({ kind: "list", ordered: true, items: items.map(asInlines) });

export const reply = (...blocks: Block[]): Reply => ({ blocks });
/**
 * A long reply that is sent without its HTML copy: headings become lines of their own in the
 * body. For texts whose bytes matter more than their looks (a guideline card on a 2G phone);
 * such a reply carries no emphasis, whose meaning the body would lose.
 */
export const plainReply = (...blocks: Block[]): Reply => ({ blocks, plainOnly: true });

function asInlines(item: Inline | readonly Inline[]): readonly Inline[] {
  return Array.isArray(item) ? item : [item as Inline];
}

const HTML_ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);
}

export function render(value: Reply): RenderedReply {
  return {
    body: renderBody(value),
    format: "org.matrix.custom.html",
    formatted_body: value.blocks.map(blockHtml).join(""),
  };
}

/** A message's text fields with HTML only when it shows what the plain body cannot. */
export type CompactReply = { readonly body: string } | RenderedReply;

/**
 * What the bot sends: the HTML copy only when the reply has a heading or inline
 * emphasis (bold, italics, code), and never for a plainReply. Paragraphs, lists and quotes read the same in the
 * plain body (line breaks, "•", "1.", "> "), and the HTML copy would double the
 * bytes of the event for every phone in the room (measured on 2G: bench --links).
 */
export function renderCompact(value: Reply): CompactReply {
  return !value.plainOnly && value.blocks.some(needsHtml) ? render(value) : { body: renderBody(value) };
}

function needsHtml(block: Block): boolean {
  switch (block.kind) {
    case "heading":
      return true;
    case "list":
      return block.items.some(hasEmphasis);
    default:
      return hasEmphasis(block.content);
  }
}

const hasEmphasis = (content: readonly Inline[]): boolean => content.some((x) => typeof x !== "string");

function renderBody(value: Reply): string {
  let out = "";
  value.blocks.forEach((block, i) => {
    if (i > 0) out += value.blocks[i - 1]?.kind === "heading" ? "\n" : "\n\n";
    out += blockText(block);
  });
  return out;
}

function inlineText(content: readonly Inline[]): string {
  return content
    .map((x) => {
      if (typeof x === "string") return x;
      if ("bold" in x) return inlineText(x.bold);
      if ("italic" in x) return inlineText(x.italic);
      return x.code;
    })
    .join("");
}

function inlineHtml(content: readonly Inline[]): string {
  return content
    .map((x) => {
      if (typeof x === "string") return escapeHtml(x).replace(/\r?\n/g, "<br>");
      if ("bold" in x) return `<b>${inlineHtml(x.bold)}</b>`;
      if ("italic" in x) return `<i>${inlineHtml(x.italic)}</i>`;
      return `<code>${escapeHtml(x.code)}</code>`;
    })
    .join("");
}

function blockText(block: Block): string {
  switch (block.kind) {
    case "heading":
    case "paragraph":
    case "source":
      return inlineText(block.content);
    case "quote":
      return inlineText(block.content)
        .split("\n")
        .map((line) => `> ${line}`)
        .join("\n");
    case "list":
      return block.items.map((item, i) => `${block.ordered ? `${i + 1}.` : "•"} ${inlineText(item)}`).join("\n");
  }
}

function blockHtml(block: Block): string {
  switch (block.kind) {
    case "heading":
      return `<h4>${inlineHtml(block.content)}</h4>`;
    case "paragraph":
      return `<p>${inlineHtml(block.content)}</p>`;
    case "source":
      return `<p><i>${inlineHtml(block.content)}</i></p>`;
    case "quote":
      return `<blockquote>${inlineHtml(block.content)}</blockquote>`;
    case "list": {
      const tag = block.ordered ? "ol" : "ul";
      return `<${tag}>${block.items.map((item) => `<li>${inlineHtml(item)}</li>`).join("")}</${tag}>`;
    }
  }
}
