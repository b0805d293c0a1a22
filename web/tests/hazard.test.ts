import { describe, expect, it } from "vitest";
import { hazardSentence } from "../src/pages/survival";

// The Survival page's sentence over the hazard chart, worded from a tenure_hazard result.
describe("hazardSentence", () => {
  const spike = (tenure_months: number, events: number, share: number, ratio: number | null) =>
    ({ tenure_months, events, share_of_cancellations: share, ratio });
  it("names the peak month with its share of cancellations and its ratio", () => {
    const peak = spike(8, 1200, 0.6, 24.4);
    expect(hazardSentence({ cancellations: 2000, peak, spikes: [peak] })).toBe(
      "Cancellations peak in month 8 of membership: 1,200 of 2,000 cancellations (60%), 24× the neighbouring months' rate.");
  });
  it("lists the other spikes, and says when the neighbours had no cancellation", () => {
    const peak = spike(3, 40, 0.4, null);
    const other = spike(15, 12, 0.12, 5);
    expect(hazardSentence({ cancellations: 100, peak, spikes: [peak, other] })).toBe(
      "Cancellations peak in month 3 of membership: 40 of 100 cancellations (40%), with no cancellation in the neighbouring months. Other spike months: month 15 (12).");
  });
  it("says when no month stands out or nobody cancelled", () => {
    expect(hazardSentence({ cancellations: 1500, peak: null, spikes: [] })).toBe(
      "No month of membership stands out: over 1,500 cancellations, no month's hazard passes the spike rule.");
    expect(hazardSentence({ cancellations: 0, peak: null, spikes: [] })).toBe("No cancellations in this slice.");
  });
});
