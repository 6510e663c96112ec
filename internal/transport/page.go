package transport

// Page describes one page of a vendor listing as it arrives, for progress
// reports during long backfills.
type Page struct {
	Number int // 1-based
	Items  int // records on this page
	// Total is the number of records the whole listing holds, as the vendor
	// reports it, or -1 when the vendor does not say (Bling).
	Total int
}
