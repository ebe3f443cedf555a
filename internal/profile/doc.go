// Package profile is the business a Harbordesk instance serves and every
// customer-facing sentence that is not a knowledge-base answer: the
// business's name, privacy link, order-number format and locales, and its
// texts per locale with {placeholders}. A profile is data (YAML or JSON,
// versioned in PostgreSQL); nothing here names a business. The sample shop
// "Harbour Home & Tech" is only the embedded default document.
package profile
