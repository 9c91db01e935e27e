package ftp

import (
	"io/fs"
	"path"
)

// WalkFunc is called by Walk for each entry, as filepath.WalkFunc is:
// p is the entry's path (root joined with the names below it), e its
// entry. err is non-nil when Stat of the root failed (e is nil), when
// listing the directory p failed (e is the directory's entry), or for a
// listing line no parser understood (p is the directory, e.Type is
// EntryUnknown and e.Raw the line). Returning fs.SkipDir skips the
// directory (or, for a file, the rest of its directory); another non-nil
// error stops the walk and is returned by Walk.
type WalkFunc func(p string, e *Entry, err error) error

// Walk walks the tree under root ("" = the current directory) depth-first,
// in listing order, calling fn for root and for every entry below it
// (Stat for root, List for each directory). Symbolic links are reported,
// not followed. fn runs between listings, not inside one: it may use the
// Conn (to download a file it is given, say). Walk follows the Conn's
// context like every call.
func (c *Conn) Walk(root string, fn WalkFunc) error {
	if root == "" {
		root = "."
	}
	e, err := c.Stat(root)
	if err != nil {
		err = fn(root, nil, err)
	} else {
		err = c.walk(root, e, fn)
	}
	if err == fs.SkipDir {
		return nil
	}
	return err
}

func (c *Conn) walk(p string, e *Entry, fn WalkFunc) error {
	if !e.IsDir() {
		return fn(p, e, nil)
	}
	entries, err := c.List(p)
	err1 := fn(p, e, err)
	if err != nil || err1 != nil {
		return err1
	}
	for _, child := range entries {
		if child.Type == EntryUnknown {
			err = fn(p, child, &Error{Op: "list " + p, Code: ErrProto,
				Message: "listing line not understood: " + child.Raw})
			if err == fs.SkipDir {
				return nil
			}
			if err != nil {
				return err
			}
			continue
		}
		err = c.walk(path.Join(p, child.Name), child, fn)
		if err != nil && (err != fs.SkipDir || !child.IsDir()) {
			return err
		}
	}
	return nil
}
