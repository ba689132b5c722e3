package report

import (
	"bytes"
	"fmt"
	"html"
	"regexp"
	"strings"
)

// TOC is the line a report's template puts at the top of its body (after
// the title): withTOC replaces it with the table of contents.
const TOC = `<nav class="toc"></nav>`

var (
	headingRE = regexp.MustCompile(`(?s)<h([23])([^>]*)>(.*?)</h[23]>`)
	idRE      = regexp.MustCompile(`\bid="([^"]*)"`)
	tagRE     = regexp.MustCompile(`<[^>]*>`)
)

// withTOC fills a rendered report's table of contents: a link to each h2
// heading, in order, with the h3 headings under it as a line of smaller
// links. A heading without an id is given one from its text (lower case,
// letters and digits joined by hyphens, numbered when repeated). A page
// without the TOC line is returned as it is.
func withTOC(page []byte) []byte {
	at := bytes.Index(page, []byte(TOC))
	if at < 0 {
		return page
	}
	used := map[string]bool{}
	for _, m := range idRE.FindAllSubmatch(page, -1) {
		used[string(m[1])] = true
	}
	type heading struct {
		level    byte
		id, text string
	}
	var heads []heading
	var body []byte
	rest := page[at:]
	last := 0
	for _, m := range headingRE.FindAllSubmatchIndex(rest, -1) {
		level, attrs, inner := rest[m[2]], string(rest[m[4]:m[5]]), string(rest[m[6]:m[7]])
		text := strings.TrimSpace(tagRE.ReplaceAllString(inner, ""))
		body = append(body, rest[last:m[0]]...)
		last = m[1]
		if id := idRE.FindStringSubmatch(attrs); id != nil {
			heads = append(heads, heading{level, id[1], text})
			body = append(body, rest[m[0]:m[1]]...)
			continue
		}
		// A heading opening a section with an id links to the section.
		if id := sectionID(rest[:m[0]]); id != "" {
			heads = append(heads, heading{level, id, text})
			body = append(body, rest[m[0]:m[1]]...)
			continue
		}
		id := uniqueID(slug(html.UnescapeString(text)), used)
		heads = append(heads, heading{level, id, text})
		body = append(body, fmt.Sprintf(`<h%c%s id="%s">%s</h%c>`, level, attrs, id, inner, level)...)
	}
	body = append(body, rest[last:]...)
	var nav strings.Builder
	nav.WriteString(`<nav class="toc" id="contents" style="margin: 0.5rem 0 1.5rem; font-size: 0.9rem;"><b>Contents</b><ol style="margin: 0.3rem 0; padding-left: 1.5rem;">`)
	open := false // an h2's item is open
	sub := 0      // h3 links written under it
	for _, h := range heads {
		link := fmt.Sprintf(`<a href="#%s">%s</a>`, h.id, h.text)
		if h.level == '2' || !open {
			if open {
				if sub > 0 {
					nav.WriteString(`</span>`)
				}
				nav.WriteString(`</li>`)
			}
			nav.WriteString(`<li>` + link)
			open, sub = true, 0
			continue
		}
		if sub == 0 {
			nav.WriteString(`<br /><span style="font-size: 0.85em;">`)
		} else {
			nav.WriteString(` · `)
		}
		nav.WriteString(link)
		sub++
	}
	if open {
		if sub > 0 {
			nav.WriteString(`</span>`)
		}
		nav.WriteString(`</li>`)
	}
	nav.WriteString(`</ol></nav>`)
	out := append([]byte{}, page[:at]...)
	out = append(out, nav.String()...)
	return append(out, body[len(TOC):]...)
}

var sectionRE = regexp.MustCompile(`<section\b[^>]*\bid="([^"]*)"[^>]*>\s*$`)

// sectionID is the id of the section whose opening tag ends before, with
// nothing but white space between: the section a heading opens.
func sectionID(before []byte) string {
	if len(before) > 400 {
		before = before[len(before)-400:]
	}
	if m := sectionRE.FindSubmatch(before); m != nil {
		return string(m[1])
	}
	return ""
}

// slug is a heading's text as an id: lower-case letters and digits, each
// run of anything else one hyphen.
func slug(text string) string {
	var b strings.Builder
	hyphen := false
	for _, r := range strings.ToLower(text) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			if hyphen && b.Len() > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(r)
			hyphen = false
			continue
		}
		hyphen = true
	}
	if b.Len() == 0 {
		return "section"
	}
	return b.String()
}

// uniqueID is id, or id-2, id-3, … when taken; it marks the result taken.
func uniqueID(id string, used map[string]bool) string {
	out := id
	for n := 2; used[out]; n++ {
		out = fmt.Sprintf("%s-%d", id, n)
	}
	used[out] = true
	return out
}
