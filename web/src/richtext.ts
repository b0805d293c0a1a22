// The analyst's answers use two marks of Markdown: **bold** and "- " list lines. They are
// turned into text pieces (never HTML), so nothing in an answer can become markup.

export interface Piece {
  text: string;
  bold: boolean;
}

export function pieces(line: string): Piece[] {
  const out: Piece[] = [];
  const parts = line.split("**");
  // An odd number of parts means the marks pair up; otherwise show the text as it is.
  if (parts.length % 2 === 0) return [{ text: line, bold: false }];
  parts.forEach((text, i) => {
    if (text) out.push({ text, bold: i % 2 === 1 });
  });
  return out;
}

export interface Block {
  list: boolean;
  lines: string[];
}

// Consecutive "- " lines form one list; other non-empty lines are paragraphs.
export function blocks(text: string): Block[] {
  const out: Block[] = [];
  for (const raw of text.split("\n")) {
    const line = raw.trimEnd();
    if (!line.trim()) continue;
    const item = /^\s*[-*] /.test(line);
    const body = item ? line.replace(/^\s*[-*] /, "") : line;
    const last = out[out.length - 1];
    if (item && last?.list) last.lines.push(body);
    else out.push({ list: item, lines: [body] });
  }
  return out;
}
