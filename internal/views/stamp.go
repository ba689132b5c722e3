package views

import (
	"os"
	"strconv"
)

// fileStamp identifies one version of a partition file. The lake replaces a
// file by atomic rename, so a new version is a new file: another inode, and
// almost always another size or modification time.
type fileStamp struct {
	size  int64
	mtime int64 // Unix nanoseconds
	inode uint64
}

func stampOf(fi os.FileInfo) fileStamp {
	return fileStamp{size: fi.Size(), mtime: fi.ModTime().UnixNano(), inode: inode(fi)}
}

func (s fileStamp) String() string {
	return strconv.FormatInt(s.size, 10) + "/" + strconv.FormatInt(s.mtime, 10) + "/" + strconv.FormatUint(s.inode, 10)
}
