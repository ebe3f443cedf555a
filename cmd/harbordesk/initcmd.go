package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/harbordesk/harbordesk/internal/profile"
	"github.com/harbordesk/harbordesk/internal/store/documents"
)

// runInit asks for the business's name, privacy-policy link, locales and
// (optionally) order-number format, and writes a complete profile: the
// sample profile's texts, which speak through {business_name},
// {privacy_url} and {order_example}, under the new business. With --import
// it also becomes the profile in force.
func runInit(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("init", flag.ContinueOnError)
	out := fs.String("out", "profile.yaml", "where to write the profile")
	imp := fs.Bool("import", false, "also import it into the database of DATABASE_URL and put it in force")
	if err := fs.Parse(args); err != nil {
		return usageError("init [--out FILE] [--import]")
	}
	p, err := askProfile(bufio.NewReader(os.Stdin), os.Stdout)
	if err != nil {
		return err
	}
	f, err := os.Create(*out)
	if err != nil {
		return err
	}
	if err := exportProfile(p, f); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	fmt.Printf("init: wrote %s for %s; edit its texts, then `harbordesk profile import %s`\n", *out, p.Name(), *out)
	if !*imp {
		return nil
	}
	data, err := os.ReadFile(*out)
	if err != nil {
		return err
	}
	st, err := openContentStore(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	return importProfile(ctx, documents.New(st.Pool).ImportProfile, data, os.Stdout)
}

// askProfile reads the answers (one per line) and builds the profile; a
// wrong answer is asked again, up to three times.
func askProfile(in *bufio.Reader, out io.Writer) (*profile.Profile, error) {
	base := profile.Default().Document()
	ask := func(q, def string, ok func(string) error) (string, error) {
		for range 3 {
			if def != "" {
				fmt.Fprintf(out, "%s [%s]: ", q, def)
			} else {
				fmt.Fprintf(out, "%s: ", q)
			}
			line, err := in.ReadString('\n')
			if err != nil && (!errors.Is(err, io.EOF) || line == "") {
				return "", fmt.Errorf("init: %s: no answer", q)
			}
			v := strings.TrimSpace(line)
			if v == "" {
				v = def
			}
			if err := ok(v); err != nil {
				fmt.Fprintln(out, "  ", err)
				continue
			}
			return v, nil
		}
		return "", fmt.Errorf("init: %s: no valid answer", q)
	}
	d := profile.Document{Texts: base.Texts}
	check := func(field string) func(string) error {
		return func(v string) error { return fieldError(d, field, v) }
	}
	var err error
	if d.Business.Name, err = ask("Business name", "", check("business.name")); err != nil {
		return nil, err
	}
	if d.Business.PrivacyURL, err = ask("Privacy policy URL", "", check("business.privacy_url")); err != nil {
		return nil, err
	}
	locs, err := ask("Locales, main first (of "+strings.Join(profile.Locales, ", ")+")", strings.Join(base.Business.Locales, ","), check("business.locales"))
	if err != nil {
		return nil, err
	}
	d.Business.Locales = splitList(locs)
	pattern, err := ask("Order or booking number pattern (RE2, e.g. KD\\d{6}; empty: none)", "-", func(string) error { return nil })
	if err != nil {
		return nil, err
	}
	if pattern != "-" {
		example, err := ask("An example number", "", func(v string) error {
			return fieldError(profile.Document{Business: profile.Business{OrderNumber: &profile.OrderNumber{Pattern: pattern, Example: v}}}, "business.order_number", "")
		})
		if err != nil {
			return nil, err
		}
		d.Business.OrderNumber = &profile.OrderNumber{Pattern: pattern, Example: example}
	} else {
		d.Texts = withoutOrderExample(d.Texts)
	}
	return profile.New(d)
}

// fieldError validates d with field set to v and returns the errors about
// that field only.
func fieldError(d profile.Document, field, v string) error {
	switch field {
	case "business.name":
		d.Business.Name = v
	case "business.privacy_url":
		d.Business.PrivacyURL = v
	case "business.locales":
		d.Business.Locales = splitList(v)
	}
	_, err := profile.New(d)
	if err == nil {
		return nil
	}
	var mine []string
	for _, line := range strings.Split(err.Error(), "\n") {
		if strings.HasPrefix(line, field) {
			mine = append(mine, line)
		}
	}
	if len(mine) == 0 {
		return nil
	}
	return errors.New(strings.Join(mine, "; "))
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' }) {
		out = append(out, p)
	}
	return out
}

// withoutOrderExample drops the "(e.g. {order_example})" hints from texts
// for a business without order numbers.
func withoutOrderExample(texts map[string]map[string]string) map[string]map[string]string {
	cut := strings.NewReplacer("（例如 {order_example}）", "", " (e.g. {order_example})", "", "{order_example}", "")
	out := make(map[string]map[string]string, len(texts))
	for k, byLoc := range texts {
		m := make(map[string]string, len(byLoc))
		for loc, t := range byLoc {
			m[loc] = cut.Replace(t)
		}
		out[k] = m
	}
	return out
}
