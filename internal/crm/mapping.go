package crm

import (
	"encoding/json"
	"strconv"
	"strings"
	"time"
)

// Canonical field names a FieldMap maps to paths in the CRM's JSON.
const (
	FieldCustomerID        = "id"
	FieldVIPTier           = "vip_tier"
	FieldPreferredLanguage = "preferred_language"
	FieldTrainingConsent   = "training_consent"
	FieldOrderNumber       = "number"
	FieldOrderCustomerID   = "customer_id"
	FieldOrderStatus       = "status"
	FieldCarrier           = "carrier"
	FieldTrackingNo        = "tracking_no"
	FieldItems             = "items"
	FieldUpdatedAt         = "updated_at"
	FieldItemSKU           = "item.sku"
	FieldItemName          = "item.name"
	FieldItemQuantity      = "item.quantity"
	// FieldOrders is the path to the order array in the OrdersFor answer;
	// "" (the default) means the answer is the array itself.
	FieldOrders = "orders"
)

// FieldMap maps canonical field names to dotted paths in the CRM's JSON
// ("tier", "profile.lang", "shipments.0.tracking"). Item paths are relative
// to one item. Unmapped fields use the canonical name (item fields without
// the "item." prefix).
type FieldMap map[string]string

func (m FieldMap) path(field string) string {
	if p, ok := m[field]; ok {
		return p
	}
	if field == FieldOrders {
		return ""
	}
	return strings.TrimPrefix(field, "item.")
}

// lookup walks a dotted path through decoded JSON objects and arrays.
func lookup(v any, path string) any {
	if path == "" {
		return v
	}
	for _, key := range strings.Split(path, ".") {
		switch node := v.(type) {
		case map[string]any:
			v = node[key]
		case []any:
			i, err := strconv.Atoi(key)
			if err != nil || i < 0 || i >= len(node) {
				return nil
			}
			v = node[i]
		default:
			return nil
		}
	}
	return v
}

func asString(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case json.Number:
		return x.String()
	case bool:
		return strconv.FormatBool(x)
	}
	return ""
}

func asBool(v any) bool {
	switch x := v.(type) {
	case bool:
		return x
	case json.Number:
		f, err := x.Float64()
		return err == nil && f != 0
	case string:
		switch strings.ToLower(strings.TrimSpace(x)) {
		case "true", "yes", "y", "1", "granted", "opt_in", "opted_in":
			return true
		}
	}
	return false
}

func asInt(v any) int {
	switch x := v.(type) {
	case json.Number:
		if i, err := x.Int64(); err == nil {
			return int(i)
		}
		if f, err := x.Float64(); err == nil {
			return int(f)
		}
	case string:
		i, _ := strconv.Atoi(strings.TrimSpace(x))
		return i
	}
	return 0
}

var timeLayouts = []string{time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02 15:04:05", "2006-01-02"}

// asTime reads RFC 3339 and common date layouts (UTC when no zone), and Unix
// seconds or milliseconds.
func asTime(v any) time.Time {
	switch x := v.(type) {
	case string:
		for _, l := range timeLayouts {
			if t, err := time.Parse(l, strings.TrimSpace(x)); err == nil {
				return t.UTC()
			}
		}
	case json.Number:
		n, err := x.Int64()
		if err != nil || n <= 0 {
			return time.Time{}
		}
		if n > 1e12 {
			return time.UnixMilli(n).UTC()
		}
		return time.Unix(n, 0).UTC()
	}
	return time.Time{}
}

func (m FieldMap) customer(doc any, id string) Customer {
	c := Customer{
		ID:                asString(lookup(doc, m.path(FieldCustomerID))),
		VIPTier:           asString(lookup(doc, m.path(FieldVIPTier))),
		PreferredLanguage: asString(lookup(doc, m.path(FieldPreferredLanguage))),
		TrainingConsent:   asBool(lookup(doc, m.path(FieldTrainingConsent))),
	}
	if c.ID == "" {
		c.ID = id
	}
	return c
}

func (m FieldMap) order(doc any) Order {
	o := Order{
		Number:     asString(lookup(doc, m.path(FieldOrderNumber))),
		CustomerID: asString(lookup(doc, m.path(FieldOrderCustomerID))),
		Status:     asString(lookup(doc, m.path(FieldOrderStatus))),
		Carrier:    asString(lookup(doc, m.path(FieldCarrier))),
		TrackingNo: asString(lookup(doc, m.path(FieldTrackingNo))),
		UpdatedAt:  asTime(lookup(doc, m.path(FieldUpdatedAt))),
	}
	items, _ := lookup(doc, m.path(FieldItems)).([]any)
	for _, it := range items {
		o.Items = append(o.Items, Item{
			SKU:      asString(lookup(it, m.path(FieldItemSKU))),
			Name:     asString(lookup(it, m.path(FieldItemName))),
			Quantity: asInt(lookup(it, m.path(FieldItemQuantity))),
		})
	}
	return o
}
