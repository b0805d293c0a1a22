import { describe, expect, it } from "vitest";
import { blocks, pieces } from "../src/richtext";

describe("answer text", () => {
  it("splits bold marks into pieces", () => {
    expect(pieces("**Answer.** Focus on Loyal")).toEqual([
      { text: "Answer.", bold: true },
      { text: " Focus on Loyal", bold: false },
    ]);
    expect(pieces("no marks")).toEqual([{ text: "no marks", bold: false }]);
    // Unpaired marks stay as text.
    expect(pieces("2 ** 3")).toEqual([{ text: "2 ** 3", bold: false }]);
  });
  it("groups list lines", () => {
    expect(blocks("**Evidence.**\n- one\n- two\n\nAfter")).toEqual([
      { list: false, lines: ["**Evidence.**"] },
      { list: true, lines: ["one", "two"] },
      { list: false, lines: ["After"] },
    ]);
  });
  it("keeps markup as text", () => {
    expect(pieces("<img src=x onerror=alert(1)>")).toEqual([
      { text: "<img src=x onerror=alert(1)>", bold: false },
    ]);
  });
});
