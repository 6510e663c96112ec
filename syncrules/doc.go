// Package syncrules holds every customer-sync rule of RULES.md that needs no
// I/O: document and contact-data normalisation, eligibility, partner filters,
// document matching, update and echo detection, the lock decision and the
// per-record outcome.
//
// Everything here is a pure function over plain values: no clock, no network,
// no global mutable state. Flows translate vendor records into [Customer],
// ask this package what to do, and act on the answer. Decisions carry the
// [Rule] that produced them so reports can cite it (R-REPORT-1); reasons built
// here never hold unmasked personal data (R-REPORT-2).
package syncrules
