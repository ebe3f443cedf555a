// Package crm looks up who a customer is (VIP tier, preferred language,
// training consent) and what they ordered (status, carrier, tracking, items)
// in the business's CRM/ERP, behind one Directory interface with two
// implementations: a REST client using OAuth2 client credentials with a
// configurable field mapping, and the built-in PostgreSQL tables used when no
// external CRM is configured. It also finds order numbers in customer text.
package crm
