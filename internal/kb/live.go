package kb

import "sync/atomic"

// Live holds the current Index and swaps in a rebuilt one when the KB
// changes; readers never block and always see a complete index.
type Live struct{ p atomic.Pointer[Index] }

// NewLive indexes arts and returns a holder serving that index.
func NewLive(arts []Article) *Live {
	l := &Live{}
	l.p.Store(NewIndex(arts))
	return l
}

// Index returns the index in force.
func (l *Live) Index() *Index { return l.p.Load() }

// Replace rebuilds the index from arts and swaps it in atomically.
func (l *Live) Replace(arts []Article) *Index {
	ix := NewIndex(arts)
	l.p.Store(ix)
	return ix
}
