package crm

import (
	"cmp"
	"slices"
)

// sortByUpdated orders most recently updated first, then by number, so the
// result is stable whatever order the ERP answered in.
func sortByUpdated(orders []Order) {
	slices.SortStableFunc(orders, func(a, b Order) int {
		if c := b.UpdatedAt.Compare(a.UpdatedAt); c != 0 {
			return c
		}
		return cmp.Compare(a.Number, b.Number)
	})
}
